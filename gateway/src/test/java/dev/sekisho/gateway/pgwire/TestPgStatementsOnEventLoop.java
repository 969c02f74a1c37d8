package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Admission;
import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.execution.SessionListener;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.execution.StatementListener;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.TestingNonBlockingConnector.HeldRun;
import dev.sekisho.gateway.pgwire.TestingNonBlockingConnector.Mode;
import dev.sekisho.gateway.resultcache.CachingConnector;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.resultcache.ResultCacheSettings;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGStatement;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.sekisho.gateway.pgwire.TestingPgWire.bind;
import static dev.sekisho.gateway.pgwire.TestingPgWire.describe;
import static dev.sekisho.gateway.pgwire.TestingPgWire.execute;
import static dev.sekisho.gateway.pgwire.TestingPgWire.parse;
import static dev.sekisho.gateway.pgwire.TestingPgWire.sync;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Prepared statements the result cache does not answer, sent to their source and answered on the
 * event loop without a worker ({@code protocol.statements_on_event_loop}), through real pgjdbc and
 * a raw client against a real server, with a source that runs statements on the I/O thread as the
 * test tells it ({@link TestingNonBlockingConnector}): answered there (the server's count, and the
 * source's worker runs) with the worker path's rows and RowDescription; a decline falls back to the
 * worker; what the client sends meanwhile waits and is answered in order; a cancel or
 * statement_timeout gives 57014 and the session goes on; a connection closing mid-run gives back its
 * admission permit; a plain Statement's literal lookup (Parse of a known shape) goes there too; a
 * transaction block, a Parse of a new shape, a simple Query, a statement the result cache keeps,
 * and the setting off never do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestPgStatementsOnEventLoop
{
    private static final String LOOKUP = "SELECT id, name, email FROM customers WHERE id = ?";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestingNonBlockingConnector source = new TestingNonBlockingConnector();
    private final CountingAdmission admission = new CountingAdmission();
    private final RecordingListener listener = new RecordingListener();
    private final ExecutorService client = Executors.newCachedThreadPool();
    private ThreadPoolExecutor workers;
    private PgServer server;
    private PgServer workersOnly;
    private PgServer cached;
    private final Map<PgServer, Integer> ports = new java.util.IdentityHashMap<>();

    @BeforeAll
    void start()
    {
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(source), PlannerOptions.defaults());
        server = new PgServer(PgServerOptions.defaults().withPort(0), users(), sessions(planner, Optional.empty(), List.of(source)), workers);
        ports.put(server, server.start());
        workersOnly = new PgServer(PgServerOptions.defaults().withPort(0).withStatementsOnEventLoop(false), users(),
                sessions(planner, Optional.empty(), List.of(source)), workers);
        ports.put(workersOnly, workersOnly.start());
        // customers are kept by the result cache, orders are not
        ResultCache cache = new ResultCache(new ResultCacheSettings(1 << 20, 4096, Map.of("shop.customers", Duration.ofMinutes(5))));
        CachingConnector caching = new CachingConnector(source, cache);
        cached = new PgServer(PgServerOptions.defaults().withPort(0), users(),
                sessions(new CalciteQueryPlanner(List.of(caching), PlannerOptions.defaults()), Optional.of(cache), List.of(caching)), workers);
        ports.put(cached, cached.start());
    }

    @AfterAll
    void stop()
    {
        client.shutdownNow();
        for (PgServer started : List.of(server, workersOnly, cached)) {
            started.close();
        }
        workers.shutdownNow();
    }

    private Sessions sessions(QueryPlanner planner, Optional<ResultCache> cache, List<Connector> sources)
    {
        return new Sessions(planner, SessionPolicies.disabled(), List.of("shop"), new StatementPipeline(admission, listener), Limits.NONE,
                SessionListener.NONE, cache, sources);
    }

    private static UserStore users()
    {
        return UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
    }

    @Test
    void statementsAreAnsweredOnTheLoopWithTheWorkersRows()
            throws Exception
    {
        source.mode(Mode.ROWS_LATER);
        try (Connection loop = connect(server); Connection viaWorkers = connect(workersOnly);
                PreparedStatement onLoop = prepared(loop, LOOKUP); PreparedStatement onWorker = prepared(viaWorkers, LOOKUP)) {
            List<String> expected = rows(onWorker, 2);
            String expectedColumns = columns(onWorker);
            assertThat(expected).isNotEmpty();
            long answered = server.sourceAnswers().answeredCount();
            int workerRuns = source.workerRuns();
            int events = listener.events().size();
            for (int i = 0; i < 10; i++) {
                assertThat(rows(onLoop, 2)).isEqualTo(expected);
                assertThat(columns(onLoop)).isEqualTo(expectedColumns);
            }
            // each run started and finished once, with its rows, whichever thread answered it
            assertThat(listener.events().subList(events, listener.events().size()))
                    .containsOnly("started " + LOOKUP.replace("?", "$1"), "finished " + LOOKUP.replace("?", "$1") + " rows=" + expected.size())
                    .hasSize(20);
            long onTheLoop = server.sourceAnswers().answeredCount() - answered;
            // the first run parses (a worker); a Bind right behind a worker that has not let go of the session yet goes to a worker too
            assertThat(onTheLoop).as("statements answered on the event loop").isBetween(1L, 9L);
            assertThat(source.workerRuns() - workerRuns).as("the rest ran on workers").isEqualTo(10 - onTheLoop);
            assertThat(source.startedOffItsThread()).isFalse();
        }
    }

    @Test
    void theRowDescriptionAndRowsOnTheWireAreTheWorkersByteForByte()
            throws Exception
    {
        source.mode(Mode.ROWS_NOW);
        List<TestingPgSocketClient.Message> viaWorker = describedLookup(workersOnly, 3, false);
        long answered = server.sourceAnswers().answeredCount();
        List<TestingPgSocketClient.Message> onLoop = describedLookup(server, 3, true);
        assertThat(server.sourceAnswers().answeredCount()).isGreaterThan(answered);
        assertThat(text(onLoop)).isEqualTo(text(viaWorker));
        assertThat(onLoop.stream().map(TestingPgSocketClient.Message::type).toList()).containsExactly('2', 'T', 'D', 'D', 'D', 'C', 'Z');
    }

    @Test
    void aDeclineFallsBackToTheWorkerWithTheSameRows()
            throws Exception
    {
        try (Connection loop = connect(server); PreparedStatement lookup = prepared(loop, LOOKUP)) {
            source.mode(Mode.ROWS_NOW);
            List<String> expected = rows(lookup, 1);
            untilOneIsAnsweredOnTheLoop(lookup, 1, expected);

            source.mode(Mode.DECLINE_LATER);
            long declined = server.sourceAnswers().declinedCount();
            int workerRuns = source.workerRuns();
            assertThat(rows(lookup, 1)).isEqualTo(expected);
            assertThat(server.sourceAnswers().declinedCount()).isEqualTo(declined + 1);
            assertThat(source.workerRuns()).isEqualTo(workerRuns + 1);

            source.mode(Mode.DECLINE_AT_START);
            int starts = source.starts();
            long answered = server.sourceAnswers().answeredCount();
            for (int i = 0; i < 3; i++) {
                assertThat(rows(lookup, 1)).isEqualTo(expected);
            }
            assertThat(source.starts()).isGreaterThan(starts);
            assertThat(server.sourceAnswers().answeredCount()).isEqualTo(answered);
            assertThat(admission.open()).as("every permit given back").isZero();
        }
    }

    @Test
    void whatTheClientSendsMeanwhileWaitsAndIsAnsweredInOrder()
            throws Exception
    {
        try (TestingPgSocketClient raw = new TestingPgSocketClient(port(server))) {
            raw.login("alice", "s3cret");
            raw.writeRaw(bytes(parse("lookup", "SELECT id, name FROM customers WHERE id = $1", 23), parse("orders", "SELECT id FROM orders WHERE customer_id = $1", 23),
                    sync()));
            readUntilReady(raw);
            warmUp(raw);
            source.mode(Mode.HELD);
            raw.writeRaw(bytes(bind("", "lookup", List.of("1")), execute("", 0), sync()));
            HeldRun run = source.nextHeld(WAIT);
            assertThat(run).as("the lookup waits for its source on the event loop").isNotNull();
            int workerRuns = source.workerRuns();
            // each in a write of its own, while the lookup waits: another statement, and a simple Query
            raw.writeRaw(bytes(bind("", "orders", List.of("1")), execute("", 0), sync()));
            raw.query("SELECT id FROM orders WHERE id = 13");
            source.mode(Mode.ROWS_NOW);
            run.completeOnItsThread();
            assertThat(readUntilReady(raw)).containsExactly("1", "2", "3");
            assertThat(readUntilReady(raw)).containsExactly("10", "11", "12", "13");
            assertThat(readUntilReady(raw)).containsExactly("10", "11", "12", "13");
            assertThat(source.workerRuns()).as("the two that waited ran on a worker, after the answer").isEqualTo(workerRuns + 2);
        }
    }

    @Test
    void aCancelGives57014AndTheSessionGoesOn()
            throws Exception
    {
        try (Connection loop = connect(server); PreparedStatement lookup = prepared(loop, LOOKUP)) {
            source.mode(Mode.ROWS_NOW);
            List<String> expected = rows(lookup, 2);
            untilOneIsAnsweredOnTheLoop(lookup, 2, expected);
            source.mode(Mode.HELD);
            int cancels = source.cancels();
            Future<List<String>> running = client.submit(() -> rows(lookup, 2));
            HeldRun run = source.nextHeld(WAIT);
            assertThat(run).isNotNull();
            lookup.cancel();
            assertThatThrownBy(() -> running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                    .hasMessageContaining("canceling statement due to user request");
            assertThat(source.cancels()).isEqualTo(cancels + 1);
            assertThat(run.outcome()).isCompletedExceptionally();
            assertThat(listener.events()).last().isEqualTo("finished " + LOOKUP.replace("?", "$1") + " failed 57014");

            source.mode(Mode.ROWS_NOW);
            assertThat(rows(lookup, 2)).isEqualTo(expected);
            assertThat(admission.open()).isZero();
        }
    }

    @Test
    void theStatementTimeoutGives57014AndTheSessionGoesOn()
            throws Exception
    {
        try (Connection loop = connect(server); PreparedStatement lookup = prepared(loop, LOOKUP); Statement statement = loop.createStatement()) {
            statement.execute("SET statement_timeout = '200ms'");
            source.mode(Mode.ROWS_NOW);
            List<String> expected = rows(lookup, 3);
            untilOneIsAnsweredOnTheLoop(lookup, 3, expected);
            source.mode(Mode.HELD);
            int cancels = source.cancels();
            assertThatThrownBy(() -> rows(lookup, 3))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                    .hasMessageContaining("canceling statement due to statement timeout");
            assertThat(source.cancels()).isEqualTo(cancels + 1);
            HeldRun run = source.nextHeld(WAIT);
            assertThat(run).as("the statement waited on the event loop").isNotNull();
            assertThat(run.outcome()).isCompletedExceptionally();

            source.mode(Mode.ROWS_NOW);
            statement.execute("SET statement_timeout = 0");
            assertThat(rows(lookup, 3)).isEqualTo(expected);
            assertThat(admission.open()).isZero();
        }
    }

    @Test
    void aConnectionClosingMidRunCancelsItAndGivesBackItsPermit()
            throws Exception
    {
        HeldRun run;
        CompletableFuture<Void> permitClosed;
        try (TestingPgSocketClient raw = new TestingPgSocketClient(port(server))) {
            raw.login("alice", "s3cret");
            raw.writeRaw(bytes(parse("lookup", "SELECT id, name FROM customers WHERE id = $1", 23), sync()));
            readUntilReady(raw);
            warmUp(raw);
            source.mode(Mode.HELD);
            raw.writeRaw(bytes(bind("", "lookup", List.of("1")), execute("", 0), sync()));
            run = source.nextHeld(WAIT);
            assertThat(run).isNotNull();
            permitClosed = admission.lastAtOnce();
            assertThat(permitClosed).as("the waiting statement holds its permit").isNotDone();
        }
        permitClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThatThrownBy(() -> run.outcome().join()).isInstanceOf(CancellationException.class);
        source.mode(Mode.ROWS_NOW);
    }

    @Test
    void aPlainStatementsLiteralLookupIsAnsweredOnTheLoopAndCancelledThere()
            throws Exception
    {
        source.mode(Mode.ROWS_NOW);
        try (Connection loop = connect(server); Statement plain = loop.createStatement(); Connection viaWorkers = connect(workersOnly);
                Statement truth = viaWorkers.createStatement()) {
            long answered = server.sourceAnswers().answeredCount();
            // Parse, Bind, Describe, Execute, Sync of the unnamed statement, other literals each time: planned once, then checked without planning
            for (int id = 1; id <= 10; id++) {
                String sql = "SELECT id, name FROM customers WHERE id = " + id;
                assertThat(rows(plain, sql)).isEqualTo(rows(truth, sql));
            }
            assertThat(server.sourceAnswers().answeredCount()).as("literal lookups answered on the event loop").isGreaterThan(answered);

            long before = server.sourceAnswers().answeredCount();
            for (int i = 0; i < 50 && server.sourceAnswers().answeredCount() == before; i++) {
                rows(plain, "SELECT id, name FROM customers WHERE id = " + (20 + i));
            }
            assertThat(server.sourceAnswers().answeredCount()).isGreaterThan(before);
            source.mode(Mode.HELD);
            Future<List<String>> running = client.submit(() -> rows(plain, "SELECT id, name FROM customers WHERE id = 99"));
            HeldRun run = source.nextHeld(WAIT);
            assertThat(run).as("the lookup waits for its source on the event loop").isNotNull();
            plain.cancel();
            assertThatThrownBy(() -> running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            assertThat(run.outcome()).isCompletedExceptionally();

            source.mode(Mode.ROWS_NOW);
            String sql = "SELECT id, name FROM customers WHERE id = 3";
            assertThat(rows(plain, sql)).isEqualTo(rows(truth, sql));
            assertThat(admission.open()).isZero();
        }
    }

    @Test
    void aTransactionBlockAParseASimpleQueryOfANewShapeOrOfTwoStatementsAndTheSettingOffNeverGoThere()
            throws Exception
    {
        source.mode(Mode.ROWS_NOW);
        int starts = source.starts();
        try (Connection loop = connect(server); PreparedStatement lookup = prepared(loop, LOOKUP)) {
            // the first run of a statement carries its Parse (with parameters, of a shape not parsed before: it is planned, on a worker)
            List<String> expected = rows(lookup, 1);
            assertThat(source.starts()).isEqualTo(starts);
            try (TestingPgSocketClient raw = new TestingPgSocketClient(port(server))) {
                raw.login("alice", "s3cret");
                raw.query("SELECT id FROM customers WHERE id = 1");
                assertThat(readUntilReady(raw)).isNotEmpty();
                assertThat(source.starts()).as("a simple Query of a shape the session has not run: planned on a worker").isEqualTo(starts);
                raw.query("SELECT id FROM customers WHERE id = 6; SELECT id FROM customers WHERE id = 7");
                assertThat(readUntilReady(raw)).isNotEmpty();
                assertThat(source.starts()).as("a simple Query of two statements").isEqualTo(starts);
                for (int id = 2; id <= 5; id++) {
                    raw.query("SELECT id FROM customers WHERE id = " + id);
                    assertThat(readUntilReady(raw)).isNotEmpty();
                }
                // the one right after a worker's statement may find that worker still finishing its task: the others start on the loop
                assertThat(source.starts() - starts).as("later simple Queries of the shape start at the source on the loop").isBetween(3, 4);
                starts = source.starts();
            }
            loop.setAutoCommit(false);
            for (int i = 0; i < 5; i++) {
                assertThat(rows(lookup, 1)).isEqualTo(expected);
            }
            assertThat(source.starts()).as("inside a transaction block").isEqualTo(starts);
            loop.commit();
        }
        try (Connection viaWorkers = connect(workersOnly); PreparedStatement lookup = prepared(viaWorkers, LOOKUP)) {
            for (int i = 0; i < 5; i++) {
                rows(lookup, 1);
            }
            assertThat(source.starts()).as("with protocol.statements_on_event_loop off").isEqualTo(starts);
            assertThat(workersOnly.sourceAnswers().answeredCount()).isZero();
        }
    }

    @Test
    void withAResultCacheOnlyWhatItDoesNotKeepGoesThere()
            throws Exception
    {
        source.mode(Mode.ROWS_NOW);
        try (Connection connection = connect(cached); PreparedStatement customers = prepared(connection, LOOKUP);
                PreparedStatement orders = prepared(connection, "SELECT id, amount FROM orders WHERE customer_id = ?")) {
            int starts = source.starts();
            for (int i = 0; i < 5; i++) {
                rows(customers, 1);
            }
            assertThat(source.starts()).as("a statement the cache keeps is loaded by a worker, then answered from the cache").isEqualTo(starts);
            long answered = cached.sourceAnswers().answeredCount();
            List<String> expected = rows(orders, 1);
            untilOneIsAnsweredOnTheLoopOf(cached, orders, 1, expected);
            assertThat(cached.sourceAnswers().answeredCount()).isGreaterThan(answered);
        }
    }

    /** Runs the lookup until one run is answered on {@link #server}'s event loop (at most 50 runs), each answer checked. */
    private void untilOneIsAnsweredOnTheLoop(PreparedStatement statement, int id, List<String> expected)
            throws SQLException
    {
        untilOneIsAnsweredOnTheLoopOf(server, statement, id, expected);
    }

    private static void untilOneIsAnsweredOnTheLoopOf(PgServer on, PreparedStatement statement, int id, List<String> expected)
            throws SQLException
    {
        long answered = on.sourceAnswers().answeredCount();
        for (int i = 0; i < 50 && on.sourceAnswers().answeredCount() == answered; i++) {
            assertThat(rows(statement, id)).isEqualTo(expected);
        }
        assertThat(on.sourceAnswers().answeredCount()).as("one of 50 runs answered on the event loop").isGreaterThan(answered);
    }

    /** Bind/Execute/Sync of "lookup" over the raw client until one is answered on {@link #server}'s event loop: the session's work queue is idle after it. */
    private void warmUp(TestingPgSocketClient raw)
            throws IOException
    {
        source.mode(Mode.ROWS_NOW);
        long answered = server.sourceAnswers().answeredCount();
        for (int i = 0; i < 50 && server.sourceAnswers().answeredCount() == answered; i++) {
            raw.writeRaw(bytes(bind("", "lookup", List.of("1")), execute("", 0), sync()));
            assertThat(readUntilReady(raw)).containsExactly("1", "2", "3");
        }
        assertThat(server.sourceAnswers().answeredCount()).isGreaterThan(answered);
    }

    /** Bind/Describe portal/Execute/Sync of a lookup over the raw client; on the loop: repeated until one was answered there. */
    private List<TestingPgSocketClient.Message> describedLookup(PgServer on, int id, boolean untilOnTheLoop)
            throws IOException
    {
        try (TestingPgSocketClient raw = new TestingPgSocketClient(port(on))) {
            raw.login("alice", "s3cret");
            raw.writeRaw(bytes(parse("lookup", "SELECT id, name, email, created_at FROM customers WHERE id = $1", 23), sync()));
            readUntilReady(raw);
            List<TestingPgSocketClient.Message> messages = List.of();
            long answered = on.sourceAnswers().answeredCount();
            for (int i = 0; i < 50; i++) {
                raw.writeRaw(bytes(bind("", "lookup", List.of(Integer.toString(id))), describe('P', ""), execute("", 0), sync()));
                messages = untilReady(raw);
                if (!untilOnTheLoop || on.sourceAnswers().answeredCount() > answered) {
                    break;
                }
            }
            return messages;
        }
    }

    private int port(PgServer on)
    {
        return ports.get(on);
    }

    private static List<TestingPgSocketClient.Message> untilReady(TestingPgSocketClient raw)
            throws IOException
    {
        List<TestingPgSocketClient.Message> messages = new ArrayList<>();
        while (true) {
            TestingPgSocketClient.Message message = raw.next();
            messages.add(message);
            if (message.type() == 'Z') {
                return messages;
            }
        }
    }

    /** The first column of each DataRow up to the next ReadyForQuery; an ErrorResponse fails. */
    private static List<String> readUntilReady(TestingPgSocketClient raw)
            throws IOException
    {
        List<String> values = new ArrayList<>();
        for (TestingPgSocketClient.Message message : untilReady(raw)) {
            if (message.type() == 'E') {
                throw new IllegalStateException("error: " + new String(message.body(), StandardCharsets.UTF_8));
            }
            if (message.type() == 'D') {
                ByteBuffer row = ByteBuffer.wrap(message.body());
                row.getShort();
                int length = row.getInt();
                values.add(new String(message.body(), row.position(), length, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static List<String> text(List<TestingPgSocketClient.Message> messages)
    {
        return messages.stream().map(message -> message.type() + ":" + ByteBufUtil.hexDump(message.body())).toList();
    }

    private static byte[] bytes(ByteBuf... frames)
    {
        int length = 0;
        for (ByteBuf frame : frames) {
            length += frame.readableBytes();
        }
        byte[] bytes = new byte[length];
        int offset = 0;
        for (ByteBuf frame : frames) {
            int readable = frame.readableBytes();
            frame.readBytes(bytes, offset, readable);
            offset += readable;
            frame.release();
        }
        return bytes;
    }

    private Connection connect(PgServer on)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "s3cret");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port(on) + "/shop", properties);
    }

    /** A statement pgjdbc prepares at the gateway at once: its later runs are Bind/Execute/Sync. */
    private static PreparedStatement prepared(Connection connection, String sql)
            throws SQLException
    {
        PreparedStatement statement = connection.prepareStatement(sql);
        statement.unwrap(PGStatement.class).setPrepareThreshold(1);
        return statement;
    }

    private static List<String> rows(PreparedStatement statement, int parameter)
            throws SQLException
    {
        statement.setInt(1, parameter);
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static List<String> rows(Statement statement, String sql)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? "|" : "").append(result.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

    private static String columns(PreparedStatement statement)
            throws SQLException
    {
        ResultSetMetaData metadata = statement.getMetaData();
        StringBuilder columns = new StringBuilder();
        for (int i = 1; i <= metadata.getColumnCount(); i++) {
            columns.append(metadata.getColumnName(i)).append(':').append(metadata.getColumnTypeName(i)).append(';');
        }
        return columns.toString();
    }

    /** What the statement listeners hear (the audit trail and the metrics listen there): each statement's start and end. */
    private static final class RecordingListener
            implements StatementListener
    {
        private final List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public void started(StatementInfo statement)
        {
            events.add("started " + statement.statement().sql());
        }

        @Override
        public void finished(StatementInfo statement, long rows, Optional<Throwable> failure)
        {
            events.add("finished " + statement.statement().sql() + failure
                    .map(e -> " failed " + (e instanceof dev.sekisho.planner.spi.QueryException query ? query.sqlState() : e.toString()))
                    .orElse(" rows=" + rows));
        }

        List<String> events()
        {
            return events;
        }
    }

    /** Admits every statement, counting the permits not given back; a permit given at once can be awaited. */
    private static final class CountingAdmission
            implements Admission
    {
        private final AtomicInteger open = new AtomicInteger();
        private volatile CompletableFuture<Void> lastAtOnce = CompletableFuture.completedFuture(null);

        @Override
        public Permit admit(StatementInfo statement)
        {
            return permit(new CompletableFuture<>());
        }

        @Override
        public Optional<Permit> admitAtOnce(StatementInfo statement)
        {
            CompletableFuture<Void> closed = new CompletableFuture<>();
            lastAtOnce = closed;
            return Optional.of(permit(closed));
        }

        private Permit permit(CompletableFuture<Void> closed)
        {
            open.incrementAndGet();
            AtomicBoolean done = new AtomicBoolean();
            return () -> {
                if (done.compareAndSet(false, true)) {
                    open.decrementAndGet();
                    closed.complete(null);
                }
            };
        }

        int open()
        {
            return open.get();
        }

        CompletableFuture<Void> lastAtOnce()
        {
            return lastAtOnce;
        }
    }
}
