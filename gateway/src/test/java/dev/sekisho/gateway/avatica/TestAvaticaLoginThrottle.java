package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.execution.RoleLimits;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.PgServer;
import dev.sekisho.gateway.pgwire.PgServerOptions;
import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The Avatica door and the PostgreSQL door as one gateway: one login throttle (failed HTTP Basic
 * logins delay and lock out exactly as failed SCRAM logins do, and count together with them, per
 * user and per client address) and one connection limit over both doors. Real drivers: Avatica's
 * remote driver and pgjdbc.
 */
class TestAvaticaLoginThrottle
{
    private static final String PASSWORD = "s3cret";
    private static final int LOCKOUT_AFTER = 3;
    private static final Duration DELAY = Duration.ofMillis(100);

    private final AtomicLong clock = new AtomicLong();
    private ThreadPoolExecutor workers;
    private ClientConnections connections;
    private PgServer pg;
    private AvaticaServer avatica;
    private int pgPort;
    private int avaticaPort;
    private final List<Connection> open = new ArrayList<>();

    @BeforeEach
    void start()
    {
        workers = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        UserStore users = UserStore.of(Map.of(
                "alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create(PASSWORD.toCharArray())),
                "bob", new UserRecord(new Principal("bob", Set.of(), Map.of()), ScramVerifier.create(PASSWORD.toCharArray())),
                "carol", new UserRecord(new Principal("carol", Set.of(), Map.of()), ScramVerifier.create(PASSWORD.toCharArray()))));
        RoleLimits oneConnection = new RoleLimits(OptionalInt.of(1), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalLong.empty(), OptionalLong.empty());
        Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults(),
                new Limits(RoleLimits.NONE, Map.of(), Map.of("carol", oneConnection)));
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(DELAY, Duration.ofMillis(400), LOCKOUT_AFTER, Duration.ofMinutes(15)),
                clock::get);
        connections = new ClientConnections(3);
        pg = new PgServer(PgServerOptions.defaults().withPort(0), users, throttle, sessions, connections, workers);
        pgPort = pg.start();
        avatica = new AvaticaServer(new AvaticaServerOptions("127.0.0.1", 0, AvaticaServerOptions.Serialization.PROTOBUF, Optional.empty(), true,
                1024 * 1024, 1000, Duration.ofMinutes(5), 1000), users, throttle, sessions, connections, workers);
        avaticaPort = avatica.start();
    }

    @AfterEach
    void stop()
            throws SQLException
    {
        for (Connection connection : open) {
            connection.close();
        }
        avatica.close();
        pg.close();
        workers.shutdownNow();
    }

    private Connection avatica(String user, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("avatica_user", user);
        properties.setProperty("avatica_password", password);
        Connection connection = DriverManager.getConnection("jdbc:avatica:remote:url=http://127.0.0.1:" + avaticaPort
                + ";serialization=PROTOBUF;authentication=BASIC", properties);
        open.add(connection);
        return connection;
    }

    private Connection pgjdbc(String user, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + pgPort + "/shop", properties);
        open.add(connection);
        return connection;
    }

    private static void selectOne(Connection connection)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("select 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }

    /** The SQLSTATE of a failure: a SQLException, or the driver's unwrapped exception from getConnection. */
    private static String sqlState(Throwable failure)
    {
        if (failure instanceof SQLException e) {
            return e.getSQLState();
        }
        if (failure instanceof AvaticaClientRuntimeException e) {
            return e.getSqlState();
        }
        throw new AssertionError("not an error from the server", failure);
    }

    private static void refusedAsWrongPassword(ThrowingConnect connect, String user)
    {
        assertThatThrownBy(connect::connect)
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"))
                .hasMessageContaining("password authentication failed for user \"" + user + "\"");
    }

    @FunctionalInterface
    private interface ThrowingConnect
    {
        void connect()
                throws Exception;
    }

    @Test
    void wrongBasicPasswordsLockTheUserOutOnBothDoorsUntilTheWindowPasses()
            throws SQLException
    {
        for (int i = 0; i < LOCKOUT_AFTER; i++) {
            refusedAsWrongPassword(() -> avatica("alice", "wrong"), "alice");
        }
        // the right password now gets a wrong one's answer, on either door
        refusedAsWrongPassword(() -> avatica("alice", PASSWORD), "alice");
        refusedAsWrongPassword(() -> pgjdbc("alice", PASSWORD), "alice");

        clock.addAndGet(TimeUnit.MINUTES.toNanos(16));
        selectOne(avatica("alice", PASSWORD));
        selectOne(pgjdbc("alice", PASSWORD));
    }

    @Test
    void failuresOnThePostgresDoorCountOnTheAvaticaDoor()
            throws SQLException
    {
        refusedAsWrongPassword(() -> pgjdbc("alice", "wrong"), "alice");
        refusedAsWrongPassword(() -> avatica("alice", "wrong"), "alice");
        refusedAsWrongPassword(() -> pgjdbc("alice", "wrong"), "alice");
        // the third failure over both doors: locked out
        refusedAsWrongPassword(() -> avatica("alice", PASSWORD), "alice");

        clock.addAndGet(TimeUnit.MINUTES.toNanos(16));
        selectOne(avatica("alice", PASSWORD));
    }

    @Test
    void anOpenAvaticaConnectionIsRefusedWhileItsUserIsLockedOut()
            throws SQLException
    {
        Connection connection = avatica("alice", PASSWORD);
        selectOne(connection);
        for (int i = 0; i < LOCKOUT_AFTER; i++) {
            refusedAsWrongPassword(() -> pgjdbc("alice", "wrong"), "alice");
        }
        // Basic credentials come with every request: each is a login, and the user is locked out
        assertThatThrownBy(() -> selectOne(connection)).satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));
        // the connection was refused, not closed: once the lock expires it serves again
        clock.addAndGet(TimeUnit.MINUTES.toNanos(16));
        selectOne(connection);
    }

    @Test
    void unknownUserGetsAKnownUsersAnswerAndIsLockedOutAlike()
    {
        long started = System.nanoTime();
        refusedAsWrongPassword(() -> avatica("mallory", "wrong"), "mallory");
        // the first failure's answer waits the throttle's first delay
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(DELAY);
        for (int i = 1; i < LOCKOUT_AFTER; i++) {
            refusedAsWrongPassword(() -> avatica("mallory", "wrong"), "mallory");
        }
        // the client address is locked out too: another user from it is refused with the right password
        refusedAsWrongPassword(() -> avatica("bob", PASSWORD), "bob");
    }

    @Test
    void bothDoorsCountAgainstOneConnectionLimit()
            throws Exception
    {
        Connection first = pgjdbc("alice", PASSWORD);
        Connection second = avatica("alice", PASSWORD);
        Connection third = pgjdbc("bob", PASSWORD);
        selectOne(second);
        // three of three: a fourth is refused on either door
        assertThatThrownBy(() -> avatica("bob", PASSWORD))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("53300"))
                .hasMessageContaining("sorry, too many clients already");
        assertThatThrownBy(() -> pgjdbc("bob", PASSWORD))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("53300"))
                .hasMessageContaining("sorry, too many clients already");
        awaitCount(3);
        // an Avatica connection closed frees its place for the PostgreSQL door
        second.close();
        assertThat(connections.count()).isEqualTo(2);
        selectOne(pgjdbc("bob", PASSWORD));
        // and a PostgreSQL connection closed frees its place for the Avatica door
        first.close();
        awaitCount(2);
        selectOne(avatica("bob", PASSWORD));
        assertThat(connections.count()).isEqualTo(3);
        third.close();
    }

    @Test
    void aUsersConnectionLimitCountsBothDoorsWithThePostgresDoorsError()
            throws SQLException
    {
        Connection first = pgjdbc("carol", PASSWORD);
        selectOne(first);
        SQLException postgres = (SQLException) catchThrowable(() -> pgjdbc("carol", PASSWORD));
        assertThat(postgres.getSQLState()).isEqualTo("53300");
        String message = ((org.postgresql.util.PSQLException) postgres).getServerErrorMessage().getMessage();
        assertThat(message).isEqualTo("too many connections for role \"carol\"");
        assertThatThrownBy(() -> avatica("carol", PASSWORD))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("53300"))
                .hasMessageContaining(message)
                // the error is the gateway's words, not a server stack trace
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("QueryException", "at dev.sekisho"));
        first.close();
    }

    /** Waits until the server has seen PostgreSQL connections go (a socket's close reaches it a moment after the client's). */
    private void awaitCount(int expected)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connections.count() != expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(connections.count()).isEqualTo(expected);
    }
}
