package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.sql.SqlLexer;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
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
 * A statement's text is cut into tokens once, by the shared lexer, on its way from the wire to the
 * source: the splitter, the classifier, the session-command parser, the parameter rewriter and the
 * syntax normaliser all read the same tokens. Counted with the lexer's invocation counter, through
 * a real planner.
 */
class TestStatementLexedOnce
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private final PgServer server = new PgServer(PgServerOptions.defaults(),
            UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ALICE))),
            new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults()), new TestingDirectExecutor(), List.of("shop"));
    private EmbeddedChannel channel;

    @AfterEach
    void tearDown()
    {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aSimpleQueryIsLexedOnceWhateverItHolds()
    {
        TestingPgWire wire = login();
        // planned afresh (cache misses), with a parameterless query, a session command and a query using PostgreSQL syntax
        assertLexedOnce(wire, "select name from customers where id = 1; set application_name = 'x'; "
                + "select E'a\\nb' || name, created_at::date from customers /* a /* nested */ comment */ where region = $$JP$$", 3);
        // the same text again: plan-cache hits
        assertLexedOnce(wire, "select name from customers where id = 1", 1);
        // a cursor's query is a part of the DECLARE statement's tokens
        assertLexedOnce(wire, "begin; declare c cursor for select id from customers order by id; fetch 2 from c; commit", 4);
    }

    @Test
    void aParseMessageIsLexedOnce()
    {
        TestingPgWire wire = login();
        long before = SqlLexer.invocations();
        wire.sendAll(parse("", "select name from customers where id = $1::int"), bind("", "", List.of("2")), execute("", 0), sync());
        assertThat(types(wire.read())).matches("12D+CZ");
        assertThat(SqlLexer.invocations() - before).isEqualTo(1);
    }

    private static void assertLexedOnce(TestingPgWire wire, String sql, int statements)
    {
        long before = SqlLexer.invocations();
        wire.sendAll(query(sql));
        List<Message> messages = wire.read();
        assertThat(messages.stream().filter(message -> message.type() == 'E').map(Message::fields).toList()).as("errors").isEmpty();
        assertThat(types(messages).chars().filter(type -> type == 'C').count()).as("statements completed").isEqualTo(statements);
        assertThat(SqlLexer.invocations() - before).as("lexer runs for: " + sql).isEqualTo(1);
    }

    private TestingPgWire login()
    {
        channel = new EmbeddedChannel(server.channelInitializer());
        TestingPgWire wire = new TestingPgWire(channel);
        wire.startup(Map.of("user", "alice", "database", "shop"));
        assertThat(types(wire.authenticate("s3cret"))).matches("RRS+KZ");
        return wire;
    }
}
