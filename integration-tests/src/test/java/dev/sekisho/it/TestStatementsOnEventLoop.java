package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGStatement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prepared point lookups through pgjdbc against real MariaDB, answered on the front door's event
 * loop without a worker (the MySQL connector reads them over its own non-blocking client there):
 * they are really answered there (the gateway's count grows) and give the rows and columns, value
 * for value, that the worker path gives (a gateway with {@code protocol.statements_on_event_loop:
 * false}), masked and row-filtered ones under a policy too; a transaction block goes to the worker.
 */
class TestStatementsOnEventLoop
{
    private static Gateway gateway;
    private static Gateway workersOnly;
    private static Gateway masked;
    private static Gateway maskedWorkersOnly;

    @BeforeAll
    static void start()
            throws IOException
    {
        gateway = TestingGateway.shared().startGatewayWith("", null);
        workersOnly = TestingGateway.shared().startGatewayWith("protocol: {statements_on_event_loop: false}", null);
        Path policyDir = Files.createDirectories(Files.createTempDirectory("sekisho-loop-statements-it").resolve("policies"));
        for (String file : TestingGateway.BYPASS_POLICY_FILES) {
            TestingGateway.copyResource("policies/bypass/" + file, policyDir.resolve(file));
        }
        masked = TestingGateway.shared().startGatewayWith("", policyDir);
        maskedWorkersOnly = TestingGateway.shared().startGatewayWith("protocol: {statements_on_event_loop: false}", policyDir);
    }

    @AfterAll
    static void stop()
    {
        for (Gateway started : new Gateway[] {gateway, workersOnly, masked, maskedWorkersOnly}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    void preparedPointLookupsAreAnsweredOnTheLoopWithTheWorkersRows()
            throws Exception
    {
        List<String> statements = List.of(
                "SELECT id, name, email, phone, region, segment, birth_date, created_at, is_active FROM shop.customers WHERE id = ?",
                "SELECT id, customer_id, amount, currency, status, ordered_at, note FROM shop.orders WHERE id = ?",
                "SELECT id, name, category, price FROM shop.products WHERE id = ?");
        long answered = gateway.sourceAnswers().answeredCount();
        try (Connection loop = TestingGateway.connect(gateway, "alice"); Connection viaWorkers = TestingGateway.connect(workersOnly, "alice")) {
            for (String sql : statements) {
                long before = gateway.sourceAnswers().answeredCount();
                try (PreparedStatement onLoop = prepared(loop, sql); PreparedStatement onWorker = prepared(viaWorkers, sql)) {
                    for (int round = 0; round < 3; round++) {
                        for (int id = 1; id <= 8; id++) {
                            List<String> expected = rows(onWorker, id);
                            assertThat(expected).as(sql + " with " + id).hasSize(1);
                            assertThat(rows(onLoop, id)).as(sql + " with " + id).isEqualTo(expected);
                            assertThat(columns(onLoop)).isEqualTo(columns(onWorker));
                        }
                    }
                    // a miss of an id no row has: no rows either way
                    assertThat(rows(onLoop, -1)).isEqualTo(rows(onWorker, -1)).isEmpty();
                }
                assertThat(gateway.sourceAnswers().answeredCount()).as("answered on the event loop: " + sql).isGreaterThan(before);
            }
        }
        assertThat(gateway.sourceAnswers().answeredCount() - answered).isGreaterThanOrEqualTo(statements.size());
        assertThat(workersOnly.sourceAnswers().answeredCount()).isZero();
    }

    @Test
    void maskedAndFilteredLookupsAreAnsweredOnTheLoopWithTheWorkersRows()
            throws Exception
    {
        String customers = "SELECT id, name, email, phone, region, birth_date FROM shop.customers WHERE id = ?";
        String orders = "SELECT id, amount, note, status FROM shop.orders WHERE customer_id = ?";
        long answered = masked.sourceAnswers().answeredCount();
        for (String user : List.of("alice", "bob")) {
            try (Connection loop = TestingGateway.connect(masked, user); Connection viaWorkers = TestingGateway.connect(maskedWorkersOnly, user)) {
                for (String sql : List.of(customers, orders)) {
                    try (PreparedStatement onLoop = prepared(loop, sql); PreparedStatement onWorker = prepared(viaWorkers, sql)) {
                        for (int round = 0; round < 3; round++) {
                            for (int id = 1; id <= 12; id++) {
                                assertThat(rows(onLoop, id)).as(user + ": " + sql + " with " + id).isEqualTo(rows(onWorker, id));
                            }
                        }
                    }
                }
            }
        }
        assertThat(masked.sourceAnswers().answeredCount()).as("masked lookups answered on the event loop").isGreaterThan(answered);
        assertThat(maskedWorkersOnly.sourceAnswers().answeredCount()).isZero();
    }

    /**
     * pgjdbc's plain Statement (Parse, Bind, Describe, Execute, Sync of the unnamed statement) with
     * Redash's annotation and the id as a literal, both new in every text: once the session parsed
     * the shape (on a worker, which plans it), the next texts are parsed without planning and
     * answered on the loop, with the worker path's rows, masked and filtered ones too.
     */
    @Test
    void redashStyleLiteralLookupsAreAnsweredOnTheLoopOnceTheSessionKnowsTheirShape()
            throws Exception
    {
        String template = "/* Username: analyst@example.com, query_id: adhoc, Queue: queries, Job ID: %s, Query Hash: 5d41, Scheduled: False */ "
                + "SELECT id, name, email, phone, region FROM shop.customers WHERE id = %d";
        for (Gateway[] pair : List.of(new Gateway[] {gateway, workersOnly}, new Gateway[] {masked, maskedWorkersOnly})) {
            for (String user : List.of("alice", "bob")) {
                long before;
                try (Connection loop = TestingGateway.connect(pair[0], user); Connection viaWorkers = TestingGateway.connect(pair[1], user);
                        Statement onLoop = loop.createStatement(); Statement onWorker = viaWorkers.createStatement()) {
                    // the first texts go to workers: one plans the shape, and the source learns the statement's columns and (in the
                    // background) the server's session; from then on the texts are answered on the loop
                    Gateway started = pair[0];
                    int[] warmUp = {100};
                    awaitAnsweredOnTheLoop(started, () -> rows(onLoop, template.formatted(UUID.randomUUID(), warmUp[0]++)));
                    before = started.sourceAnswers().answeredCount();
                    for (int id = 13; id <= 24; id++) {
                        String sql = template.formatted(UUID.randomUUID(), id);
                        assertThat(rows(onLoop, sql)).as(user + ": " + sql).isEqualTo(rows(onWorker, sql));
                    }
                    // a text of a shape this session has not parsed yet goes to a worker, which plans it
                    long known = pair[0].sourceAnswers().answeredCount();
                    String other = "SELECT name, id FROM shop.customers WHERE id = 3";
                    assertThat(rows(onLoop, other)).isEqualTo(rows(onWorker, other));
                    assertThat(pair[0].sourceAnswers().answeredCount()).as("a new shape is planned on a worker").isEqualTo(known);
                }
                // the one after a worker's statement may find the worker still finishing: the rest are answered on the loop
                assertThat(pair[0].sourceAnswers().answeredCount() - before).as(user + ": texts 13 to 24 answered on the loop").isGreaterThanOrEqualTo(11);
            }
            assertThat(pair[1].sourceAnswers().answeredCount()).isZero();
        }
    }

    /**
     * The same lookups sent as simple Queries (pgjdbc's {@code preferQueryMode=simple}: what psycopg2, and so Redash, sends): once
     * the session ran the shape, the next texts are answered on the loop, with the worker path's rows, masked ones too; a Query
     * of two statements goes to a worker.
     */
    @Test
    void redashStyleSimpleQueriesAreAnsweredOnTheLoopOnceTheSessionKnowsTheirShape()
            throws Exception
    {
        String template = "/* Username: analyst@example.com, query_id: 7, Queue: queries, Job ID: %s, Query Hash: 9e1f, Scheduled: True */ "
                + "SELECT id, name, email, phone, region FROM shop.customers WHERE id = %d";
        for (Gateway[] pair : List.of(new Gateway[] {gateway, workersOnly}, new Gateway[] {masked, maskedWorkersOnly})) {
            for (String user : List.of("alice", "bob")) {
                try (Connection loop = connectSimple(pair[0], user); Connection viaWorkers = connectSimple(pair[1], user);
                        Statement onLoop = loop.createStatement(); Statement onWorker = viaWorkers.createStatement()) {
                    int[] warmUp = {100};
                    awaitAnsweredOnTheLoop(pair[0], () -> rows(onLoop, template.formatted(UUID.randomUUID(), warmUp[0]++)));
                    long before = pair[0].sourceAnswers().answeredCount();
                    for (int id = 1; id <= 12; id++) {
                        String sql = template.formatted(UUID.randomUUID(), id);
                        assertThat(rows(onLoop, sql)).as(user + ": " + sql).isEqualTo(rows(onWorker, sql));
                    }
                    assertThat(pair[0].sourceAnswers().answeredCount() - before).as(user + ": simple Queries answered on the loop").isGreaterThanOrEqualTo(11);

                    long known = pair[0].sourceAnswers().answeredCount();
                    String two = template.formatted(UUID.randomUUID(), 3) + "; " + template.formatted(UUID.randomUUID(), 4);
                    List<String> both = allRows(onLoop, two);
                    assertThat(both).isEqualTo(allRows(onWorker, two));
                    if (pair[0] == gateway) {
                        assertThat(both).as("both statements' rows").hasSize(2);
                    }
                    assertThat(pair[0].sourceAnswers().answeredCount()).as("a Query of two statements runs on a worker").isEqualTo(known);
                }
            }
        }
    }

    /** The rows of every result of {@code sql}, in order. */
    private static List<String> allRows(Statement statement, String sql)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        boolean isResultSet = statement.execute(sql);
        while (isResultSet || statement.getUpdateCount() != -1) {
            if (isResultSet) {
                try (ResultSet result = statement.getResultSet()) {
                    while (result.next()) {
                        rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3));
                    }
                }
            }
            isResultSet = statement.getMoreResults();
        }
        return rows;
    }

    private static Connection connectSimple(Gateway gateway, String user)
            throws SQLException
    {
        java.util.Properties properties = new java.util.Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", user + TestingGateway.PASSWORD_SUFFIX);
        properties.setProperty("preferQueryMode", "simple");
        return java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + gateway.pgPort() + "/sekisho", properties);
    }

    private interface Lookup
    {
        void run()
                throws SQLException;
    }

    /**
     * Runs {@code lookup} until one run is answered on {@code started}'s event loop: the first runs of a statement go to workers
     * (its plan, its result columns) and the connector reads each server's session in the background before its first
     * non-blocking run. Fails after 20 seconds.
     */
    private static void awaitAnsweredOnTheLoop(Gateway started, Lookup lookup)
            throws SQLException, InterruptedException
    {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        long answered = started.sourceAnswers().answeredCount();
        while (started.sourceAnswers().answeredCount() == answered) {
            assertThat(System.nanoTime() - deadline).as("a run answered on the event loop within 20 s").isNegative();
            lookup.run();
            if (started.sourceAnswers().answeredCount() == answered) {
                Thread.sleep(10);
            }
        }
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

    /**
     * A lookup answered on the loop reaches MariaDB once (its kept statement executed, nothing
     * prepared again), masked and filtered ones too: the plan reads the rows that arrived on the
     * loop, never sends the statement again (through Connector/J, on the event loop).
     */
    @Test
    void eachLookupAnsweredOnTheLoopRunsOnceAtTheSource()
            throws Exception
    {
        String sql = "SELECT id, name, email, phone, region FROM shop.customers WHERE id = ?";
        for (Gateway started : List.of(gateway, masked)) {
            try (Connection loop = TestingGateway.connect(started, "alice"); Connection probe = TestingGateway.shared().connectDirect("shop");
                    PreparedStatement lookup = prepared(loop, sql)) {
                awaitAnsweredOnTheLoop(started, () -> rows(lookup, 1));
                long answered = started.sourceAnswers().answeredCount();
                Map<String, Long> before = StatementCounters.read(probe);
                for (int id = 1; id <= 40; id++) {
                    rows(lookup, id);
                }
                Map<String, Long> delta = StatementCounters.delta(before, StatementCounters.read(probe));
                assertThat(started.sourceAnswers().answeredCount() - answered).as("answered on the loop").isEqualTo(40);
                assertThat(delta.get("Com_stmt_execute")).as("executions at the source: " + delta).isEqualTo(40L);
                assertThat(delta).as("nothing prepared again").doesNotContainKey("Com_stmt_prepare");
            }
        }
    }

    /**
     * Concurrent sessions mixing lookups answered on the loop with statements that fail (a syntax
     * error, an unknown table, a division by zero in a plan that has a source scan open) leave every client connection
     * answering and the source's connections, the JDBC pool's and the non-blocking ones, all idle.
     */
    @Test
    void concurrentSessionsMixingLoopLookupsAndFailuresLeaveTheSourceIdleAndEveryConnectionOpen()
            throws Exception
    {
        String sql = "SELECT id, name FROM shop.customers WHERE id = ?";
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(8);
        long answered = gateway.sourceAnswers().answeredCount() + masked.sourceAnswers().answeredCount();
        try {
            List<java.util.concurrent.Future<?>> sessions = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Gateway target = i % 2 == 0 ? gateway : masked;
                String user = i % 4 < 2 ? "alice" : "bob";
                int session = i;
                sessions.add(clients.submit(() -> {
                    try (Connection connection = TestingGateway.connect(target, user); PreparedStatement lookup = prepared(connection, sql);
                            Statement plain = connection.createStatement()) {
                        for (int call = 0; call < 150; call++) {
                            int id = 1 + (session * 37 + call) % 60;
                            List<String> rows = rows(lookup, id);
                            if (rows.size() > 1 || (!rows.isEmpty() && !rows.get(0).startsWith(id + "|"))) {
                                problems.add(user + " looked up " + id + " and got " + rows);
                            }
                            if (call % 10 == 3) {
                                expectFailure(() -> plain.executeQuery("selec 1").close(), "42601", problems);
                            }
                            if (call % 10 == 6) {
                                expectFailure(() -> plain.executeQuery("SELECT id FROM shop.nosuch WHERE id = " + id).close(), "42P01", problems);
                            }
                            if (call % 10 == 9) {
                                expectFailure(() -> plain.executeQuery("select o.id / (o.id - o.id) from generate_series(1, 3) x join shop.orders o on o.id = x")
                                        .close(), "22012", problems);
                            }
                        }
                        try (ResultSet one = plain.executeQuery("select 1")) {
                            if (!one.next() || one.getInt(1) != 1) {
                                problems.add(user + ": the connection no longer answers");
                            }
                        }
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> session : sessions) {
                session.get(5, java.util.concurrent.TimeUnit.MINUTES);
            }
        }
        finally {
            clients.shutdownNow();
        }
        assertThat(problems).isEmpty();
        assertThat(gateway.sourceAnswers().answeredCount() + masked.sourceAnswers().answeredCount() - answered).as("lookups answered on the loop")
                .isGreaterThan(600);
        for (Gateway started : List.of(gateway, masked)) {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(15);
            while (active(started) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(active(started)).as("source connections in use after every statement ended").isZero();
            assertThat(started.servers("shop").stream().mapToInt(dev.sekisho.planner.spi.ServerStatus::idleConnections).sum())
                    .as("the loop's connections wait idle with the pool's").isPositive();
        }
    }

    private interface Failing
    {
        void run()
                throws SQLException;
    }

    private static void expectFailure(Failing statement, String sqlState, List<String> problems)
    {
        try {
            statement.run();
            problems.add("expected " + sqlState + " but it answered");
        }
        catch (SQLException e) {
            if (!sqlState.equals(e.getSQLState())) {
                problems.add("expected " + sqlState + " but got " + e.getSQLState() + " " + e.getMessage());
            }
        }
    }

    private static int active(Gateway started)
    {
        return started.servers("shop").stream().mapToInt(dev.sekisho.planner.spi.ServerStatus::activeConnections).sum();
    }

    @Test
    void aTransactionBlockGoesToTheWorker()
            throws Exception
    {
        String sql = "SELECT id, name FROM shop.customers WHERE id = ?";
        try (Connection connection = TestingGateway.connect(gateway, "bob"); PreparedStatement lookup = prepared(connection, sql)) {
            List<String> expected = rows(lookup, 4);
            connection.setAutoCommit(false);
            long answered = gateway.sourceAnswers().answeredCount();
            for (int i = 0; i < 5; i++) {
                assertThat(rows(lookup, 4)).isEqualTo(expected);
            }
            assertThat(gateway.sourceAnswers().answeredCount()).isEqualTo(answered);
            connection.commit();
        }
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
}
