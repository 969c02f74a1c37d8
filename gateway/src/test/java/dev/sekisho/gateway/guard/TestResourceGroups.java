package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementListener;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.PgServer;
import dev.sekisho.gateway.pgwire.PgServerOptions;
import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Resource groups over the wire, with pgjdbc: a flood of ad-hoc statements fills its own group
 * and queue but takes no worker thread while it waits, so a statement Redash marks
 * {@code Scheduled: True} starts at once in its own group (its queue wait is measured, and is
 * zero); a statement that waits past its group's queue timeout fails with 57014 naming the group;
 * a full queue refuses at once (53400); the statement timeout cancels a running one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestResourceGroups
{
    private static final String POLICY = """
            resource_groups:
              groups:
                scheduled: {max_concurrent: 2, max_queued: 5, queue_timeout: 30s}
                adhoc:     {max_concurrent: 2, max_queued: 30, queue_timeout: 60s}
                tiny:      {max_concurrent: 1, max_queued: 1, queue_timeout: 300ms, statement_timeout: 2s, max_rows: 5}
              select:
                - {scheduled: true, group: scheduled}
                - {application_name: "tiny*", group: tiny}
              default: adhoc
            """;
    private static final String REDASH_SCHEDULED = "/* Username: a@x.com, query_id: 42, Queue: scheduled_queries, Job ID: 5b2c-77, "
            + "Query Hash: 0f3e8a, Scheduled: True */ ";

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final ExecutorService client = Executors.newCachedThreadPool();
    private final ConcurrentLinkedQueue<CostGuard.Admitted> admitted = new ConcurrentLinkedQueue<>();
    private ThreadPoolExecutor workers;
    private CostGuard guard;
    private PgServer server;
    private int port;

    @BeforeAll
    void start()
    {
        PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("groups.yaml", POLICY)));
        guard = new CostGuard(() -> policies, List.of(), Duration.ofSeconds(30), admitted::add);
        // four workers for 23 sessions: statements waiting in a queue must not hold one
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000));
        Sessions sessions = new Sessions(planner, SessionPolicies.disabled(), List.of("shop"), new StatementPipeline(guard, StatementListener.NONE));
        server = new PgServer(PgServerOptions.defaults().withPort(0), users(), sessions, workers);
        port = server.start();
    }

    @AfterAll
    void stop()
    {
        client.shutdownNow();
        server.close();
        workers.shutdownNow();
        guard.close();
    }

    @Test
    void aScheduledStatementStartsWithinItsOwnGroupWhileAdhocIsSaturated()
            throws Exception
    {
        List<Connection> connections = new ArrayList<>();
        List<Statement> statements = new ArrayList<>();
        List<Future<?>> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Connection connection = connect("psql");
                Statement statement = connection.createStatement();
                connections.add(connection);
                statements.add(statement);
                flood.add(client.submit(() -> count(statement.executeQuery("select n from blocking(1)"))));
            }
            awaitLoad("adhoc", 2, 18);

            try (Connection redash = connect("Redash"); Statement statement = redash.createStatement()) {
                assertThat(count(statement.executeQuery(REDASH_SCHEDULED + "select n from series(3)"))).isEqualTo(3);
            }
            CostGuard.Admitted scheduled = admitted.stream().filter(entry -> entry.group().equals(java.util.Optional.of("scheduled"))).findFirst().orElseThrow();
            assertThat(scheduled.queueWait()).isEqualTo(Duration.ZERO);
            assertThat(scheduled.sql()).isEqualTo("select n from series(3)");
            // the flood is still there, behind its own limit
            assertThat(guard.load("adhoc")).containsExactly(2, 18);
        }
        finally {
            for (Statement statement : statements) {
                statement.cancel();
            }
            for (Future<?> statement : flood) {
                assertThatThrownBy(() -> statement.get(30, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).isEqualTo("57014"));
            }
            for (Connection connection : connections) {
                connection.close();
            }
        }
        assertThat(guard.load("adhoc")).containsExactly(0, 0);
    }

    @Test
    void queueTimeoutQueueFullStatementTimeoutAndMaxRows()
            throws Exception
    {
        try (Connection first = connect("tiny-report"); Statement running = first.createStatement();
                Connection second = connect("tiny-report"); Statement waiting = second.createStatement();
                Connection third = connect("tiny-report"); Statement refused = third.createStatement()) {
            Future<?> holder = client.submit(() -> count(running.executeQuery("select n from blocking(1)")));
            awaitLoad("tiny", 1, 0);
            Future<?> queued = client.submit(() -> count(waiting.executeQuery("select n from series(1)")));
            awaitLoad("tiny", 1, 1);

            assertThatThrownBy(() -> refused.executeQuery("select n from series(1)"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("53400"))
                    .hasMessageContaining("resource group \"tiny\" is full: 1 statements running (max_concurrent 1) and 1 waiting (max_queued 1)");
            assertThatThrownBy(() -> queued.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                    .hasMessageContaining("canceling statement due to queue timeout: it waited 300ms in resource group \"tiny\"");
            assertThatThrownBy(() -> holder.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                    .hasMessageContaining("canceling statement due to statement timeout: resource group \"tiny\" allows 2s");

            // the sessions go on; the group's row limit holds
            assertThat(count(waiting.executeQuery("select n from series(5)"))).isEqualTo(5);
            assertThatThrownBy(() -> count(waiting.executeQuery("select n from series(6)")))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("54000"))
                    .hasMessageContaining("statement returned more than 5 rows, the limit of resource group \"tiny\"");
        }
        assertThat(guard.load("tiny")).containsExactly(0, 0);
    }

    private void awaitLoad(String group, int running, int waiting)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(guard.load(group)[0] == running && guard.load(group)[1] == waiting)) {
            assertThat(System.nanoTime()).as("load of %s: %s", group, java.util.Arrays.toString(guard.load(group))).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private static int count(ResultSet rows)
            throws SQLException
    {
        try (rows) {
            int count = 0;
            while (rows.next()) {
                count++;
            }
            return count;
        }
    }

    private Connection connect(String applicationName)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "s3cret");
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", properties);
    }

    private static UserStore users()
    {
        return UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
    }
}
