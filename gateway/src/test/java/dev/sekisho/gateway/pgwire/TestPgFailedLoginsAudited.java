package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.audit.AuditEvent;
import dev.sekisho.gateway.audit.AuditListener;
import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.execution.RoleLimits;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refused login reaches the audit trail with the name the client gave and why it was
 * refused, whether it failed at SCRAM's last step (wrong password, unknown user, lock-out) or
 * before it (TLS or a client certificate required, connection limits); never with a password.
 */
class TestPgFailedLoginsAudited
{
    private static final String PASSWORD = "s3cret-of-alice";
    private static final String GUESS = "guess-of-mallory";
    private static final ScramVerifier VERIFIER = ScramVerifier.create(PASSWORD.toCharArray());

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final AuditListener audit = new AuditListener(events::add, Clock.systemUTC(), Optional::empty);
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private PgServer server(PgServerOptions options, Limits limits)
    {
        UserStore users = UserStore.of(Map.of(
                "alice", new UserRecord(new Principal("alice", Set.of("analysts"), Map.of()), VERIFIER),
                "carol", new UserRecord(new Principal("carol", Set.of("analysts"), Map.of()), Optional.of(VERIFIER), ClientCertificateCheck.VERIFY_CA)));
        // no delay, and a lock-out after three failures
        LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(Duration.ZERO, Duration.ZERO, 3, Duration.ofMinutes(15)));
        Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults(), limits, audit);
        return new PgServer(options, users, throttle, sessions, new TestingDirectExecutor());
    }

    private TestingPgWire connect(PgServer server, String user)
    {
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channels.add(channel);
        TestingPgWire wire = new TestingPgWire(channel);
        wire.startup(Map.of("user", user, "database", "shop"));
        return wire;
    }

    /** The refusal's SQLSTATE, read from the FATAL error that ends the messages. */
    private static String refusal(List<Message> messages)
    {
        assertThat(types(messages)).endsWith("E");
        return messages.get(messages.size() - 1).fields().get('C');
    }

    private List<AuditEvent.Login> failedLogins()
    {
        return events.stream()
                .filter(AuditEvent.Login.class::isInstance)
                .map(AuditEvent.Login.class::cast)
                .filter(login -> !login.success())
                .toList();
    }

    private AuditEvent.Login lastFailure()
    {
        List<AuditEvent.Login> failed = failedLogins();
        assertThat(failed).isNotEmpty();
        return failed.get(failed.size() - 1);
    }

    @Test
    void wrongPasswordUnknownUserAndLockOutAreToldApart()
    {
        PgServer server = server(PgServerOptions.defaults(), Limits.NONE);
        assertThat(refusal(connect(server, "alice").authenticate(GUESS))).isEqualTo("28P01");
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("alice");
            assertThat(login.reason()).isEqualTo("wrong_password");
            assertThat(login.sqlState()).isEqualTo("28P01");
            assertThat(login.frontDoor()).isEqualTo("postgres");
        });
        assertThat(refusal(connect(server, "mallory").authenticate(GUESS))).isEqualTo("28P01");
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("mallory");
            assertThat(login.reason()).isEqualTo("unknown_user");
        });

        connect(server, "alice").authenticate(GUESS);
        // three failures from this address: locked out, the right password gets the answer of a wrong one, and the trail says why
        assertThat(refusal(connect(server, "alice").authenticate(PASSWORD))).isEqualTo("28P01");
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("alice");
            assertThat(login.reason()).isEqualTo("locked_out");
        });
        assertThat(failedLogins()).hasSize(4);
        assertThat(events.toString()).doesNotContain(PASSWORD, GUESS);
    }

    @Test
    void refusedBeforeAuthenticationEnds(@TempDir Path directory)
            throws Exception
    {
        // TLS required, and a plain connection
        TestingCertificates.PemFiles certificate = TestingCertificates.selfSigned(directory);
        PgServer tlsOnly = server(PgServerOptions.defaults().withTls(PgTls.fromPemFiles(certificate.certificate(), certificate.key(), PgTls.Mode.REQUIRED)),
                Limits.NONE);
        assertThat(refusal(connect(tlsOnly, "alice").read())).isEqualTo("28000");
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("alice");
            assertThat(login.reason()).isEqualTo("tls_required");
            assertThat(login.sqlState()).isEqualTo("28000");
        });

        // carol needs a client certificate (clientcert: verify-ca) and came without one
        PgServer plain = server(PgServerOptions.defaults().withMaxConnections(2), new Limits(RoleLimits.NONE, Map.of(), Map.of("alice",
                new RoleLimits(OptionalInt.of(1), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(),
                        OptionalLong.empty()))));
        assertThat(refusal(connect(plain, "carol").read())).isEqualTo("28000");
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("carol");
            assertThat(login.reason()).isEqualTo("client_certificate");
        });

        // alice may hold one session: the second is refused after her password was right
        assertThat(types(connect(plain, "alice").authenticate(PASSWORD))).matches("RRS+KZ");
        TestingPgWire second = connect(plain, "alice");
        assertThat(refusal(second.authenticate(PASSWORD))).isEqualTo("53300");
        second.channel().runPendingTasks();
        assertThat(second.channel().isOpen()).isFalse();
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("alice");
            assertThat(login.reason()).isEqualTo("connection_limit");
            assertThat(login.sqlState()).isEqualTo("53300");
        });

        // the gateway's own connection limit: alice's session and bob's first connection are open
        channels.forEach(EmbeddedChannel::runPendingTasks);
        connect(plain, "bob");
        assertThat(refusal(connect(plain, "bob").read())).isEqualTo("53300");
        assertThat(lastFailure()).satisfies(login -> {
            assertThat(login.user()).isEqualTo("bob");
            assertThat(login.reason()).isEqualTo("too_many_connections");
        });
        assertThat(events.toString()).doesNotContain(PASSWORD);
    }
}
