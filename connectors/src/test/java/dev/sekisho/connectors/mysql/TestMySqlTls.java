package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TLS to a real MariaDB whose certificate a test CA signed for "localhost" only: with
 * {@code tls: {mode: verify_identity, ca_file: ...}} connections are encrypted and the server's
 * certificate and name are checked (another CA, or a name the certificate does not carry, is
 * refused), through the same driver properties the pools and health checks use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestMySqlTls
{
    private TestingTlsFiles.TlsFiles files;
    private TestingTlsFiles.TlsFiles otherCa;
    private TestingMySqlServer server;

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        files = TestingTlsFiles.serverCertificate(directory.resolve("ca"), "Sekisho Test MySQL CA", "dns:localhost");
        otherCa = TestingTlsFiles.serverCertificate(directory.resolve("other"), "Another CA", "dns:localhost");
        server = new TestingMySqlServer(List.of("--ssl-ca=" + files.caCertificate(), "--ssl-cert=" + files.certificate(), "--ssl-key=" + files.key()));
        server.execute("CREATE USER 'tls_reader'@'%' IDENTIFIED BY 'tls-pw'", "GRANT SELECT ON *.* TO 'tls_reader'@'%'",
                "CREATE USER 'tls_reader'@'localhost' IDENTIFIED BY 'tls-pw'", "GRANT SELECT ON *.* TO 'tls_reader'@'localhost'");
    }

    @AfterAll
    void stop()
    {
        if (server != null) {
            server.close();
        }
    }

    private MySqlConfig config(String host, String mode, Path caFile)
    {
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("mode", mode);
        if (caFile != null) {
            tls.put("ca_file", caFile.toString());
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("primary", Map.of("host", host, "port", server.port(), "user", "tls_reader", "password", "tls-pw"));
        settings.put("read_from_primary", true);
        settings.put("tls", tls);
        return MySqlConfig.parse(new SourceConfig("shop", "mysql", settings));
    }

    /** The TLS version of a connection made with the source's driver properties (empty: not encrypted). */
    private String tlsVersion(MySqlConfig config)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.putAll(config.driverProperties());
        properties.setProperty("user", "tls_reader");
        properties.setProperty("password", "tls-pw");
        try (Connection connection = DriverManager.getConnection(config.primary().jdbcUrl(), properties);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_version'")) {
            assertThat(rows.next()).isTrue();
            return rows.getString(2);
        }
    }

    @Test
    void verifyIdentityWithTheConfiguredCa()
            throws SQLException
    {
        assertThat(tlsVersion(config("localhost", "verify_identity", files.caCertificate()))).startsWith("TLSv1.");
    }

    /** TLS is layered over {@link BlockingSocketFactory}'s socket, which stays blocking through a timed validation. */
    @Test
    void aTlsConnectionKeepsItsSocketInBlockingMode()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.putAll(config("localhost", "verify_identity", files.caCertificate()).driverProperties());
        properties.setProperty("connectTimeout", "5000");
        properties.setProperty("user", "tls_reader");
        properties.setProperty("password", "tls-pw");
        try (Connection connection = DriverManager.getConnection(config("localhost", "verify_identity", files.caCertificate()).primary().jdbcUrl(), properties)) {
            // what HikariCP does to validate an idle connection
            connection.setNetworkTimeout(Runnable::run, 3_000);
            assertThat(connection.isValid(2)).isTrue();
            connection.setNetworkTimeout(Runnable::run, 0);
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT v.VARIABLE_VALUE, p.host FROM information_schema.SESSION_STATUS v, "
                            + "information_schema.processlist p WHERE v.VARIABLE_NAME = 'SSL_VERSION' AND p.id = CONNECTION_ID()")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).startsWith("TLSv1.");
                String host = rows.getString(2);
                int clientPort = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
                assertThat(TestingSocketModes.nonBlocking(clientPort, server.port())).as(host).isFalse();
            }
        }
    }

    @Test
    void aServerCertificateAnotherCaSignedIsRefused()
    {
        assertThatThrownBy(() -> tlsVersion(config("localhost", "verify_identity", otherCa.caCertificate())))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void aNameTheCertificateDoesNotCarryIsRefusedUnderVerifyIdentityOnly()
            throws SQLException
    {
        // the certificate names localhost only
        assertThatThrownBy(() -> tlsVersion(config("127.0.0.1", "verify_identity", files.caCertificate()))).isInstanceOf(SQLException.class);
        assertThat(tlsVersion(config("127.0.0.1", "verify_ca", files.caCertificate()))).startsWith("TLSv1.");
    }

    @Test
    void thePoolsAndHealthChecksUseTls()
            throws InterruptedException
    {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("primary", Map.of("host", "localhost", "port", server.port(), "user", "tls_reader", "password", "tls-pw"));
        settings.put("read_from_primary", true);
        settings.put("tls", Map.of("mode", "verify_identity", "ca_file", files.caCertificate().toString()));
        try (Connector connector = new MySqlConnectorFactory().create(new SourceConfig("shop", "mysql", settings))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            ServerStatus status = connector.servers().get(0);
            while (!status.state().equals("up") && System.nanoTime() < deadline) {
                Thread.sleep(200);
                status = connector.servers().get(0);
            }
            assertThat(status.state()).as(String.valueOf(status)).isEqualTo("up");
        }
        // with the wrong CA the server is never healthy
        settings.put("tls", Map.of("mode", "verify_identity", "ca_file", otherCa.caCertificate().toString()));
        try (Connector connector = new MySqlConnectorFactory().create(new SourceConfig("shop", "mysql", settings))) {
            Thread.sleep(3000);
            assertThat(connector.servers().get(0).state()).isNotEqualTo("up");
        }
    }

    @Test
    void settingsAreChecked()
    {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("primary", Map.of("host", "db", "user", "u"));
        settings.put("read_from_primary", true);
        settings.put("tls", Map.of("mode", "verify_everything"));
        assertThatThrownBy(() -> MySqlConfig.parse(new SourceConfig("shop", "mysql", settings)))
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> assertThat(e.key()).isEqualTo("tls.mode"));
        settings.put("tls", Map.of("mode", "required", "ca_file", files.caCertificate().toString()));
        assertThatThrownBy(() -> MySqlConfig.parse(new SourceConfig("shop", "mysql", settings))).hasMessageContaining("tls.ca_file");
        settings.put("tls", Map.of("mode", "verify_ca", "ca_file", "/no/such/ca.pem"));
        assertThatThrownBy(() -> MySqlConfig.parse(new SourceConfig("shop", "mysql", settings))).hasMessageContaining("does not exist");
        settings.put("tls", Map.of("mode", "verify_ca"));
        settings.put("properties", Map.of("sslMode", "REQUIRED"));
        assertThatThrownBy(() -> MySqlConfig.parse(new SourceConfig("shop", "mysql", settings))).hasMessageContaining("properties.sslMode");
    }

    @Test
    void remoteServersWithoutVerifiedTlsAreWarnedAbout()
    {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("primary", Map.of("host", "db-primary.internal", "user", "u"));
        settings.put("replicas", List.of(Map.of("host", "127.0.0.1", "user", "u"), Map.of("host", "db-replica.internal", "user", "u")));
        MySqlConnectorFactory factory = new MySqlConnectorFactory();
        assertThat(factory.warnings(new SourceConfig("shop", "mysql", settings)))
                .extracting(warning -> warning.key() + ": " + warning.message())
                .containsExactly(
                        "primary: server db-primary.internal is on another machine and is reached without TLS (sslMode DISABLED); "
                                + "set tls: {mode: verify_identity, ca_file: <the CA's PEM file>} for this source",
                        "replicas[1]: server db-replica.internal is on another machine and is reached without TLS (sslMode DISABLED); "
                                + "set tls: {mode: verify_identity, ca_file: <the CA's PEM file>} for this source");
        settings.put("tls", Map.of("mode", "required"));
        assertThat(factory.warnings(new SourceConfig("shop", "mysql", settings))).hasSize(2)
                .allSatisfy(warning -> assertThat(warning.message()).contains("with TLS that does not check its certificate"));
        settings.put("tls", Map.of("mode", "verify_identity"));
        assertThat(factory.warnings(new SourceConfig("shop", "mysql", settings))).isEmpty();
    }
}
