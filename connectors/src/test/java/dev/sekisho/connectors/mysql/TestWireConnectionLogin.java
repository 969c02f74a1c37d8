package dev.sekisho.connectors.mysql;

import dev.sekisho.connectors.mysql.wire.WireConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire client's login against a real MariaDB: a right password logs in, a wrong one is a
 * failure (the server is backed off), an account of a plugin the client does not speak (an
 * old-format password, which MariaDB asks for with a bare AuthSwitchRequest) and a session set-up the server refuses are
 * "unsupported" (the server is then read through Connector/J only).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class TestWireConnectionLogin
{
    private static final String PASSWORD = "wire-Pw-99";

    private TestingMySqlServer server;
    private TestingEventLoop loop;

    @BeforeAll
    public void setUp()
    {
        // without secure-auth, MariaDB still logs in accounts with old-format passwords (through an AuthSwitchRequest)
        server = new TestingMySqlServer(java.util.List.of("--secure-auth=OFF"));
        server.execute("CREATE USER 'wire'@'localhost' IDENTIFIED BY '" + PASSWORD + "'");
        // MariaDB asks for mysql_old_password with an AuthSwitchRequest (its greeting proposes mysql_native_password)
        server.execute("CREATE USER 'old'@'localhost' IDENTIFIED VIA mysql_old_password USING '7d4f8c9a1b2c3d4e'");
        loop = new TestingEventLoop("wire-login-loop");
    }

    @AfterAll
    public void tearDown()
    {
        if (loop != null) {
            loop.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    public void testLogsInWithNativePassword()
            throws Exception
    {
        assertThat(login("wire", PASSWORD, "SET SESSION net_write_timeout = 600").get(30, TimeUnit.SECONDS)).isEqualTo("ready");
    }

    /** The handshake's collation id is the one Connector/J negotiates with Sekisho's properties (server-side string parameters take it). */
    @Test
    public void testHandshakeCollationIsConnectorJs()
            throws Exception
    {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(ReplicaPool.DEFAULT_PROPERTIES);
        properties.setProperty("user", "wire");
        properties.setProperty("password", PASSWORD);
        try (java.sql.Connection jdbc = java.sql.DriverManager.getConnection(server.jdbcUrl(null), properties)) {
            SessionTemplate template = SessionTemplate.read(jdbc, new MySqlConfig.Server("s", server.jdbcUrl(null), "wire", PASSWORD));
            String negotiated;
            String handshake;
            try (java.sql.Statement statement = jdbc.createStatement();
                    java.sql.ResultSet rows = statement.executeQuery("SELECT @@collation_connection, (SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE ID = "
                            + template.login().collationId() + ")")) {
                rows.next();
                negotiated = rows.getString(1);
                handshake = rows.getString(2);
            }
            assertThat(handshake).isEqualTo(negotiated);
            assertThat(template.utf8Collations()).containsKeys(33, 45, 46, template.login().collationId());
            assertThat(template.utf8Collations().get(45)).isEqualTo(4);
            assertThat(template.utf8Collations().get(33)).isEqualTo(3);
        }
    }

    @Test
    public void testWrongPasswordFails()
            throws Exception
    {
        assertThat(login("wire", "wrong", null).get(30, TimeUnit.SECONDS)).startsWith("failed:").contains("1045");
    }

    @Test
    public void testRefusedSessionSetUpIsUnsupported()
            throws Exception
    {
        assertThat(login("wire", PASSWORD, "SET SESSION no_such_variable = 1").get(30, TimeUnit.SECONDS)).startsWith("unsupported:").contains("1193");
    }

    @Test
    public void testOtherPluginIsUnsupported()
            throws Exception
    {
        assertThat(login("old", PASSWORD, null).get(30, TimeUnit.SECONDS)).startsWith("unsupported:").contains("pre-4.1");
    }

    private CompletableFuture<String> login(String user, String password, String sessionSql)
    {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        WireConnection.Login login = new WireConnection.Login(user, password, null, 45, sessionSql);
        loop.execute(() -> WireConnection.open(loop, "localhost", server.port(), Duration.ofSeconds(10), login, new WireConnection.Events()
        {
            @Override
            public void ready(WireConnection connection)
            {
                outcome.complete("ready");
                connection.close();
            }

            @Override
            public void loginFailed(WireConnection connection, boolean unsupported, String reason)
            {
                outcome.complete((unsupported ? "unsupported: " : "failed: ") + reason);
            }

            @Override
            public void closed(WireConnection connection)
            {
                outcome.complete("closed");
            }
        }));
        return outcome;
    }
}
