package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.execution.SessionListener;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.TestingNonBlockingConnector.Mode;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.gateway.sourceio.EventLoopGuardedConnector;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGStatement;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard around every source ({@link EventLoopGuardedConnector}) at work in a front door: a
 * statement answered on the event loop whose plan would send it to the source again (here, a plan
 * run with a context that loses the rows that arrived, as {@code PolicyExecutionContext} once did)
 * gets an internal error (XX000) instead of blocking the loop on the source's {@code execute}; the
 * source is never called there, and the session and the loop go on serving.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class TestBlockingSourceCallsOffTheEventLoop
{
    private static final String LOOKUP = "SELECT id, name, email FROM customers WHERE id = ?";

    private final TestingNonBlockingConnector source = new TestingNonBlockingConnector();
    private ThreadPoolExecutor workers;
    private PgServer server;
    private int port;

    @BeforeAll
    void start()
    {
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        Connector guarded = new EventLoopGuardedConnector(source);
        QueryPlanner planner = losingArrivedRows(new CalciteQueryPlanner(List.of(guarded), PlannerOptions.defaults()));
        Sessions sessions = new Sessions(planner, SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults(), Limits.NONE,
                SessionListener.NONE, Optional.empty(), List.of(guarded));
        UserStore users = UserStore.of(Map.of("alice",
                new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
        server = new PgServer(PgServerOptions.defaults().withPort(0), users, sessions, workers);
        port = server.start();
    }

    @AfterAll
    void stop()
    {
        server.close();
        workers.shutdownNow();
    }

    @Test
    void aStatementThatWouldRunAtTheSourceOnTheLoopFailsAndTheSessionGoesOn()
            throws Exception
    {
        try (Connection connection = connect(); PreparedStatement lookup = connection.prepareStatement(LOOKUP)) {
            lookup.unwrap(PGStatement.class).setPrepareThreshold(1);
            source.mode(Mode.ROWS_NOW);
            // the first run parses on a worker, where the source may block: it answers
            List<String> expected = rows(lookup, 1);
            assertThat(expected).isNotEmpty();

            int starts = source.starts();
            int workerRuns = source.workerRuns();
            SQLException refused = null;
            for (int i = 0; i < 50 && refused == null; i++) {
                try {
                    assertThat(rows(lookup, 1)).isEqualTo(expected);
                }
                catch (SQLException e) {
                    refused = e;
                }
            }
            assertThat((Object) refused).as("a run answered on the event loop is refused").isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("XX000");
            // (the server counts an answer after its reply went out: the run started on the loop is what the test can wait for)
            assertThat(source.starts()).as("runs started at the source on the event loop").isGreaterThan(starts);
            // each refused run's rows arrived without a worker; the guard kept the loop's call from reaching the source's execute
            int ranOnWorkers = source.workerRuns() - workerRuns;
            assertThat(source.startedOffItsThread()).isFalse();

            // the session serves on: the same statement, declined on the loop, runs on a worker with the same rows
            source.mode(Mode.DECLINE_AT_START);
            for (int i = 0; i < 3; i++) {
                assertThat(rows(lookup, 1)).isEqualTo(expected);
            }
            assertThat(source.workerRuns()).as("each declined run reached the source on a worker").isEqualTo(workerRuns + ranOnWorkers + 3);
        }
    }

    private Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "s3cret");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", properties);
    }

    private static List<String> rows(PreparedStatement statement, int parameter)
            throws SQLException
    {
        statement.setInt(1, parameter);
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery()) {
            while (result.next()) {
                rows.add(result.getString(1) + "|" + result.getString(2) + "|" + result.getString(3));
            }
        }
        return rows;
    }

    /** {@code planner}, whose statements run with a context that never hands on rows that arrived on the event loop. */
    private static QueryPlanner losingArrivedRows(QueryPlanner planner)
    {
        return proxy(QueryPlanner.class, planner, (method, args) -> {
            Object result = method.invoke(planner, args);
            return result instanceof PreparedQuery prepared ? losingArrivedRows(prepared) : result;
        });
    }

    private static PreparedQuery losingArrivedRows(PreparedQuery prepared)
    {
        return proxy(PreparedQuery.class, prepared, (method, args) -> {
            if (method.getName().equals("execute")) {
                ExecutionContext context = (ExecutionContext) args[1];
                args[1] = proxy(ExecutionContext.class, context,
                        (contextMethod, contextArgs) -> contextMethod.getName().equals("arrivedRows") ? Optional.empty() : contextMethod.invoke(context, contextArgs));
            }
            return method.invoke(prepared, args);
        });
    }

    private interface Call
    {
        Object invoke(java.lang.reflect.Method method, Object[] args)
                throws Exception;
    }

    private static <T> T proxy(Class<T> type, T target, Call call)
    {
        InvocationHandler handler = (proxy, method, args) -> {
            try {
                return call.invoke(method, args);
            }
            catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
