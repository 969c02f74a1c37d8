package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.planner.spi.ServerStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outage of issue 8: concurrent analysts running failing and succeeding statements must never
 * exhaust a source's pool, and no failing statement may cost its client the connection.
 *
 * <p>A gateway with a pool of 4 connections serves five concurrent sessions (pgjdbc's extended
 * protocol and its simple protocol; unrestricted and policy-restricted users) that run, in a
 * different order each round, statements of every kind that used to fail or leak: recursive CTEs,
 * array literals, engine failures half-way through a local plan, functions the source lacks, unknown
 * tables, syntax errors, cancels mid-stream, portals and cursors left open, clients that vanish
 * mid-stream. Afterwards no connection is lent out, a fresh lookup answers, and every session that
 * was not deliberately dropped is still open.
 */
public class TestSourcePoolUnderFailures
{
    private static final int ROUNDS = 3;
    private static final String BIG = "select o.id, c.id, c.email from shop.orders o cross join shop.customers c where c.id <= 100";

    /** A statement and what it must give: rows (null state) or an error with this SQLSTATE. */
    private record Probe(String sql, String sqlState)
    {
        static Probe ok(String sql)
        {
            return new Probe(sql, null);
        }

        static Probe fails(String sql, String sqlState)
        {
            return new Probe(sql, sqlState);
        }
    }

    private static final List<Probe> PROBES = List.of(
            Probe.ok("select name from shop.customers where id = 7"),
            Probe.ok("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT n FROM r"),
            Probe.ok("select attname from pg_catalog.pg_attribute where attnum = ANY ('{1,2}'::int2[]) limit 3"),
            Probe.fails("select '{1,x}'::int2[]", "22P02"),
            Probe.fails("select '{1,2'::int2[]", "22P02"),
            Probe.ok("select coalesce('', 'x')"),
            Probe.ok("select to_char(ordered_at, 'YYYY-MM') from shop.orders where id < 5"),
            Probe.ok("select array_agg(id) from shop.products where id <= 3"),
            Probe.ok("select json_build_object('a', 1)"),
            Probe.ok("select p.category, json_build_object('n', count(*)) from shop.products p group by 1"),
            Probe.fails("select nosuchfunc(1)", "42883"),
            Probe.fails("select * from shop.nosuch", "42P01"),
            Probe.fails("selec 1", "42601"),
            Probe.ok("select c.id, x.n from shop.customers c, lateral (select count(*) n from shop.orders o where o.customer_id = c.id) x where c.id < 5"),
            Probe.ok("select c.name, (select count(*) from shop.orders o where o.customer_id = c.id) from shop.customers c where c.id < 20"),
            Probe.ok("select x, c.name from generate_series(1, 5) x join shop.customers c on c.id = x"),
            // engine failures half-way through a local plan that has opened a source scan
            Probe.fails("select o.id / (o.id - o.id) from generate_series(1, 100) x join shop.orders o on o.id = x", "22012"),
            Probe.fails("select ('a' || o.id)::int from generate_series(1, 100) x join shop.orders o on o.id = x", "22P02"),
            Probe.ok("select c.region, count(*), row_number() over (order by count(*) desc) from shop.customers c group by c.region"),
            Probe.ok("select c.region, sum(o.amount) from shop.customers c join shop.orders o on o.customer_id = c.id group by rollup(c.region)"),
            Probe.ok("select string_agg(name, ',') from shop.products where id < 5"));

    private static TestingGateway shared;
    private static Gateway gateway;

    @BeforeAll
    public static void startGateway()
    {
        shared = TestingGateway.shared();
        // a small pool that concurrent statements share; the bypass policy masks and filters for some users
        gateway = shared.startGatewayWithPool("{max_size: 4, min_idle: 0, connection_timeout_ms: 3000, extra_connection_wait_ms: 300, leak_detection_ms: 10000}",
                shared.bypassPolicyDir());
    }

    @AfterAll
    public static void stopGateway()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    public void concurrentFailingStatementsLeaveThePoolIdleAndEveryConnectionOpen()
            throws Exception
    {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> sessions = new ArrayList<>();
            String[][] users = {{"admin", "extended"}, {"alice", "simple"}, {"bob", "extended"}, {"admin", "simple"}, {"alice", "extended"}};
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < users.length; i++) {
                String user = users[i][0];
                String mode = users[i][1];
                long seed = i;
                sessions.add(clients.submit(() -> {
                    start.await();
                    runSession(user, mode, seed, problems);
                    return null;
                }));
            }
            // besides them, clients that vanish mid-stream and cancels, over the same pool
            sessions.add(clients.submit(() -> {
                start.await();
                for (int round = 0; round < ROUNDS; round++) {
                    dropMidStream(round % 2 == 0 ? "admin" : "alice", problems);
                    cancelMidStream("bob", problems);
                    leaveCursorOpen("admin", problems);
                }
                return null;
            }));
            start.countDown();
            for (Future<?> session : sessions) {
                session.get(5, TimeUnit.MINUTES);
            }
        }
        finally {
            clients.shutdownNow();
        }
        assertThat(problems).isEmpty();

        // every lease came back (closing an aborted connection is asynchronous in HikariCP: allow a moment)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (active() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(active()).as("connections lent out after every statement ended").isZero();
        try (Connection connection = TestingGateway.connect(gateway, "admin");
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select id, name from shop.customers where id = 42")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getInt(1)).isEqualTo(42);
        }
    }

    private static int active()
    {
        return gateway.servers("shop").stream().mapToInt(ServerStatus::activeConnections).sum();
    }

    private static void runSession(String user, String mode, long seed, ConcurrentLinkedQueue<String> problems)
            throws SQLException
    {
        try (Connection connection = connect(user, mode)) {
            Random random = new Random(seed);
            for (int round = 0; round < ROUNDS; round++) {
                List<Probe> order = new ArrayList<>(PROBES);
                Collections.shuffle(order, random);
                for (Probe probe : order) {
                    run(connection, probe, user + "/" + mode, problems);
                }
                // a portal left half-read, then a statement that replaces it
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.setFetchSize(50);
                    ResultSet rows = statement.executeQuery(BIG);
                    for (int i = 0; i < 10 && rows.next(); i++) {
                        assertThat(rows.getInt(1)).isPositive();
                    }
                }
                connection.rollback();
                connection.setAutoCommit(true);
            }
            assertAnswers(connection, user + "/" + mode, problems);
        }
    }

    private static void run(Connection connection, Probe probe, String who, ConcurrentLinkedQueue<String> problems)
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(probe.sql())) {
            while (rows.next()) {
                rows.getObject(1);
            }
            if (probe.sqlState() != null) {
                problems.add(who + ": expected " + probe.sqlState() + " but it answered: " + probe.sql());
            }
        }
        catch (SQLException e) {
            if (!e.getSQLState().equals(probe.sqlState())) {
                problems.add(who + ": " + probe.sql() + " gave " + e.getSQLState() + " " + e.getMessage() + (probe.sqlState() == null ? "" : " (expected " + probe.sqlState() + ")"));
            }
        }
        assertAnswers(connection, who, problems);
    }

    /** The connection still answers: the failing statement did not cost it. */
    private static void assertAnswers(Connection connection, String who, ConcurrentLinkedQueue<String> problems)
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select 1")) {
            if (!rows.next() || rows.getInt(1) != 1) {
                problems.add(who + ": select 1 did not answer 1");
            }
        }
        catch (SQLException e) {
            problems.add(who + ": the connection no longer answers: " + e.getSQLState() + " " + e.getMessage());
        }
    }

    /** A client that reads a few rows of a big result and vanishes (the socket closes, no Terminate). */
    private static void dropMidStream(String user, ConcurrentLinkedQueue<String> problems)
    {
        try {
            Connection connection = connect(user, "extended");
            connection.setAutoCommit(false);
            Statement statement = connection.createStatement();
            statement.setFetchSize(100);
            ResultSet rows = statement.executeQuery(BIG);
            for (int i = 0; i < 150; i++) {
                rows.next();
            }
            connection.abort(Runnable::run);
        }
        catch (SQLException e) {
            problems.add(user + ": dropping mid-stream failed early: " + e.getSQLState() + " " + e.getMessage());
        }
    }

    /** A cancel while rows stream: 57014, and the connection goes on. */
    private static void cancelMidStream(String user, ConcurrentLinkedQueue<String> problems)
            throws Exception
    {
        try (Connection connection = connect(user, "extended"); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery(BIG)) {
                int read = 0;
                while (rows.next()) {
                    if (++read == 1000) {
                        statement.cancel();
                    }
                }
                // the whole result arrived before the cancel: nothing to check
            }
            catch (SQLException e) {
                if (!"57014".equals(e.getSQLState())) {
                    problems.add(user + ": cancel gave " + e.getSQLState() + " " + e.getMessage());
                }
            }
            assertAnswers(connection, user + "/cancel", problems);
        }
    }

    /** A cursor declared and fetched from, then the session ends with it open. */
    private static void leaveCursorOpen(String user, ConcurrentLinkedQueue<String> problems)
    {
        try (Connection connection = connect(user, "simple"); Statement statement = connection.createStatement()) {
            statement.execute("BEGIN");
            statement.execute("DECLARE c CURSOR FOR " + BIG);
            try (ResultSet rows = statement.executeQuery("FETCH 5 FROM c")) {
                int count = 0;
                while (rows.next()) {
                    count++;
                }
                if (count != 5) {
                    problems.add(user + ": FETCH 5 returned " + count + " rows");
                }
            }
        }
        catch (SQLException e) {
            problems.add(user + ": cursor: " + e.getSQLState() + " " + e.getMessage());
        }
    }

    private static Connection connect(String user, String mode)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", user + TestingGateway.PASSWORD_SUFFIX);
        properties.setProperty("preferQueryMode", mode);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + gateway.pgPort() + "/sekisho", properties);
    }
}
