package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.PgTls;
import dev.sekisho.gateway.pgwire.TestingCertificates;
import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import org.apache.calcite.avatica.AvaticaClientRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Avatica front door with Avatica's real remote driver, over a planner double: HTTP Basic
 * against SCRAM verifiers, TLS (and plain HTTP refused unless allowed), frames, a statement closed
 * while it runs, and idle connections expiring.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestAvaticaServer
{
    private static final String PASSWORD = "s3cret";

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private ThreadPoolExecutor workers;
    private Sessions sessions;
    private UserStore users;
    private AvaticaServer plain;
    private int plainPort;

    @BeforeAll
    void start()
    {
        workers = new ThreadPoolExecutor(8, 8, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        users = UserStore.of(Map.of(
                "alice", new UserRecord(new Principal("alice", Set.of("analysts"), Map.of("region", "JP")), ScramVerifier.create(PASSWORD.toCharArray())),
                "bob", new UserRecord(new Principal("bob", Set.of(), Map.of()), ScramVerifier.create("other".toCharArray()))));
        sessions = new Sessions(planner, SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults());
        plain = new AvaticaServer(options(Optional.empty(), true, Duration.ofSeconds(2), 1000), users, sessions, workers);
        plainPort = plain.start();
    }

    @AfterAll
    void stop()
    {
        plain.close();
        workers.shutdownNow();
    }

    private static AvaticaServerOptions options(Optional<PgTls> tls, boolean allowPlainHttp, Duration idleTimeout, int maxFrameRows)
    {
        return new AvaticaServerOptions("127.0.0.1", 0, AvaticaServerOptions.Serialization.PROTOBUF, tls, allowPlainHttp, 1024 * 1024, 100, idleTimeout,
                maxFrameRows);
    }

    private static Connection connect(String url, String user, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("avatica_user", user);
        properties.setProperty("avatica_password", password);
        return DriverManager.getConnection(url, properties);
    }

    private Connection connect()
            throws SQLException
    {
        return connect(url(plainPort), "alice", PASSWORD);
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

    private static String url(int port)
    {
        return "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=PROTOBUF;authentication=BASIC";
    }

    @Test
    void passwordIsCheckedAgainstTheScramVerifier()
            throws SQLException
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery("select 1")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isEqualTo(1);
        }
        for (String user : List.of("alice", "nobody")) {
            // the driver opens the connection in getConnection, and reports a refusal there unwrapped
            assertThatThrownBy(() -> connect(url(plainPort), user, "wrong").close())
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"))
                    .hasMessageContaining("password authentication failed for user \"" + user + "\"");
        }
    }

    @Test
    void framesStreamALargeResultInOrder()
            throws SQLException
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            // more than one frame even at the largest fetch size the server allows (1,000 here)
            statement.setFetchSize(5000);
            long rows = 0;
            try (ResultSet resultSet = statement.executeQuery("select n from series(25000)")) {
                while (resultSet.next()) {
                    assertThat(resultSet.getLong(1)).isEqualTo(rows);
                    rows++;
                }
            }
            assertThat(rows).isEqualTo(25_000);
        }
    }

    @Test
    void errorsCarryTheSqlStateAndMessage()
            throws SQLException
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("select * from missing"))
                    .isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42P01"));
            // the connection goes on after a failed statement
            try (ResultSet resultSet = statement.executeQuery("select 1")) {
                assertThat(resultSet.next()).isTrue();
            }
        }
    }

    @Test
    void closingTheConnectionCancelsARunningStatement()
            throws Exception
    {
        int before = sessions.size();
        Connection connection = connect();
        try {
            Statement statement = connection.createStatement();
            statement.setFetchSize(100);
            // five rows, then the source blocks until the statement is cancelled: the first frame never fills
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try (ResultSet resultSet = statement.executeQuery("select n from blocking(5)")) {
                    while (resultSet.next()) {
                        // reads until the statement fails
                    }
                    return null;
                }
                catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(500);
            assertThat(running).isNotDone();
            // Avatica's driver holds the statement's lock while it executes (Statement.close waits for it), but
            // Connection.close goes out at once: the server cancels what the connection runs, then closes it
            connection.close();
            Throwable failure = running.get(10, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("57014");
            assertThat(sessions.size()).isEqualTo(before);
        }
        finally {
            connection.close();
        }
    }

    @Test
    void closingAStatementEndsItsOpenResult()
            throws Exception
    {
        try (Connection connection = connect()) {
            Statement statement = connection.createStatement();
            statement.setFetchSize(100);
            ResultSet resultSet = statement.executeQuery("select n from series(100000)");
            for (int i = 0; i < 150; i++) {
                assertThat(resultSet.next()).isTrue();
            }
            // the driver's cancel only stops reading (the protocol has no cancel message) ...
            statement.cancel();
            assertThatThrownBy(resultSet::next).isInstanceOf(SQLException.class).hasMessageContaining("canceled");
            // ... and closing the statement closes its portal at the server
            statement.close();
            try (Statement again = connection.createStatement(); ResultSet rows = again.executeQuery("select n from series(3)")) {
                assertThat(rows.next()).isTrue();
            }
        }
    }

    @Test
    void idleConnectionsExpire()
            throws Exception
    {
        Connection connection = connect();
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery("select 1")) {
            assertThat(resultSet.next()).isTrue();
        }
        int open = sessions.size();
        assertThat(open).isPositive();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (sessions.size() >= open && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(sessions.size()).as("the idle connection's session was closed").isLessThan(open);
        assertThatThrownBy(() -> connection.createStatement().executeQuery("select 1"))
                .satisfies(e -> assertThat(e).isInstanceOf(AvaticaClientRuntimeException.class))
                .satisfies(e -> assertThat(((AvaticaClientRuntimeException) e).getErrorCode()).as("Avatica's missing-connection code").isEqualTo(1));
    }

    @Test
    void plainHttpIsRefusedWhenTlsIsConfigured(@TempDir Path directory)
            throws Exception
    {
        TestingCertificates.PemFiles pem = TestingCertificates.selfSigned(directory);
        PgTls tls = PgTls.fromPemFiles(pem.certificate(), pem.key(), PgTls.Mode.REQUIRED);
        AvaticaServer server = new AvaticaServer(options(Optional.of(tls), false, Duration.ofMinutes(1), 1000), users, sessions, workers);
        int port = server.start();
        try {
            assertThatThrownBy(() -> connect(url(port), "alice", PASSWORD).close())
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28000"))
                    .hasMessageContaining("requires TLS");

            Path trustStore = directory.resolve("trust.p12");
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            try (InputStream in = Files.newInputStream(pem.certificate())) {
                store.setCertificateEntry("sekisho", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                store.store(out, "changeit".toCharArray());
            }
            String https = "jdbc:avatica:remote:url=https://127.0.0.1:" + port + ";serialization=PROTOBUF;authentication=BASIC;truststore="
                    + trustStore + ";truststore_password=changeit";
            try (Connection connection = connect(https, "alice", PASSWORD);
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("select 1")) {
                assertThat(resultSet.next()).isTrue();
            }
        }
        finally {
            server.close();
        }
    }

    @Test
    void clientCertificateRequirementsHoldOverHttpsToo(@TempDir Path directory)
            throws Exception
    {
        TestingCertificates.PemFiles pem = TestingCertificates.selfSigned(directory);
        TestingCertificates.Authority ca = TestingCertificates.authority(directory, "client-ca");
        TestingCertificates.PemFiles aliceCertificate = TestingCertificates.issue(ca, Files.createDirectory(directory.resolve("alice")), "alice");
        TestingCertificates.PemFiles bobCertificate = TestingCertificates.issue(ca, Files.createDirectory(directory.resolve("bob")), "bob");
        PgTls tls = PgTls.fromPemFiles(pem.certificate(), pem.key(), PgTls.Mode.REQUIRED, Optional.of(ca.pem().certificate()),
                ClientCertificateCheck.VERIFY_FULL);
        AvaticaServer server = new AvaticaServer(options(Optional.of(tls), false, Duration.ofMinutes(1), 1000), users, sessions, workers);
        int port = server.start();
        try {
            String https = "jdbc:avatica:remote:url=https://127.0.0.1:" + port + ";serialization=PROTOBUF;authentication=BASIC;truststore="
                    + trustStore(directory, pem) + ";truststore_password=changeit";
            // the password alone is not enough
            assertThatThrownBy(() -> connect(https, "alice", PASSWORD).close())
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28000"))
                    .hasMessageContaining("connection requires a valid client certificate");
            // someone else's certificate is not either
            String asBob = https + ";keystore=" + keyStore(directory, bobCertificate) + ";keystore_password=changeit;key_password=changeit";
            assertThatThrownBy(() -> connect(asBob, "alice", PASSWORD).close())
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28000"))
                    .hasMessageContaining("certificate authentication failed for user \"alice\"");
            // the user's own certificate and password
            String asAlice = https + ";keystore=" + keyStore(directory, aliceCertificate) + ";keystore_password=changeit;key_password=changeit";
            try (Connection connection = connect(asAlice, "alice", PASSWORD);
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("select 1")) {
                assertThat(resultSet.next()).isTrue();
            }
            // and the certificate does not replace the password
            assertThatThrownBy(() -> connect(asAlice, "alice", "wrong").close())
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));
        }
        finally {
            server.close();
        }
    }

    private static Path trustStore(Path directory, TestingCertificates.PemFiles pem)
            throws Exception
    {
        Path trustStore = directory.resolve("trust.p12");
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem.certificate())) {
            store.setCertificateEntry("sekisho", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
        return trustStore;
    }

    /** A PKCS#12 key store with a client's certificate and key, for the driver's keystore= property. */
    private static Path keyStore(Path directory, TestingCertificates.PemFiles pem)
            throws Exception
    {
        Path file = directory.resolve(pem.certificate().getFileName() + ".p12");
        String key = Files.readString(pem.key()).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(key)));
        Certificate certificate;
        try (InputStream in = Files.newInputStream(pem.certificate())) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("client", privateKey, "changeit".toCharArray(), new Certificate[] {certificate});
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, "changeit".toCharArray());
        }
        return file;
    }
}
