package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** TLS on the Postgres-wire listener: the SSLRequest exchange, 'required' mode, pgjdbc and psql over TLS. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestPgTls
{
    /** psql from the PATH, if installed. */
    private static final Optional<Path> PSQL = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .filter(folder -> !folder.isEmpty())
            .map(folder -> Path.of(folder, "psql"))
            .filter(Files::isExecutable)
            .findFirst();

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private TestingCertificates.PemFiles pem;
    private PgTls optional;
    private PgTls required;
    private ThreadPoolExecutor workers;
    private PgServer optionalServer;
    private PgServer requiredServer;
    private int optionalPort;
    private int requiredPort;

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        pem = TestingCertificates.selfSigned(directory);
        optional = PgTls.fromPemFiles(pem.certificate(), pem.key(), PgTls.Mode.OPTIONAL);
        required = PgTls.fromPemFiles(pem.certificate(), pem.key(), PgTls.Mode.REQUIRED);
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        optionalServer = new PgServer(PgServerOptions.defaults().withPort(0).withTls(optional), users(), planner, workers, List.of("shop"));
        optionalPort = optionalServer.start();
        requiredServer = new PgServer(PgServerOptions.defaults().withPort(0).withTls(required), users(), planner, workers, List.of("shop"));
        requiredPort = requiredServer.start();
    }

    @AfterAll
    void stop()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        optionalServer.close();
        requiredServer.close();
        workers.shutdownNow();
    }

    private static UserStore users()
    {
        return UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
    }

    private TestingPgWire embedded(PgTls tls)
    {
        PgServer server = new PgServer(PgServerOptions.defaults().withTls(tls), users(), planner, new TestingDirectExecutor(), List.of("shop"));
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channels.add(channel);
        return new TestingPgWire(channel);
    }

    @Test
    void sslRequestIsAcceptedAndTlsGoesFirstInThePipeline()
    {
        TestingPgWire wire = embedded(optional);
        wire.writeRaw(Unpooled.buffer().writeInt(8).writeInt(80877104));
        assertThat(wire.readByte()).isEqualTo('N');
        assertThat(wire.channel().pipeline().get(SslHandler.class)).isNull();
        wire.writeRaw(Unpooled.buffer().writeInt(8).writeInt(80877103));
        assertThat(wire.readByte()).isEqualTo('S');
        assertThat(wire.channel().pipeline().first()).isInstanceOf(SslHandler.class);
        assertThat(wire.channel().pipeline().names()).containsSubsequence("tls", "frames", "protocol");
    }

    @Test
    void unencryptedBytesAfterSslRequestAreRefused()
    {
        TestingPgWire wire = embedded(optional);
        wire.writeRaw(Unpooled.buffer().writeInt(8).writeInt(80877103).writeInt(8).writeInt(196608));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("E");
        assertThat(messages.get(0).fields()).containsEntry('S', "FATAL").containsEntry('C', "08P01")
                .containsEntry('M', "received unencrypted data after SSL request");
        assertThat(wire.channel().isOpen()).isFalse();
    }

    @Test
    void requiredModeRefusesPlainStartupButAcceptsPlainCancel()
    {
        TestingPgWire wire = embedded(required);
        wire.startup(Map.of("user", "alice", "database", "shop"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("E");
        assertThat(messages.get(0).fields()).containsEntry('S', "FATAL").containsEntry('C', "28000")
                .containsEntry('M', "this server requires TLS: connect with sslmode=require");
        assertThat(messages.get(0).fields().get('H')).contains("sslmode=require");
        assertThat(wire.channel().isOpen()).isFalse();

        // libpq and pgjdbc send CancelRequest without TLS
        TestingPgWire cancel = embedded(required);
        cancel.writeRaw(Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(1234).writeInt(5678));
        assertThat(cancel.read()).isEmpty();
        assertThat(cancel.channel().isOpen()).isFalse();
    }

    @Test
    void pgjdbcConnectsOverTls()
            throws SQLException
    {
        for (String parameters : List.of("ssl=true&sslmode=require", "ssl=true&sslfactory=org.postgresql.ssl.NonValidatingFactory")) {
            try (Connection connection = connect(requiredPort, parameters); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select n from series(3)")) {
                List<Long> values = new ArrayList<>();
                while (rows.next()) {
                    values.add(rows.getLong(1));
                }
                assertThat(values).as(parameters).containsExactly(0L, 1L, 2L);
            }
        }
        // channel binding (SCRAM-SHA-256-PLUS, tls-server-end-point) where the client requires it
        try (Connection connection = connect(requiredPort, "ssl=true&sslmode=require&channelBinding=require")) {
            assertThat(connection.isValid(5)).isTrue();
        }
        // without TLS there is nothing to bind to: a client that requires it refuses to go on
        assertThatThrownBy(() -> connect(optionalPort, "sslmode=disable&channelBinding=require")).isInstanceOf(SQLException.class);
        // sslmode=prefer (pgjdbc's default) picks TLS where it is offered; plain still works where it is optional
        for (String parameters : List.of("sslmode=prefer", "sslmode=disable")) {
            try (Connection connection = connect(optionalPort, parameters)) {
                assertThat(connection.isValid(5)).as(parameters).isTrue();
            }
        }
    }

    @Test
    void plainConnectionIsRefusedWhenTlsIsRequired()
    {
        assertThatThrownBy(() -> connect(requiredPort, "sslmode=disable"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28000"))
                .hasMessageContaining("this server requires TLS: connect with sslmode=require");
    }

    @Test
    void cancelWorksForTlsSessions()
            throws Exception
    {
        ExecutorService client = Executors.newSingleThreadExecutor();
        try (Connection connection = connect(requiredPort, "ssl=true&sslmode=require"); Statement statement = connection.createStatement()) {
            Future<?> running = client.submit(() -> {
                try (ResultSet rows = statement.executeQuery("select n from blocking(2)")) {
                    while (rows.next()) {
                        // drain
                    }
                }
                return null;
            });
            assertThat(planner.awaitBlocked(30, TimeUnit.SECONDS)).isTrue();
            statement.cancel();
            assertThatThrownBy(() -> running.get(30, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("57014"))
                    .hasMessageContaining("canceling statement due to user request");
        }
        finally {
            client.shutdownNow();
        }
    }

    @Test
    void psqlConnectsWithSslmodeRequire()
            throws Exception
    {
        assumeThat(PSQL).as("psql is not installed (not on the PATH); skipping the psql TLS test").isPresent();
        PsqlResult result = psql(requiredPort, "require", "select n from series(2)");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output().lines().toList()).containsExactly("0", "1");

        PsqlResult refused = psql(requiredPort, "disable", "select 1");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.output()).contains("this server requires TLS: connect with sslmode=require");

        // libpq's default (prefer) negotiates TLS on its own
        PsqlResult preferred = psql(requiredPort, "prefer", "select 1");
        assertThat(preferred.exitCode()).as(preferred.output()).isZero();

        // channel_binding=require: libpq picks SCRAM-SHA-256-PLUS and checks the server certificate's hash
        PsqlResult bound = psql(requiredPort, "require channel_binding=require", "select 1");
        assertThat(bound.exitCode()).as(bound.output()).isZero();
        PsqlResult unbound = psql(optionalPort, "disable channel_binding=require", "select 1");
        assertThat(unbound.exitCode()).isNotZero();
        assertThat(unbound.output()).contains("channel binding");
    }

    @Test
    void badPemFilesAreReportedClearly(@TempDir Path directory)
            throws IOException
    {
        assertThatThrownBy(() -> PgTls.fromPemFiles(directory.resolve("missing.crt"), pem.key(), PgTls.Mode.OPTIONAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing.crt does not exist");
        Path garbage = Files.writeString(directory.resolve("garbage.key"), "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");
        assertThatThrownBy(() -> PgTls.fromPemFiles(pem.certificate(), garbage, PgTls.Mode.OPTIONAL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot load the TLS certificate")
                .hasMessageContaining("PKCS#8");
    }

    private static Connection connect(int port, String parameters)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", "s3cret");
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop?" + parameters, properties);
    }

    private record PsqlResult(int exitCode, String output) {}

    private PsqlResult psql(int port, String sslMode, String sql)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(PSQL.orElseThrow().toString(), "-X", "-A", "-t", "-c", sql,
                "host=127.0.0.1 port=" + port + " dbname=shop user=alice sslmode=" + sslMode + " connect_timeout=10");
        builder.environment().put("PGPASSWORD", "s3cret");
        // never pick up a root certificate of the machine's user: sslmode=require must not verify
        builder.environment().put("PGSSLROOTCERT", pem.certificate().resolveSibling("no-root.crt").toString());
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("psql did not finish: " + output);
        }
        return new PsqlResult(process.exitValue(), output);
    }
}
