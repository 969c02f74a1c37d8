package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.gateway.pgwire.TestingPgWire.bind;
import static dev.sekisho.gateway.pgwire.TestingPgWire.execute;
import static dev.sekisho.gateway.pgwire.TestingPgWire.parse;
import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.sync;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement never costs the connection: whatever the planner, an engine or a driver throws while
 * a statement is prepared, started or read (errors of the JVM such as AssertionError and
 * StackOverflowError included) becomes an ErrorResponse with a fitting SQLSTATE, followed by
 * ReadyForQuery; the connection stays open and answers the next statement, and whatever the
 * statement held at its sources is released.
 */
class TestPgStatementFailures
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final PgServer server = new PgServer(PgServerOptions.defaults(),
            UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ALICE))), planner, new TestingDirectExecutor(),
            List.of("shop"));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @ParameterizedTest
    @CsvSource({
            "prepare, assertion, 0A000",
            "prepare, npe, XX000",
            "prepare, nfe, 22P02",
            "prepare, stackoverflow, 54001",
            "execute, assertion, 0A000",
            "execute, npe, XX000",
            "execute, initializer, 22P02",
            "execute, arithmetic, 22012",
            "execute, unsupported, XX000",
            "execute, aggregate, 0A000",
            "read, assertion, 0A000",
            "read, nfe, 22P02",
            "read, npe, XX000"})
    void simpleQueryFailureIsAnErrorAndTheConnectionAnswersNext(String phase, String kind, String sqlState)
    {
        TestingPgWire wire = login();
        wire.sendAll(query("select n from " + phase + "_throws(" + kind + ")"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).matches("(TD?)?EZ");
        Message error = messages.get(messages.size() - 2);
        assertThat(error.fields()).containsEntry('S', "ERROR").containsEntry('C', sqlState);
        assertThat(messages.get(messages.size() - 1).body()).containsExactly('I');
        assertStillAnswers(wire);
    }

    @ParameterizedTest
    @CsvSource({
            "prepare, assertion, 0A000",
            "execute, assertion, 0A000",
            "execute, npe, XX000",
            "read, initializer, 22P02",
            "read, stackoverflow, 54001"})
    void extendedQueryFailureIsAnErrorAndTheConnectionAnswersNext(String phase, String kind, String sqlState)
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select n from " + phase + "_throws(" + kind + ")"), bind("", "", List.of()), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).matches("(12D?)?EZ");
        assertThat(messages.get(messages.size() - 2).fields()).containsEntry('C', sqlState);
        assertStillAnswers(wire);
    }

    @ParameterizedTest
    @CsvSource({"assertion", "npe", "initializer", "stackoverflow"})
    void whatAFailingEngineOpenedIsReleased(String kind)
    {
        TestingPgWire wire = login();
        wire.sendAll(query("select n from execute_throws(" + kind + ")"));
        assertThat(types(wire.read())).isEqualTo("EZ");
        assertThat(planner.heldResources()).isZero();
        wire.sendAll(parse("s", "select n from execute_throws(" + kind + ")"), bind("", "s", List.of()), execute("", 0), sync());
        assertThat(types(wire.read())).isEqualTo("12EZ");
        assertThat(planner.heldResources()).isZero();
    }

    private void assertStillAnswers(TestingPgWire wire)
    {
        assertThat(wire.channel().isOpen()).isTrue();
        wire.sendAll(query("select 1"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDCZ");
        assertThat(messages.get(1).columns()).containsExactly("1");
    }

    private TestingPgWire login()
    {
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channels.add(channel);
        TestingPgWire wire = new TestingPgWire(channel);
        wire.startup(Map.of("user", "alice", "database", "shop"));
        assertThat(types(wire.authenticate("s3cret"))).matches("RRS+KZ");
        return wire;
    }
}
