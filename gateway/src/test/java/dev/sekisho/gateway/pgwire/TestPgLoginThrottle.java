package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed logins over the wire: the answer is delayed on the event loop's timer (no thread waits),
 * longer with each failure; after the lock-out threshold even the right password fails; and an
 * unknown user cannot be told from a known one by the exchange, the answer or its delay.
 */
class TestPgLoginThrottle
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private final AtomicLong clock = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(Duration.ofMillis(200), Duration.ofSeconds(2), 4,
            Duration.ofMinutes(15)), clock::get);
    private final PgServer server = new PgServer(PgServerOptions.defaults(),
            UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ALICE))), throttle,
            new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults()), new TestingDirectExecutor());
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private TestingPgWire connect(String user)
    {
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channel.freezeTime();
        channels.add(channel);
        TestingPgWire wire = new TestingPgWire(channel);
        wire.startup(Map.of("user", user, "database", "shop"));
        return wire;
    }

    /** Runs a failing login and returns how long its answer waited, and the answer. */
    private Failure failedLogin(String user, String password)
    {
        TestingPgWire wire = connect(user);
        List<Message> messages = wire.authenticate(password);
        assertThat(messages).as("no answer before the delay").isEmpty();
        assertThat(wire.channel().isOpen()).isTrue();
        long waited = 0;
        while (messages.isEmpty()) {
            assertThat(waited).as("answer within the maximum delay").isLessThanOrEqualTo(2000);
            wire.channel().advanceTimeBy(10, TimeUnit.MILLISECONDS);
            waited += 10;
            messages = wire.read();
        }
        assertThat(types(messages)).isEqualTo("E");
        wire.channel().runPendingTasks();
        assertThat(wire.channel().isOpen()).isFalse();
        return new Failure(waited, messages.get(0).fields());
    }

    private record Failure(long waitedMillis, Map<Character, String> fields) {}

    @Test
    void eachFailureWaitsLongerAndTheAnswerNamesNoReason()
    {
        Failure first = failedLogin("alice", "wrong");
        Failure second = failedLogin("alice", "wrong");
        Failure third = failedLogin("alice", "wrong");
        assertThat(first.waitedMillis()).isEqualTo(200);
        assertThat(second.waitedMillis()).isEqualTo(400);
        assertThat(third.waitedMillis()).isEqualTo(800);
        assertThat(first.fields()).containsEntry('S', "FATAL").containsEntry('C', "28P01")
                .containsEntry('M', "password authentication failed for user \"alice\"");
    }

    @Test
    void unknownUserLooksLikeAWrongPassword()
    {
        TestingPgWire known = connect("alice");
        TestingPgWire unknown = connect("mallory");
        // the same exchange: same mechanisms, iteration count and salt length; the unknown user's
        // salt is as stable across attempts as a real user's
        Map<String, String> knownFirst = serverFirst(known);
        Map<String, String> unknownFirst = serverFirst(unknown);
        assertThat(unknownFirst.get("i")).isEqualTo(knownFirst.get("i"));
        assertThat(unknownFirst.get("s")).hasSameSizeAs(knownFirst.get("s"));
        assertThat(serverFirst(connect("mallory")).get("s")).isEqualTo(unknownFirst.get("s"));

        // each is the first failure of its name, from an address that failed as often (here: never)
        Failure knownFailure = failedLogin("alice", "wrong");
        clock.addAndGet(TimeUnit.MINUTES.toNanos(16));
        Failure unknownFailure = failedLogin("mallory", "wrong");
        assertThat(unknownFailure.waitedMillis()).isEqualTo(knownFailure.waitedMillis());
        // every field the same but the name the client sent itself
        Map<Character, String> expected = new java.util.LinkedHashMap<>(knownFailure.fields());
        expected.put('M', "password authentication failed for user \"mallory\"");
        assertThat(unknownFailure.fields()).isEqualTo(expected);
        assertThat(knownFailure.fields()).containsEntry('M', "password authentication failed for user \"alice\"");
    }

    @Test
    void lockedOutUserFailsWithTheRightPasswordUntilTheWindowPasses()
    {
        for (int i = 0; i < 4; i++) {
            failedLogin("alice", "wrong");
        }
        // the right password now gets the answer of a wrong one, after the longest delay
        Failure locked = failedLogin("alice", "s3cret");
        assertThat(locked.fields()).containsEntry('C', "28P01").containsEntry('M', "password authentication failed for user \"alice\"");
        assertThat(locked.waitedMillis()).isEqualTo(2000);

        clock.addAndGet(TimeUnit.MINUTES.toNanos(16));
        TestingPgWire wire = connect("alice");
        assertThat(types(wire.authenticate("s3cret"))).matches("RRS+KZ");
    }

    @Test
    void unknownUserIsThrottledAndLockedOutExactlyLikeAKnownOne()
    {
        // five failures each: the back-off up to the lock-out, then a locked-out answer
        List<Failure> known = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            known.add(failedLogin("alice", "wrong"));
        }
        clock.addAndGet(TimeUnit.MINUTES.toNanos(16));
        List<Failure> unknown = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            unknown.add(failedLogin("mallory", "wrong"));
        }
        assertThat(known).extracting(Failure::waitedMillis).containsExactly(200L, 400L, 800L, 1600L, 2000L);
        assertThat(unknown).extracting(Failure::waitedMillis).containsExactlyElementsOf(known.stream().map(Failure::waitedMillis).toList());
        for (int i = 0; i < 5; i++) {
            Map<Character, String> expected = new java.util.LinkedHashMap<>(known.get(i).fields());
            expected.put('M', "password authentication failed for user \"mallory\"");
            assertThat(unknown.get(i).fields()).as("answer %d", i + 1).isEqualTo(expected);
        }
    }

    @Test
    void successfulLoginResetsTheUsersDelay()
    {
        failedLogin("alice", "wrong");
        failedLogin("alice", "wrong");
        TestingPgWire wire = connect("alice");
        assertThat(types(wire.authenticate("s3cret"))).matches("RRS+KZ");
        // the address still counts its two failures: the third failure from it waits 800 ms
        assertThat(failedLogin("alice", "wrong").waitedMillis()).isEqualTo(800);
    }

    private static Map<String, String> serverFirst(TestingPgWire wire)
    {
        assertThat(types(wire.read())).isEqualTo("R");
        ByteBuf initial = Unpooled.buffer();
        TestingPgWire.writeString(initial, "SCRAM-SHA-256");
        byte[] clientFirst = "n,,n=*,r=abcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
        initial.writeInt(clientFirst.length).writeBytes(clientFirst);
        wire.send('p', initial);
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("R");
        ByteBuf body = messages.get(0).buffer();
        assertThat(body.readInt()).isEqualTo(11);
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        for (String part : body.toString(StandardCharsets.UTF_8).split(",")) {
            attributes.put(part.substring(0, 1), part.substring(2));
        }
        return attributes;
    }
}
