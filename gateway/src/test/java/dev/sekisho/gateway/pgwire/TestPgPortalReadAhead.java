package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.sekisho.gateway.pgwire.TestingPgWire.bind;
import static dev.sekisho.gateway.pgwire.TestingPgWire.close;
import static dev.sekisho.gateway.pgwire.TestingPgWire.execute;
import static dev.sekisho.gateway.pgwire.TestingPgWire.parse;
import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.sync;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A suspended portal's next rows are read from the source while the client reads its batch, at
 * most the last Execute's row count of them and only those the source delivered already, and the
 * next Execute sends them first; a failure met while reading ahead waits for the Execute that
 * reaches its row. The bytes kept come from one budget of the server's: a session finding it used
 * up reads nothing ahead, and however a portal ends its bytes go back. Every task runs on the test's
 * thread, so the reading ahead is done when a reply has been read, and the source's row count
 * shows it.
 */
class TestPgPortalReadAhead
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private static final PgServerOptions READING_AHEAD = PgServerOptions.defaults().withReadAheadBytes(512 * 1024);
    /** What a portal reserves from the total budget at a time ({@code PortalReadAhead.RESERVE_BYTES}). */
    private static final long RESERVATION_BYTES = 64 * 1024;

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    /** The last server logged in to. */
    private PgServer server;

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private TestingPgWire login(PgServerOptions options)
    {
        server = new PgServer(options, UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of("analysts"), Map.of()), ALICE))),
                planner, new TestingDirectExecutor(), List.of("shop"));
        // chunks are timed on the planner's clock: only slow_series' rows take time, however busy the machine is
        server.useReadAheadClock(planner::nanoTime);
        TestingPgWire wire = connect(server);
        wire.sendAll(query("begin"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        return wire;
    }

    /** A session of {@code server}, outside a transaction block. */
    private TestingPgWire connect(PgServer server)
    {
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channels.add(channel);
        TestingPgWire wire = new TestingPgWire(channel);
        wire.startup(Map.of("user", "alice", "database", "shop"));
        assertThat(types(wire.authenticate("s3cret"))).matches("RRS+KZ");
        return wire;
    }

    @Test
    void nextRowsAreReadAheadAndSentFirstByTheNextExecute()
    {
        TestingPgWire wire = login(READING_AHEAD);
        wire.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        List<Message> first = wire.read();
        assertThat(types(first)).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertRows(first.subList(2, 102), 0);
        // the next 100 were read while the client had the first 100
        assertThat(planner.rowsProduced()).isEqualTo(200);

        // fewer than were read ahead: the rest stay kept, nothing more is read
        wire.sendAll(execute("C_1", 30), sync());
        List<Message> second = wire.read();
        assertThat(types(second)).isEqualTo("D".repeat(30) + "sZ");
        assertRows(second.subList(0, 30), 100);
        assertThat(planner.rowsProduced()).isEqualTo(200);

        // all that is left: the 70 kept, then the source's
        wire.sendAll(execute("C_1", 0), sync());
        List<Message> rest = wire.read();
        assertThat(types(rest)).isEqualTo("D".repeat(870) + "CZ");
        assertRows(rest.subList(0, 870), 130);
        assertThat(rest.get(870).tag()).isEqualTo("SELECT 870");
        wire.sendAll(query("commit"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void nextRowsAreReadAheadByDefault()
    {
        TestingPgWire wire = login(PgServerOptions.defaults());
        wire.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(200);
        assertThat(server.readAheadBudget().usedBytes()).isPositive();
    }

    @Test
    void nothingIsReadAheadWhenTurnedOff()
    {
        TestingPgWire wire = login(PgServerOptions.defaults().withReadAheadBytes(0));
        wire.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(100);
    }

    @Test
    void failureMetWhileReadingAheadIsReportedByTheExecuteThatReachesItsRow()
    {
        TestingPgWire wire = login(READING_AHEAD);
        // rows 0 to 149, then reading row 150 fails (57014)
        wire.sendAll(parse("S_1", "select n from failing(150)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(150);

        wire.sendAll(execute("C_1", 30), sync());
        List<Message> before = wire.read();
        assertThat(types(before)).as("an Execute that stops before the failing row").isEqualTo("D".repeat(30) + "sZ");
        assertRows(before.subList(0, 30), 100);
        assertThat(before.get(31).body()[0]).isEqualTo((byte) 'T');

        wire.sendAll(execute("C_1", 30), sync());
        List<Message> reaching = wire.read();
        assertThat(types(reaching)).isEqualTo("D".repeat(20) + "EZ");
        assertRows(reaching.subList(0, 20), 130);
        assertThat(reaching.get(20).fields().get('C')).isEqualTo("57014");
        assertThat(reaching.get(21).body()[0]).isEqualTo((byte) 'E');
        assertThat(planner.openStreams()).isZero();

        wire.sendAll(query("rollback"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        wire.sendAll(query("select n from series(3)"));
        assertThat(types(wire.read())).isEqualTo("TDDDCZ");
    }

    @Test
    void closingThePortalDropsWhatWasReadAhead()
    {
        TestingPgWire wire = login(READING_AHEAD);
        wire.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(200);
        wire.sendAll(close('P', "C_1"), sync());
        assertThat(types(wire.read())).isEqualTo("3Z");
        assertThat(planner.openStreams()).isZero();
        // a new portal of the same name starts from its own first row, not from rows kept for the old one
        wire.sendAll(bind("C_1", "S_1", List.of()), execute("C_1", 5), sync());
        List<Message> fresh = wire.read();
        assertThat(types(fresh)).isEqualTo("2" + "D".repeat(5) + "sZ");
        assertRows(fresh.subList(1, 6), 0);
        wire.sendAll(query("commit"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void aSlowSourceStopsTheReadingAheadWithinAChunk()
    {
        TestingPgWire wire = login(READING_AHEAD);
        wire.sendAll(parse("S_1", "select n from slow_series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        List<Message> first = wire.read();
        assertThat(types(first)).isEqualTo("12" + "D".repeat(100) + "sZ");
        // rows that take a millisecond each (on the planner's clock): the reading ahead stops once 20 ms went by (checked every 8 rows),
        // not after the whole chunk of 128 or the 100 rows of the last Execute, so a message waits at most that long
        assertThat(planner.rowsProduced()).isBetween(108L, 124L);

        wire.sendAll(execute("C_1", 100), sync());
        List<Message> second = wire.read();
        assertThat(types(second)).isEqualTo("D".repeat(100) + "sZ");
        assertRows(second.subList(0, 100), 100);
    }

    @Test
    void nothingIsReadAheadWhenTheTotalBudgetIsZero()
    {
        TestingPgWire wire = login(READING_AHEAD.withReadAheadTotalBytes(0));
        wire.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(100);
    }

    @Test
    void onlyRowsTheSourceDeliveredAreReadAhead()
    {
        TestingPgWire wire = login(READING_AHEAD);
        // 150 rows at hand, the rest not yet delivered: reading them ahead would wait for the source
        wire.sendAll(parse("S_1", "select n from arriving(1000, 150)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(150);

        // a message that comes meanwhile is answered at once, and the next Execute reads on from the source
        wire.sendAll(parse("S_2", "select n from series(3)"), sync());
        assertThat(types(wire.read())).isEqualTo("1Z");
        wire.sendAll(execute("C_1", 100), sync());
        List<Message> second = wire.read();
        assertThat(types(second)).isEqualTo("D".repeat(100) + "sZ");
        assertRows(second.subList(0, 100), 100);
        wire.sendAll(query("commit"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(server.readAheadBudget().usedBytes()).isZero();
    }

    @Test
    void rowsTheSourceDeliversWhileTheClientReadsAreReadAheadAfterAPause()
    {
        TestingPgWire wire = login(READING_AHEAD);
        wire.channel().freezeTime();
        wire.sendAll(parse("S_1", "select n from arriving(1000, 150)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(150);

        // the source delivers more while the client reads its batch: the session looks again after a pause
        planner.deliver(100);
        wire.channel().advanceTimeBy(50, TimeUnit.MICROSECONDS);
        wire.channel().runScheduledPendingTasks();
        assertThat(planner.rowsProduced()).as("read ahead up to the last Execute's row count").isEqualTo(200);
        assertThat(wire.channel().runScheduledPendingTasks()).as("bounds reached: no look is scheduled").isEqualTo(-1);

        wire.sendAll(execute("C_1", 100), sync());
        List<Message> second = wire.read();
        assertThat(types(second)).isEqualTo("D".repeat(100) + "sZ");
        assertRows(second.subList(0, 100), 100);
        assertThat(planner.rowsProduced()).as("the Execute sent what was read ahead, then the rows delivered meanwhile were read ahead of the next")
                .isEqualTo(250);
        wire.sendAll(query("commit"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(server.readAheadBudget().usedBytes()).isZero();
    }

    @Test
    void aSourceThatDeliversNothingIsLookedAtAFewTimesThenNotUntilTheNextExecute()
    {
        TestingPgWire wire = login(READING_AHEAD);
        wire.channel().freezeTime();
        wire.sendAll(parse("S_1", "select n from arriving(1000, 150)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(wire.read())).isEqualTo("12" + "D".repeat(100) + "sZ");

        // looks at 50 µs, then 100, 200, ... µs: eight in all, about 13 ms, then none
        int looks = 0;
        for (long next = wire.channel().runScheduledPendingTasks(); next >= 0; next = wire.channel().runScheduledPendingTasks()) {
            looks++;
            assertThat(next).as("pause before look " + looks).isEqualTo(50_000L << (looks - 1));
            wire.channel().advanceTimeBy(next, TimeUnit.NANOSECONDS);
        }
        assertThat(looks).isEqualTo(8);
        planner.deliver(100);
        wire.channel().advanceTimeBy(1, TimeUnit.SECONDS);
        wire.channel().runScheduledPendingTasks();
        assertThat(planner.rowsProduced()).as("not looked at again before the next Execute").isEqualTo(150);

        wire.sendAll(execute("C_1", 100), sync());
        List<Message> second = wire.read();
        assertThat(types(second)).isEqualTo("D".repeat(100) + "sZ");
        assertRows(second.subList(0, 100), 100);
        wire.sendAll(query("commit"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(server.readAheadBudget().usedBytes()).isZero();
    }

    @Test
    void theTotalBudgetIsSharedBySessions()
    {
        // room for one reservation: the first session's read-ahead takes it, the second session reads none ahead
        TestingPgWire first = login(READING_AHEAD.withReadAheadTotalBytes(RESERVATION_BYTES));
        TestingPgWire second = connect(server);
        second.sendAll(query("begin"));
        assertThat(types(second.read())).isEqualTo("CZ");

        first.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        assertThat(types(first.read())).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(200);
        long kept = server.readAheadBudget().usedBytes();
        // rows 100 to 199, DataRows of 14 bytes: what was reserved beyond them went back
        assertThat(kept).isEqualTo(100L * 14);

        second.sendAll(parse("S_1", "select n from series(1000)"), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
        List<Message> secondRows = second.read();
        assertThat(types(secondRows)).isEqualTo("12" + "D".repeat(100) + "sZ");
        assertRows(secondRows.subList(2, 102), 0);
        assertThat(planner.rowsProduced()).as("nothing read ahead for the second session").isEqualTo(300);
        assertThat(server.readAheadBudget().usedBytes()).isEqualTo(kept);
        second.sendAll(execute("C_1", 100), sync());
        List<Message> secondMore = second.read();
        assertThat(types(secondMore)).isEqualTo("D".repeat(100) + "sZ");
        assertRows(secondMore.subList(0, 100), 100);

        // the first session's next Execute sends what it kept and gives the bytes back; then it reads ahead again
        first.sendAll(execute("C_1", 100), sync());
        List<Message> firstMore = first.read();
        assertThat(types(firstMore)).isEqualTo("D".repeat(100) + "sZ");
        assertRows(firstMore.subList(0, 100), 100);
        first.sendAll(query("commit"));
        assertThat(types(first.read())).isEqualTo("CZ");
        assertThat(server.readAheadBudget().usedBytes()).as("the first session's portal ended").isZero();

        // with the budget free again, the second session reads ahead
        long produced = planner.rowsProduced();
        second.sendAll(execute("C_1", 100), sync());
        assertThat(types(second.read())).isEqualTo("D".repeat(100) + "sZ");
        assertThat(planner.rowsProduced()).isEqualTo(produced + 200);
        assertThat(server.readAheadBudget().usedBytes()).isPositive();
        second.sendAll(query("rollback"));
        assertThat(types(second.read())).isEqualTo("CZ");
        assertThat(server.readAheadBudget().usedBytes()).isZero();
    }

    @Test
    void theBudgetComesBackHoweverThePortalEnds()
    {
        login(READING_AHEAD);
        ReadAheadBudget budget = server.readAheadBudget();
        List<String> ends = List.of("all rows sent", "Close", "Sync of the implicit transaction", "COMMIT", "ROLLBACK",
                "a failure met reading ahead", "the client leaving");
        for (String end : ends) {
            TestingPgWire wire = connect(server);
            boolean block = !end.equals("Sync of the implicit transaction");
            if (block) {
                wire.sendAll(query("begin"));
                assertThat(types(wire.read())).isEqualTo("CZ");
            }
            String source = end.startsWith("a failure") ? "select n from failing(150)" : "select n from series(1000)";
            if (block) {
                wire.sendAll(parse("S_1", source), bind("C_1", "S_1", List.of()), execute("C_1", 100), sync());
                assertThat(types(wire.read())).as(end).isEqualTo("12" + "D".repeat(100) + "sZ");
            }
            else {
                // Execute and Flush leave the implicit transaction's portal open, and the rows are read ahead then
                wire.sendAll(parse("S_1", source), bind("C_1", "S_1", List.of()), execute("C_1", 100), TestingPgWire.frame('H', Unpooled.buffer()));
                assertThat(types(wire.read())).as(end).isEqualTo("12" + "D".repeat(100) + "s");
            }
            assertThat(budget.usedBytes()).as("kept before: " + end).isPositive();
            switch (end) {
                case "all rows sent" -> {
                    wire.sendAll(execute("C_1", 0), sync());
                    assertThat(types(wire.read())).isEqualTo("D".repeat(900) + "CZ");
                }
                case "Close" -> {
                    wire.sendAll(close('P', "C_1"), sync());
                    assertThat(types(wire.read())).isEqualTo("3Z");
                }
                case "Sync of the implicit transaction" -> {
                    wire.sendAll(sync());
                    assertThat(types(wire.read())).isEqualTo("Z");
                }
                case "COMMIT" -> {
                    wire.sendAll(query("commit"));
                    assertThat(types(wire.read())).isEqualTo("CZ");
                }
                case "ROLLBACK" -> {
                    wire.sendAll(query("rollback"));
                    assertThat(types(wire.read())).isEqualTo("CZ");
                }
                case "a failure met reading ahead" -> {
                    wire.sendAll(execute("C_1", 100), sync());
                    assertThat(types(wire.read())).isEqualTo("D".repeat(50) + "EZ");
                }
                case "the client leaving" -> wire.channel().close();
                default -> throw new AssertionError(end);
            }
            assertThat(budget.usedBytes()).as("kept after: " + end).isZero();
            assertThat(planner.openStreams()).as("streams open after: " + end).isZero();
            wire.channel().close();
        }
    }

    private static void assertRows(List<Message> dataRows, int first)
    {
        for (int i = 0; i < dataRows.size(); i++) {
            assertThat(dataRows.get(i).type()).isEqualTo('D');
            assertThat(dataRows.get(i).columns()).containsExactly(Integer.toString(first + i));
        }
    }
}
