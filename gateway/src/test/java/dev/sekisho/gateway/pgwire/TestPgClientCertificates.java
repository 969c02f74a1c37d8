package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.policies.Principal;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * TLS client certificates with the real psql: {@code tls.clientcert: verify-full} for everyone
 * (the certificate's CN must be the user, and SCRAM still asks for the password), and per user:
 * {@code verify-ca} beside a password, or a certificate alone (PostgreSQL's {@code cert} method).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TestPgClientCertificates
{
    private static final Optional<Path> PSQL = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
            .filter(folder -> !folder.isEmpty())
            .map(folder -> Path.of(folder, "psql"))
            .filter(Files::isExecutable)
            .findFirst();
    private static final ScramVerifier PASSWORD = ScramVerifier.create("s3cret".toCharArray());

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private Path directory;
    private TestingCertificates.PemFiles alice;
    private TestingCertificates.PemFiles bob;
    private TestingCertificates.PemFiles dave;
    private TestingCertificates.PemFiles aliceFromAnotherCa;
    private ThreadPoolExecutor workers;
    private final List<PgServer> servers = new ArrayList<>();
    private int everyonePort;
    private int perUserPort;

    @BeforeAll
    void start(@TempDir Path directory)
            throws Exception
    {
        this.directory = directory;
        TestingCertificates.PemFiles server = TestingCertificates.selfSigned(directory);
        TestingCertificates.Authority ca = TestingCertificates.authority(directory, "client-ca");
        alice = TestingCertificates.issue(ca, Files.createDirectory(directory.resolve("alice")), "alice");
        bob = TestingCertificates.issue(ca, Files.createDirectory(directory.resolve("bob")), "bob");
        dave = TestingCertificates.issue(ca, Files.createDirectory(directory.resolve("dave")), "dave");
        Path intruder = Files.createDirectory(directory.resolve("intruder"));
        aliceFromAnotherCa = TestingCertificates.issue(TestingCertificates.authority(intruder, "other-ca"), intruder, "alice");
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));

        PgTls everyone = PgTls.fromPemFiles(server.certificate(), server.key(), PgTls.Mode.REQUIRED, Optional.of(ca.pem().certificate()),
                ClientCertificateCheck.VERIFY_FULL);
        everyonePort = start(everyone, UserStore.of(Map.of("alice", user("alice", Optional.of(PASSWORD), ClientCertificateCheck.NONE),
                "bob", user("bob", Optional.of(PASSWORD), ClientCertificateCheck.NONE))));
        PgTls perUser = PgTls.fromPemFiles(server.certificate(), server.key(), PgTls.Mode.OPTIONAL, Optional.of(ca.pem().certificate()),
                ClientCertificateCheck.NONE);
        perUserPort = start(perUser, UserStore.of(Map.of(
                "alice", user("alice", Optional.of(PASSWORD), ClientCertificateCheck.NONE),
                "carol", user("carol", Optional.of(PASSWORD), ClientCertificateCheck.VERIFY_CA),
                "dave", user("dave", Optional.empty(), ClientCertificateCheck.VERIFY_FULL))));
    }

    private int start(PgTls tls, UserStore users)
    {
        PgServer server = new PgServer(PgServerOptions.defaults().withPort(0).withTls(tls), users, planner, workers, List.of("shop"));
        servers.add(server);
        return server.start();
    }

    private static UserRecord user(String name, Optional<ScramVerifier> password, ClientCertificateCheck check)
    {
        return new UserRecord(new Principal(name, Set.of(), Map.of()), password, check);
    }

    @AfterAll
    void stop()
    {
        servers.forEach(PgServer::close);
        workers.shutdownNow();
    }

    @Test
    void verifyFullForEveryoneNeedsTheUsersOwnCertificateAndThePassword()
            throws Exception
    {
        assumeThat(PSQL).as("psql is not installed (not on the PATH); skipping the client certificate test").isPresent();
        Psql connected = psql(everyonePort, "alice", Optional.of(alice), "s3cret");
        assertThat(connected.output()).as(connected.output()).isEqualTo("1\n");
        assertThat(connected.exitCode()).isZero();

        Psql without = psql(everyonePort, "alice", Optional.empty(), "s3cret");
        assertThat(without.exitCode()).isNotZero();
        assertThat(without.output()).contains("connection requires a valid client certificate");

        Psql someoneElses = psql(everyonePort, "alice", Optional.of(bob), "s3cret");
        assertThat(someoneElses.exitCode()).isNotZero();
        assertThat(someoneElses.output()).contains("certificate authentication failed for user \"alice\"");

        // combined with SCRAM: the certificate alone is not enough
        Psql wrongPassword = psql(everyonePort, "alice", Optional.of(alice), "wrong");
        assertThat(wrongPassword.exitCode()).isNotZero();
        assertThat(wrongPassword.output()).contains("password authentication failed for user \"alice\"");

        // a certificate some other CA signed fails the TLS handshake
        Psql forged = psql(everyonePort, "alice", Optional.of(aliceFromAnotherCa), "s3cret");
        assertThat(forged.exitCode()).isNotZero();
        assertThat(forged.output()).doesNotContain("1\n").containsIgnoringCase("ssl");
    }

    @Test
    void perUserRequirements()
            throws Exception
    {
        assumeThat(PSQL).as("psql is not installed (not on the PATH); skipping the client certificate test").isPresent();
        // no requirement of her own: the password is enough, with or without TLS
        assertThat(psql(perUserPort, "alice", Optional.empty(), "s3cret").output()).isEqualTo("1\n");
        // verify-ca: any certificate the CA signed, and the password
        assertThat(psql(perUserPort, "carol", Optional.of(alice), "s3cret").output()).isEqualTo("1\n");
        Psql carolWithout = psql(perUserPort, "carol", Optional.empty(), "s3cret");
        assertThat(carolWithout.output()).contains("connection requires a valid client certificate");
        // the certificate alone logs dave in; no password is asked for
        Psql certificateOnly = psql(perUserPort, "dave", Optional.of(dave), null);
        assertThat(certificateOnly.output()).as(certificateOnly.output()).isEqualTo("1\n");
        assertThat(psql(perUserPort, "dave", Optional.of(bob), null).output()).contains("certificate authentication failed for user \"dave\"");
        assertThat(psql(perUserPort, "dave", Optional.empty(), "anything").output()).contains("connection requires a valid client certificate");
    }

    private record Psql(int exitCode, String output) {}

    private Psql psql(int port, String user, Optional<TestingCertificates.PemFiles> certificate, String password)
            throws IOException, InterruptedException
    {
        String missing = directory.resolve("none").toString();
        String connection = "host=127.0.0.1 port=" + port + " dbname=shop user=" + user + " sslmode=require connect_timeout=10"
                + " sslcert=" + certificate.map(pem -> pem.certificate().toString()).orElse(missing)
                + " sslkey=" + certificate.map(pem -> pem.key().toString()).orElse(missing)
                // never pick up a root certificate of the machine's user: sslmode=require does not verify the server
                + " sslrootcert=" + missing;
        ProcessBuilder builder = new ProcessBuilder(PSQL.orElseThrow().toString(), "-X", "-A", "-t", "-w", "-c", "select 1",
                connection);
        builder.environment().remove("PGPASSWORD");
        if (password != null) {
            builder.environment().put("PGPASSWORD", password);
        }
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("psql did not finish: " + output);
        }
        return new Psql(process.exitValue(), output);
    }
}
