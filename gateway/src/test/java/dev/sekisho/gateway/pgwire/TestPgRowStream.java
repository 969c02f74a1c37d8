package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
 * A result much longer than one batch of {@code flushBytes}: every DataRow must arrive whole and in
 * order, across batches, across pauses and across portal suspensions.
 */
class TestPgRowStream
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final PgServer server = new PgServer(PgServerOptions.defaults(), UserStore.of(Map.of("alice",
            new UserRecord(new Principal("alice", Set.of("analysts"), Map.of()), ALICE))), planner, new TestingDirectExecutor(), List.of("shop"));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
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

    /** About 3 MB of DataRows: some fifty batches of 64 KiB. */
    @Test
    void simpleQueryLongerThanManyBatchesSendsEveryRowInOrder()
    {
        int rows = 200_000;
        TestingPgWire wire = login();
        wire.sendAll(query("select n from series(" + rows + ")"));
        List<Message> messages = wire.read();
        assertThat(messages.get(0).type()).isEqualTo('T');
        assertRows(messages.subList(1, rows + 1), 0, rows);
        assertThat(types(messages.subList(rows + 1, messages.size()))).isEqualTo("CZ");
        assertThat(messages.get(rows + 1).tag()).isEqualTo("SELECT " + rows);
        assertThat(planner.openStreams()).isZero();
    }

    /** pgjdbc's fetch size: each Execute continues the rows where the last one suspended. */
    @Test
    void portalSuspendedEveryFetchSizeRowsSendsEveryRowInOrder()
    {
        int fetch = 30_000;
        TestingPgWire wire = login();
        wire.sendAll(query("begin"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        wire.sendAll(parse("S_1", "select n from series(100000)"), bind("C_1", "S_1", List.of()), execute("C_1", fetch), sync());
        int next = 0;
        while (true) {
            List<Message> messages = wire.read();
            String last = types(messages.subList(messages.size() - 2, messages.size()));
            int from = messages.get(0).type() == '1' ? 2 : 0;
            int dataRows = messages.size() - from - 2;
            assertRows(messages.subList(from, from + dataRows), next, dataRows);
            next += dataRows;
            if (last.equals("CZ")) {
                assertThat(messages.get(messages.size() - 2).tag()).isEqualTo("SELECT " + dataRows);
                break;
            }
            assertThat(last).isEqualTo("sZ");
            assertThat(dataRows).isEqualTo(fetch);
            wire.sendAll(execute("C_1", fetch), sync());
        }
        assertThat(next).isEqualTo(100_000);
        wire.sendAll(query("commit"));
        assertThat(types(wire.read())).isEqualTo("CZ");
        assertThat(planner.openStreams()).isZero();
    }

    private static void assertRows(List<Message> dataRows, int first, int count)
    {
        assertThat(dataRows).hasSize(count);
        for (int i = 0; i < count; i++) {
            Message row = dataRows.get(i);
            assertThat(row.type()).isEqualTo('D');
            assertThat(row.columns()).containsExactly(Integer.toString(first + i));
        }
    }
}
