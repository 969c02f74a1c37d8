package dev.sekisho.gateway.pgwire;

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
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin's limits over the wire: connections per user and per group (53300), statement_timeout
 * (57014, within the admin's maximum), the idle timeouts (57P05, 25P03), and the rows and bytes one
 * statement may return (54000).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestPgSessionLimits
{
    private static final ScramVerifier PASSWORD = ScramVerifier.create("pw".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private static RoleLimits limits(Integer connections, Duration statementTimeout, Duration maxStatementTimeout, Duration idle, Duration idleInTransaction,
            Long rows, Long bytes)
    {
        return new RoleLimits(connections == null ? OptionalInt.empty() : OptionalInt.of(connections), Optional.ofNullable(statementTimeout),
                Optional.ofNullable(maxStatementTimeout), Optional.ofNullable(idle), Optional.ofNullable(idleInTransaction),
                rows == null ? OptionalLong.empty() : OptionalLong.of(rows), bytes == null ? OptionalLong.empty() : OptionalLong.of(bytes));
    }

    private static PgServer server(Limits limits)
    {
        UserStore users = UserStore.of(Map.of(
                "alice", new UserRecord(new Principal("alice", Set.of("analysts"), Map.of()), PASSWORD),
                "carol", new UserRecord(new Principal("carol", Set.of("analysts"), Map.of()), PASSWORD),
                "dave", new UserRecord(new Principal("dave", Set.of("analysts"), Map.of()), PASSWORD),
                "bob", new UserRecord(new Principal("bob", Set.of("finance"), Map.of()), PASSWORD)));
        Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults(), limits);
        return new PgServer(PgServerOptions.defaults(), users, sessions, new TestingDirectExecutor());
    }

    private TestingPgWire connect(PgServer server, String user)
    {
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channel.freezeTime();
        channels.add(channel);
        TestingPgWire wire = new TestingPgWire(channel);
        wire.startup(Map.of("user", user, "database", "shop"));
        return wire;
    }

    private TestingPgWire login(PgServer server, String user)
    {
        TestingPgWire wire = connect(server, user);
        assertThat(types(wire.authenticate("pw"))).matches("RRS+KZ");
        return wire;
    }

    @Test
    void connectionsPerUser()
    {
        PgServer server = server(new Limits(limits(2, null, null, null, null, null, null), Map.of(),
                Map.of("bob", limits(1, null, null, null, null, null, null))));
        login(server, "alice");
        TestingPgWire second = login(server, "alice");
        TestingPgWire third = connect(server, "alice");
        List<Message> refused = third.authenticate("pw");
        assertThat(types(refused)).endsWith("E");
        Map<Character, String> error = refused.get(refused.size() - 1).fields();
        assertThat(error).containsEntry('S', "FATAL").containsEntry('C', "53300").containsEntry('M', "too many connections for role \"alice\"");
        assertThat(error.get('H')).contains("2 connection(s) at once");
        assertThat(third.channel().isOpen()).isFalse();

        // a user's own entry overrides the default; other users are not affected
        login(server, "bob");
        assertThat(types(connect(server, "bob").authenticate("pw"))).endsWith("E");
        login(server, "carol");

        // a closed connection gives its place back
        second.channel().close();
        second.channel().runPendingTasks();
        login(server, "alice");
    }

    @Test
    void connectionsPerGroupCountAllMembers()
    {
        PgServer server = server(new Limits(RoleLimits.NONE, Map.of("analysts", limits(2, null, null, null, null, null, null)), Map.of()));
        TestingPgWire alice = login(server, "alice");
        login(server, "carol");
        List<Message> refused = connect(server, "dave").authenticate("pw");
        assertThat(refused.get(refused.size() - 1).fields()).containsEntry('C', "53300").containsEntry('M', "too many connections for group \"analysts\"");
        login(server, "bob");
        alice.channel().close();
        alice.channel().runPendingTasks();
        login(server, "dave");
    }

    @Test
    void statementTimeoutCancelsAndReportsWhy()
    {
        PgServer server = server(new Limits(limits(null, Duration.ofMillis(300), Duration.ofMinutes(1), null, null, null, null), Map.of(), Map.of()));
        TestingPgWire wire = login(server, "alice");
        assertThat(show(wire, "statement_timeout")).isEqualTo("300ms");
        // blocking(N) sends N rows and then waits at its source until it is cancelled
        wire.sendAll(query("select n from blocking(3)"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDDDEZ");
        assertThat(messages.get(4).fields()).containsEntry('C', "57014").containsEntry('M', "canceling statement due to statement timeout");
        // the session goes on, and a statement that ends in time is not cancelled later
        wire.sendAll(query("select n from series(2)"));
        assertThat(types(wire.read())).isEqualTo("TDDCZ");
    }

    @Test
    void statementTimeoutIsSetWithinTheAdminsMaximum()
    {
        PgServer server = server(new Limits(limits(null, null, Duration.ofSeconds(10), null, null, null, null), Map.of(), Map.of()));
        TestingPgWire wire = login(server, "alice");
        // without a default the session starts at the maximum
        assertThat(show(wire, "statement_timeout")).isEqualTo("10s");
        wire.sendAll(query("set statement_timeout = '5s'"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(show(wire, "statement_timeout")).isEqualTo("5s");
        for (String value : List.of("'1min'", "0")) {
            wire.sendAll(query("set statement_timeout = " + value));
            List<Message> messages = wire.read();
            assertThat(types(messages)).isEqualTo("EZ");
            assertThat(messages.get(0).fields()).containsEntry('C', "22023");
            assertThat(messages.get(0).fields().get('M')).startsWith("statement_timeout cannot be").contains("for role \"alice\"");
        }
        wire.sendAll(query("set statement_timeout = 'soon'"));
        assertThat(wire.read().get(0).fields()).containsEntry('C', "22023").containsEntry('M', "invalid value for parameter \"statement_timeout\": \"soon\"");
        assertThat(show(wire, "statement_timeout")).isEqualTo("5s");
    }

    @Test
    void idleSessionTimeoutClosesTheConnection()
    {
        PgServer server = server(Limits.NONE);
        TestingPgWire wire = login(server, "alice");
        wire.sendAll(query("set idle_session_timeout = '2s'"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        wire.channel().advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        wire.channel().runPendingTasks();
        assertThat(wire.read()).isEmpty();
        // a statement restarts the wait
        wire.sendAll(query("select 1"));
        assertThat(types(wire.read())).isEqualTo("TDCZ");
        wire.channel().advanceTimeBy(1900, TimeUnit.MILLISECONDS);
        wire.channel().runPendingTasks();
        assertThat(wire.read()).isEmpty();
        wire.channel().advanceTimeBy(200, TimeUnit.MILLISECONDS);
        wire.channel().runPendingTasks();
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("E");
        assertThat(messages.get(0).fields()).containsEntry('S', "FATAL").containsEntry('C', "57P05")
                .containsEntry('M', "terminating connection due to idle-session timeout");
        assertThat(wire.channel().isOpen()).isFalse();
        assertThat(server.sessions().size()).isZero();
    }

    @Test
    void idleInTransactionTimeoutFromTheAdminClosesTheConnection()
    {
        PgServer server = server(new Limits(limits(null, null, null, null, Duration.ofSeconds(3), null, null), Map.of(), Map.of()));
        TestingPgWire wire = login(server, "alice");
        // outside a transaction block the session may wait
        wire.channel().advanceTimeBy(10, TimeUnit.SECONDS);
        wire.channel().runPendingTasks();
        assertThat(wire.channel().isOpen()).isTrue();
        wire.sendAll(query("begin"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        // the admin's value is a maximum too: it cannot be turned off
        wire.sendAll(query("set idle_in_transaction_session_timeout = 0"));
        assertThat(wire.read().get(0).fields()).containsEntry('C', "22023");
        wire.sendAll(query("rollback"));
        wire.read();
        wire.sendAll(query("begin"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        wire.channel().advanceTimeBy(3, TimeUnit.SECONDS);
        wire.channel().runPendingTasks();
        List<Message> messages = wire.read();
        assertThat(messages.get(messages.size() - 1).fields()).containsEntry('S', "FATAL").containsEntry('C', "25P03")
                .containsEntry('M', "terminating connection due to idle-in-transaction timeout");
        assertThat(wire.channel().isOpen()).isFalse();
    }

    @Test
    void resultRowsAndBytesPerRole()
    {
        PgServer server = server(new Limits(RoleLimits.NONE, Map.of("analysts", limits(null, null, null, null, null, 5L, null)),
                Map.of("bob", limits(null, null, null, null, null, null, 20L))));
        TestingPgWire alice = login(server, "alice");
        alice.sendAll(query("select n from series(5)"));
        assertThat(types(alice.read())).isEqualTo("TDDDDDCZ");
        alice.sendAll(query("select n from series(6)"));
        List<Message> messages = alice.read();
        assertThat(types(messages)).isEqualTo("TDDDDDEZ");
        assertThat(messages.get(6).fields()).containsEntry('C', "54000")
                .containsEntry('M', "the result of this statement is larger than 5 rows, the most role \"alice\" may read in one statement");
        // series(N) counts from 0: 0..9 take one byte each and 10.. two, so 0..14 are 20 bytes and the 16th row is too many
        TestingPgWire bob = login(server, "bob");
        bob.sendAll(query("select n from series(100)"));
        messages = bob.read();
        assertThat(types(messages)).isEqualTo("T" + "D".repeat(15) + "EZ");
        assertThat(messages.get(16).fields()).containsEntry('C', "54000").containsEntry('M',
                "the result of this statement is larger than 20B, the most role \"bob\" may read in one statement");
        bob.sendAll(query("select 1"));
        assertThat(types(bob.read())).isEqualTo("TDCZ");
    }

    private static String show(TestingPgWire wire, String setting)
    {
        wire.sendAll(query("show " + setting));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDCZ");
        return messages.get(1).columns().get(0);
    }
}
