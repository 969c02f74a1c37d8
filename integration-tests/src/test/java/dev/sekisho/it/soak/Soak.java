package dev.sekisho.it.soak;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.planner.spi.ServerStatus;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * Holds {@code connections} clients (pgjdbc, each on its own thread) against a gateway for
 * {@code duration}, each running a realistic mix in a loop: point lookups (prepared), scans read
 * to the end, catalog queries (as schema browsers send), statements cancelled while they run,
 * connections dropped mid-stream, and failed logins. Counts statements and unexpected errors,
 * samples the heap after a GC every {@code sampleEvery}, and at the end checks that every session
 * closed and every source connection came back, and how many file descriptors the process holds.
 * The expected outcomes (57014 for a cancel, 28P01 for a wrong password) are not errors.
 */
public final class Soak
{
    /** One action of a client, with its share of the mix in percent. */
    public enum Action
    {
        POINT_LOOKUP(45), SCAN(12), CATALOG(15), CANCEL(8), DISCONNECT_MID_STREAM(10), FAILED_LOGIN(10);

        private final int percent;

        Action(int percent)
        {
            this.percent = percent;
        }

        static Action pick()
        {
            int roll = ThreadLocalRandom.current().nextInt(100);
            for (Action action : values()) {
                roll -= action.percent;
                if (roll < 0) {
                    return action;
                }
            }
            return POINT_LOOKUP;
        }
    }

    /**
     * What the soak found.
     *
     * @param statements statements that completed as expected, by action
     * @param errors unexpected failures
     * @param firstErrors the first few unexpected failures' messages
     * @param heapMegabytes heap in use after a GC, one sample per interval
     * @param leakedSessions sessions still open at the gateway after every client closed
     * @param leakedSourceConnections source connections still lent after every client closed
     * @param fileDescriptorsBefore file descriptors of the process after warm-up (-1 where /proc is missing)
     * @param fileDescriptorsAfter file descriptors at the end
     */
    public record Report(int connections, Duration duration, Map<Action, Long> statements, long errors, List<String> firstErrors, List<Long> heapMegabytes,
            int leakedSessions, int leakedSourceConnections, long fileDescriptorsBefore, long fileDescriptorsAfter)
    {
        public long totalStatements()
        {
            return statements.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The report as Markdown, for docs/reliability.md. */
        public String toMarkdown()
        {
            StringBuilder text = new StringBuilder();
            text.append("| connections | duration | statements | errors | leaked sessions | leaked source connections | file descriptors before / after |\n");
            text.append("|---|---|---|---|---|---|---|\n");
            text.append("| ").append(connections).append(" | ").append(duration.toSeconds()).append(" s | ").append(totalStatements()).append(" | ")
                    .append(errors).append(" | ").append(leakedSessions).append(" | ").append(leakedSourceConnections).append(" | ")
                    .append(fileDescriptorsBefore).append(" / ").append(fileDescriptorsAfter).append(" |\n\n");
            text.append("Statements by kind: ").append(statements).append("\n\n");
            text.append("Heap in use after GC, MiB, per interval: ").append(heapMegabytes).append("\n");
            if (!firstErrors.isEmpty()) {
                text.append("\nFirst errors:\n");
                firstErrors.forEach(error -> text.append("- ").append(error).append('\n'));
            }
            return text.toString();
        }
    }

    private final Gateway gateway;
    private final String source;
    private final String user;
    private final String password;
    private final int connections;
    private final Duration duration;
    private final Duration sampleEvery;
    private final Map<Action, LongAdder> completed = new ConcurrentHashMap<>();
    private final LongAdder errors = new LongAdder();
    private final List<String> firstErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong maxCustomerId = new AtomicLong(1000);

    public Soak(Gateway gateway, String source, String user, String password, int connections, Duration duration, Duration sampleEvery)
    {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.source = requireNonNull(source, "source is null");
        this.user = requireNonNull(user, "user is null");
        this.password = requireNonNull(password, "password is null");
        this.connections = connections;
        this.duration = requireNonNull(duration, "duration is null");
        this.sampleEvery = requireNonNull(sampleEvery, "sampleEvery is null");
        for (Action action : Action.values()) {
            completed.put(action, new LongAdder());
        }
    }

    public Report run()
            throws InterruptedException
    {
        // warm-up: one of each, so that class loading and pools are not counted as growth
        try (Connection connection = connect(password)) {
            for (Action action : Action.values()) {
                if (action != Action.DISCONNECT_MID_STREAM) {
                    perform(connection, action);
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("the soak cannot even start: " + e.getMessage(), e);
        }
        completed.values().forEach(LongAdder::reset);
        errors.reset();
        firstErrors.clear();
        long descriptorsBefore = fileDescriptors();
        List<Long> heap = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> heap.add(heapAfterGc()), sampleEvery.toMillis(), sampleEvery.toMillis(), TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(connections);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Thread client = new Thread(() -> {
                try {
                    client(deadline);
                }
                finally {
                    done.countDown();
                }
            }, "soak-client-" + i);
            client.setDaemon(true);
            clients.add(client);
            client.start();
        }
        if (!done.await(duration.toSeconds() + 120, TimeUnit.SECONDS)) {
            error("clients still running 120 s after the end: " + clients.stream().filter(Thread::isAlive).count());
        }
        sampler.shutdownNow();
        heap.add(heapAfterGc());
        int leakedSessions = waitForZero(() -> gateway.sessions().size());
        int leakedConnections = waitForZero(() -> gateway.servers(source).stream().mapToInt(ServerStatus::activeConnections).sum());
        Map<Action, Long> statements = new java.util.EnumMap<>(Action.class);
        completed.forEach((action, count) -> statements.put(action, count.sum()));
        return new Report(connections, duration, statements, errors.sum(), List.copyOf(firstErrors), List.copyOf(heap), leakedSessions, leakedConnections,
                descriptorsBefore, fileDescriptors());
    }

    private void client(long deadline)
    {
        Connection connection = null;
        while (System.nanoTime() < deadline) {
            Action action = null;
            try {
                if (connection == null || connection.isClosed()) {
                    connection = connect(password);
                }
                action = Action.pick();
                if (action == Action.DISCONNECT_MID_STREAM) {
                    disconnectMidStream(connection);
                    connection = null;
                }
                else {
                    perform(connection, action);
                }
                completed.get(action).increment();
            }
            catch (SQLException | RuntimeException e) {
                error((action == null ? "connect" : action) + ": " + e.getClass().getSimpleName() + ": " + e.getMessage() + (e instanceof SQLException sql ? " (" + sql.getSQLState() + ")" : "")
                        + (e.getCause() == null ? "" : ", caused by " + e.getCause()));
                closeQuietly(connection);
                connection = null;
            }
        }
        closeQuietly(connection);
    }

    private void perform(Connection connection, Action action)
            throws SQLException
    {
        switch (action) {
            case POINT_LOOKUP -> {
                try (PreparedStatement statement = connection.prepareStatement("select id, name, email, region from shop.customers where id = ?")) {
                    statement.setLong(1, 1 + ThreadLocalRandom.current().nextLong(maxCustomerId.get()));
                    try (ResultSet rows = statement.executeQuery()) {
                        while (rows.next()) {
                            rows.getString(2);
                        }
                    }
                }
            }
            case SCAN -> {
                try (Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("select id, customer_id, status, amount, ordered_at from shop.orders where id % 7 = "
                                + ThreadLocalRandom.current().nextInt(7))) {
                    while (rows.next()) {
                        rows.getLong(1);
                    }
                }
            }
            case CATALOG -> {
                try (ResultSet tables = connection.getMetaData().getTables(null, "shop", "%", new String[] {"TABLE"})) {
                    while (tables.next()) {
                        tables.getString("TABLE_NAME");
                    }
                }
                try (ResultSet columns = connection.getMetaData().getColumns(null, "shop", "customers", "%")) {
                    while (columns.next()) {
                        columns.getString("COLUMN_NAME");
                    }
                }
            }
            case CANCEL -> cancel(connection);
            case FAILED_LOGIN -> {
                try (Connection ignored = connect("not-the-password")) {
                    throw new SQLException("a wrong password logged in");
                }
                catch (SQLException e) {
                    if (!"28P01".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            case DISCONNECT_MID_STREAM -> throw new IllegalStateException("handled by the client loop");
        }
    }

    /** A statement that runs at the source for a long time, cancelled from another thread while it runs. */
    private static void cancel(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(50 + ThreadLocalRandom.current().nextInt(150));
                    statement.cancel();
                }
                catch (InterruptedException | SQLException ignored) {
                    // the statement ended first
                }
            });
            canceller.start();
            try (ResultSet rows = statement.executeQuery("select count(*) from shop.orders a cross join shop.orders b where a.id + b.id = -1")) {
                rows.next();
            }
            catch (SQLException e) {
                if (!"57014".equals(e.getSQLState())) {
                    throw e;
                }
            }
            finally {
                try {
                    canceller.join();
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Streams a large result through a portal and drops the socket halfway, without Terminate. */
    private static void disconnectMidStream(Connection connection)
            throws SQLException
    {
        connection.setAutoCommit(false);
        Statement statement = connection.createStatement();
        statement.setFetchSize(200);
        ResultSet rows = statement.executeQuery("select o.id, o.amount, c.email from shop.orders o join shop.customers c on c.id = o.customer_id");
        int stopAt = 100 + ThreadLocalRandom.current().nextInt(2000);
        for (int i = 0; i < stopAt && rows.next(); i++) {
            rows.getString(3);
        }
        connection.abort(Runnable::run);
    }

    private Connection connect(String withPassword)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", withPassword);
        properties.setProperty("connectTimeout", "30");
        properties.setProperty("socketTimeout", "120");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + gateway.pgPort() + "/sekisho", properties);
    }

    private void error(String message)
    {
        errors.increment();
        if (firstErrors.size() < 10) {
            firstErrors.add(message);
        }
    }

    private static void closeQuietly(Connection connection)
    {
        if (connection != null) {
            try {
                connection.close();
            }
            catch (SQLException ignored) {
                // already broken
            }
        }
    }

    private static long heapAfterGc()
    {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
    }

    private static long fileDescriptors()
    {
        Path fds = Path.of("/proc/self/fd");
        if (!Files.isDirectory(fds)) {
            return -1;
        }
        try (var entries = Files.list(fds)) {
            return entries.count();
        }
        catch (IOException e) {
            return -1;
        }
    }

    /** Waits up to 30 s for a count to reach zero; returns what it is then. */
    private static int waitForZero(java.util.function.IntSupplier count)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int value = count.getAsInt();
        while (value != 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = count.getAsInt();
        }
        return value;
    }
}
