package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static dev.sekisho.gateway.pgwire.TestingPgWire.bind;
import static dev.sekisho.gateway.pgwire.TestingPgWire.execute;
import static dev.sekisho.gateway.pgwire.TestingPgWire.parse;
import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.sync;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * CancelRequest: the statement running at that moment fails with 57014 and its source work is
 * cancelled (the connector's onCancel actions run); a wrong key, or a cancel while idle, changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestPgCancel
{
    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final ExecutorService client = Executors.newCachedThreadPool();
    private ThreadPoolExecutor workers;
    private PgServer server;
    private int port;

    @BeforeAll
    void start()
    {
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        server = new PgServer(PgServerOptions.defaults().withPort(0), users(), planner, workers, List.of("shop"));
        port = server.start();
    }

    @AfterAll
    void stop()
    {
        client.shutdownNow();
        server.close();
        workers.shutdownNow();
    }

    private static UserStore users()
    {
        return UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
    }

    private Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "s3cret");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", properties);
    }

    private Future<List<Long>> drain(Callable<ResultSet> query)
    {
        return client.submit(() -> {
            List<Long> values = new ArrayList<>();
            try (ResultSet rows = query.call()) {
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
            }
            return values;
        });
    }

    private static void assertCancelled(Future<?> running)
    {
        assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                .hasMessageContaining("canceling statement due to user request");
    }

    @Test
    void statementCancelFromAnotherThread()
            throws Exception
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            int cancelsBefore = planner.cancelActionsRun();
            Future<List<Long>> running = drain(() -> statement.executeQuery("select n from blocking(3)"));
            assertThat(planner.awaitBlocked(30, TimeUnit.SECONDS)).isTrue();
            statement.cancel();
            assertCancelled(running);
            assertThat(planner.cancelActionsRun()).isEqualTo(cancelsBefore + 1);

            // only that statement was cancelled: the session goes on
            try (ResultSet rows = statement.executeQuery("select n from series(3)")) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                assertThat(count).isEqualTo(3);
            }
        }
    }

    @Test
    void cancelIsReported57014EvenWhenTheSourceSaysSomethingElse()
            throws Exception
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            Future<List<Long>> running = drain(() -> statement.executeQuery("select n from blocking_raw(1)"));
            assertThat(planner.awaitBlocked(30, TimeUnit.SECONDS)).isTrue();
            statement.cancel();
            assertCancelled(running);
        }
    }

    @Test
    void cancelWhileFetchingFromAPortal()
            throws Exception
    {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("select n from blocking(5)")) {
                statement.setFetchSize(2);
                Future<List<Long>> running = drain(statement::executeQuery);
                assertThat(planner.awaitBlocked(30, TimeUnit.SECONDS)).isTrue();
                // Statement.cancel() does nothing once executeQuery has returned; the blocked Execute
                // comes from ResultSet.next(), so cancel the connection's query directly
                connection.unwrap(PGConnection.class).cancelQuery();
                assertCancelled(running);
            }
            connection.rollback();
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select 1")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void wrongSecretCancelsNothing()
            throws Exception
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            int cancelsBefore = planner.cancelActionsRun();
            Future<List<Long>> running = drain(() -> statement.executeQuery("select n from blocking(1)"));
            assertThat(planner.awaitBlocked(30, TimeUnit.SECONDS)).isTrue();
            int processId = connection.unwrap(PGConnection.class).getBackendPID();
            for (int secret : new int[] {0, 1, -1, 0x5EC15E0}) {
                sendCancel(processId, secret);
            }
            Thread.sleep(300);
            assertThat(running.isDone()).isFalse();
            assertThat(planner.cancelActionsRun()).isEqualTo(cancelsBefore);
            statement.cancel();
            assertCancelled(running);
        }
    }

    @Test
    void cancelWhileIdleDoesNotTouchTheOpenPortalOrTheNextStatement()
    {
        PgServer embeddedServer = new PgServer(PgServerOptions.defaults(), users(), planner, new TestingDirectExecutor(), List.of("shop"));
        EmbeddedChannel channel = new EmbeddedChannel(embeddedServer.channelInitializer());
        EmbeddedChannel cancelChannel = new EmbeddedChannel(embeddedServer.channelInitializer());
        try {
            TestingPgWire wire = new TestingPgWire(channel);
            wire.startup(Map.of("user", "alice"));
            List<Message> messages = wire.authenticate("s3cret");
            Message keyData = messages.stream().filter(message -> message.type() == 'K').findFirst().orElseThrow();
            ByteBuf key = keyData.buffer();
            int processId = key.readInt();
            int secret = key.readInt();

            wire.sendAll(query("begin"), parse("S_1", "select n from series(6)"), bind("C_1", "S_1", List.of()), execute("C_1", 2), sync());
            assertThat(types(wire.read())).isEqualTo("CZ12DDsZ");

            // the right key, but nothing is running: PostgreSQL ignores it, and so does Sekisho
            new TestingPgWire(cancelChannel).writeRaw(Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(processId).writeInt(secret));
            assertThat(cancelChannel.isOpen()).isFalse();

            wire.sendAll(execute("C_1", 2), sync());
            messages = wire.read();
            assertThat(types(messages)).isEqualTo("DDsZ");
            assertThat(messages.get(0).columns()).containsExactly("2");
            wire.sendAll(query("select 1; commit"));
            assertThat(types(wire.read())).isEqualTo("TDCCZ");
        }
        finally {
            channel.finishAndReleaseAll();
            cancelChannel.finishAndReleaseAll();
        }
    }

    @Test
    void cancelWhileTheQueryWaitsForAWorkerCancelsIt()
            throws InterruptedException
    {
        // under load a statement can wait for a worker longer than the client waits to cancel it;
        // the client sent it, PostgreSQL would be running it: the cancel must not be lost
        HeldWorkers workers = new HeldWorkers();
        PgServer embeddedServer = new PgServer(PgServerOptions.defaults(), users(), planner, workers, List.of("shop"));
        EmbeddedChannel channel = new EmbeddedChannel(embeddedServer.channelInitializer());
        EmbeddedChannel cancelChannel = new EmbeddedChannel(embeddedServer.channelInitializer());
        try {
            TestingPgWire wire = new TestingPgWire(channel);
            wire.startup(Map.of("user", "alice"));
            ByteBuf key = wire.authenticate("s3cret").stream().filter(message -> message.type() == 'K').findFirst().orElseThrow().buffer();
            int processId = key.readInt();
            int secret = key.readInt();
            int cancelsBefore = planner.cancelActionsRun();

            workers.hold();
            wire.sendAll(query("select n from blocking(1)"));
            assertThat(workers.held()).as("the query waits for a worker").isPositive();
            new TestingPgWire(cancelChannel).writeRaw(Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(processId).writeInt(secret));
            workers.release();

            List<Message> messages = wire.read();
            assertThat(types(messages)).isEqualTo("TDEZ");
            assertThat(messages.get(2).fields()).containsEntry('C', "57014").containsEntry('M', "canceling statement due to user request");
            assertThat(planner.cancelActionsRun()).isEqualTo(cancelsBefore + 1);
            // it had reached its source and blocked there (this also takes the signal the other tests wait for)
            assertThat(planner.awaitBlocked(1, TimeUnit.SECONDS)).isTrue();

            // the cancel was for that statement only
            wire.sendAll(query("select n from series(2)"));
            assertThat(types(wire.read())).isEqualTo("TDDCZ");
        }
        finally {
            channel.finishAndReleaseAll();
            cancelChannel.finishAndReleaseAll();
        }
    }

    /** Runs tasks at once on the calling thread, or, while held, keeps them until released. */
    private static final class HeldWorkers
            extends java.util.concurrent.AbstractExecutorService
    {
        private final List<Runnable> held = new ArrayList<>();
        private boolean holding;

        void hold()
        {
            holding = true;
        }

        int held()
        {
            return held.size();
        }

        void release()
        {
            holding = false;
            List<Runnable> tasks = List.copyOf(held);
            held.clear();
            tasks.forEach(Runnable::run);
        }

        @Override
        public void execute(Runnable command)
        {
            if (holding) {
                held.add(command);
            }
            else {
                command.run();
            }
        }

        @Override
        public void shutdown() {}

        @Override
        public List<Runnable> shutdownNow()
        {
            return List.of();
        }

        @Override
        public boolean isShutdown()
        {
            return false;
        }

        @Override
        public boolean isTerminated()
        {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit)
        {
            return true;
        }
    }

    private void sendCancel(int processId, int secret)
            throws IOException
    {
        try (Socket socket = new Socket("127.0.0.1", port); DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            out.writeInt(16);
            out.writeInt(80877102);
            out.writeInt(processId);
            out.writeInt(secret);
            out.flush();
            // the server answers nothing and closes the connection
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }
}
