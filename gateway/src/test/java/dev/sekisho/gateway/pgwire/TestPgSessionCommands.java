package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.gateway.pgwire.TestingPgWire.bind;
import static dev.sekisho.gateway.pgwire.TestingPgWire.describe;
import static dev.sekisho.gateway.pgwire.TestingPgWire.execute;
import static dev.sekisho.gateway.pgwire.TestingPgWire.parse;
import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.sync;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session commands over the wire (EmbeddedChannel): SQL cursors as psqlODBC and Tableau use them,
 * Tableau's temp-table probes, DISCARD, DEALLOCATE, SHOW labels, and SET undone by ROLLBACK.
 */
class TestPgSessionCommands
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);
    private static final String CURSOR = "\"SQL_CUR0x564180dee430\"";

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final PgServer server = new PgServer(PgServerOptions.defaults(), UserStore.of(Map.of("alice",
            new UserRecord(new Principal("alice", Set.of(), Map.of()), ALICE))), planner, new TestingDirectExecutor(), List.of("shop"));
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

    private static List<Message> run(TestingPgWire wire, String sql)
    {
        wire.sendAll(query(sql));
        return wire.read();
    }

    private static List<String> tags(List<Message> messages)
    {
        return messages.stream().filter(message -> message.type() == 'C').map(Message::tag).toList();
    }

    private static List<String> firstColumns(List<Message> messages)
    {
        return messages.stream().filter(message -> message.type() == 'D').map(message -> message.columns().get(0)).toList();
    }

    private static char status(List<Message> messages)
    {
        Message last = messages.get(messages.size() - 1);
        assertThat(last.type()).isEqualTo('Z');
        return (char) last.body()[0];
    }

    private static Map<Character, String> error(List<Message> messages)
    {
        return messages.stream().filter(message -> message.type() == 'E').findFirst().orElseThrow(() -> new AssertionError("no error in " + messages))
                .fields();
    }

    private static Map<String, String> parameterStatus(List<Message> messages)
    {
        Map<String, String> status = new LinkedHashMap<>();
        for (Message message : messages) {
            if (message.type() == 'S') {
                ByteBuf body = message.buffer();
                status.put(TestingPgWire.readString(body), TestingPgWire.readString(body));
            }
        }
        return status;
    }

    @Test
    void psqlOdbcDeclareFetchWithHoldSurvivesCommit()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "BEGIN;declare " + CURSOR + " cursor with hold for select n from series(5);fetch 2 in " + CURSOR);
        assertThat(types(messages)).isEqualTo("CCTDDCZ");
        assertThat(tags(messages)).containsExactly("BEGIN", "DECLARE CURSOR", "FETCH 2");
        assertThat(firstColumns(messages)).containsExactly("0", "1");
        assertThat(status(messages)).isEqualTo('T');
        // rows stream from the source as they are fetched; nothing is read ahead of the FETCH
        assertThat(planner.rowsProduced()).isEqualTo(2);
        assertThat(planner.openStreams()).isEqualTo(1);

        messages = run(wire, "SAVEPOINT _EXEC_SVP_0x564180dd6c60;fetch 2 in " + CURSOR);
        assertThat(tags(messages)).containsExactly("SAVEPOINT", "FETCH 2");
        assertThat(firstColumns(messages)).containsExactly("2", "3");

        messages = run(wire, "commit");
        assertThat(tags(messages)).containsExactly("COMMIT");
        assertThat(status(messages)).isEqualTo('I');
        assertThat(planner.openStreams()).isEqualTo(1);

        messages = run(wire, "fetch 100 in " + CURSOR);
        assertThat(types(messages)).isEqualTo("TDCZ");
        assertThat(firstColumns(messages)).containsExactly("4");
        assertThat(tags(messages)).containsExactly("FETCH 1");
        assertThat(planner.openStreams()).isZero();

        messages = run(wire, "fetch 100 in " + CURSOR);
        assertThat(types(messages)).isEqualTo("TCZ");
        assertThat(tags(messages)).containsExactly("FETCH 0");

        messages = run(wire, "close " + CURSOR + ";commit");
        assertThat(tags(messages)).containsExactly("CLOSE CURSOR", "COMMIT");
        assertThat(status(messages)).isEqualTo('I');
        messages = run(wire, "fetch 1 in " + CURSOR);
        assertThat(error(messages)).containsEntry('C', "34000").containsEntry('M', "cursor \"SQL_CUR0x564180dee430\" does not exist");
    }

    @Test
    void tableauFetchesEverythingInOneQuery()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "BEGIN;declare \"SQL_CUR0x55fa3e511a10\" cursor with hold for select n from series(3);"
                + "fetch 10000 in \"SQL_CUR0x55fa3e511a10\"");
        assertThat(tags(messages)).containsExactly("BEGIN", "DECLARE CURSOR", "FETCH 3");
        assertThat(status(messages)).isEqualTo('T');
        assertThat(planner.openStreams()).isZero();
        messages = run(wire, "close \"SQL_CUR0x55fa3e511a10\";commit");
        assertThat(tags(messages)).containsExactly("CLOSE CURSOR", "COMMIT");
    }

    @Test
    void cursorWithoutHoldClosesAtTheEndOfItsTransaction()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "declare c cursor for select n from series(10)");
        assertThat(error(messages)).containsEntry('C', "25P01").containsEntry('M', "DECLARE CURSOR can only be used in transaction blocks");
        assertThat(planner.openStreams()).isZero();

        messages = run(wire, "begin; declare c cursor for select n from series(10); fetch 1 from c");
        assertThat(firstColumns(messages)).containsExactly("0");
        assertThat(planner.openStreams()).isEqualTo(1);
        messages = run(wire, "commit");
        assertThat(planner.openStreams()).isZero();
        messages = run(wire, "fetch 1 from c");
        assertThat(error(messages)).containsEntry('C', "34000");

        // several statements in one Query form an implicit transaction block, as in PostgreSQL
        messages = run(wire, "declare d cursor for select n from series(3); fetch all from d");
        assertThat(tags(messages)).containsExactly("DECLARE CURSOR", "FETCH 3");
        assertThat(status(messages)).isEqualTo('I');
        assertThat(error(run(wire, "fetch 1 from d"))).containsEntry('C', "34000");
    }

    @Test
    void rollbackDropsTheHoldableCursorsOfItsTransactionOnly()
    {
        TestingPgWire wire = login();
        run(wire, "declare kept cursor with hold for select n from series(5)");
        List<Message> messages = run(wire, "begin; declare dropped cursor with hold for select n from series(5); fetch 1 from dropped; fetch 1 from kept");
        assertThat(firstColumns(messages)).containsExactly("0", "0");
        assertThat(planner.openStreams()).isEqualTo(2);
        messages = run(wire, "rollback");
        assertThat(planner.openStreams()).isEqualTo(1);
        assertThat(error(run(wire, "fetch 1 from dropped"))).containsEntry('C', "34000");
        assertThat(firstColumns(run(wire, "fetch 1 from kept"))).containsExactly("1");

        // a failed statement in an implicit transaction drops its holdable cursors too
        messages = run(wire, "declare doomed cursor with hold for select n from series(5); select * from missing");
        assertThat(error(messages)).containsEntry('C', "42P01");
        assertThat(error(run(wire, "fetch 1 from doomed"))).containsEntry('C', "34000");
        run(wire, "close all");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void moveAndForwardDirections()
    {
        TestingPgWire wire = login();
        run(wire, "begin; declare c no scroll cursor for select n from series(10)");
        List<Message> messages = run(wire, "move 2 in c");
        assertThat(types(messages)).isEqualTo("CZ");
        assertThat(tags(messages)).containsExactly("MOVE 2");
        assertThat(firstColumns(run(wire, "fetch next from c"))).containsExactly("2");
        assertThat(firstColumns(run(wire, "fetch forward 2 from c"))).containsExactly("3", "4");
        assertThat(firstColumns(run(wire, "fetch absolute 7 from c"))).containsExactly("6");
        assertThat(firstColumns(run(wire, "fetch relative 2 from c"))).containsExactly("8");

        messages = run(wire, "fetch prior from c");
        assertThat(error(messages)).containsEntry('C', "55000").containsEntry('M', "cursor can only scan forward");
        assertThat(status(messages)).isEqualTo('E');
        run(wire, "rollback");

        run(wire, "begin; declare c cursor for select n from series(4)");
        assertThat(tags(run(wire, "move forward all in c"))).containsExactly("MOVE 4");
        assertThat(tags(run(wire, "move 3 in c"))).containsExactly("MOVE 0");
        assertThat(tags(run(wire, "close all; commit"))).containsExactly("CLOSE CURSOR ALL", "COMMIT");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void cursorErrors()
    {
        TestingPgWire wire = login();
        assertThat(error(run(wire, "fetch 1 from nowhere"))).containsEntry('C', "34000").containsEntry('M', "cursor \"nowhere\" does not exist");
        assertThat(error(run(wire, "move 1 in nowhere"))).containsEntry('C', "34000");
        assertThat(error(run(wire, "close nowhere"))).containsEntry('C', "34000");

        run(wire, "begin; declare c cursor for select n from series(3)");
        List<Message> messages = run(wire, "declare c cursor for select 1");
        assertThat(error(messages)).containsEntry('C', "42P03").containsEntry('M', "cursor \"c\" already exists");
        run(wire, "rollback");

        assertThat(error(run(wire, "begin; declare c cursor for show all"))).containsEntry('C', "42601");
        run(wire, "rollback");
        assertThat(error(run(wire, "begin; declare c cursor for select * from missing"))).containsEntry('C', "42P01");
        run(wire, "rollback");

        // a cursor whose source fails cannot be fetched from again
        messages = run(wire, "begin; declare f cursor for select n from failing(1); fetch 5 from f");
        assertThat(firstColumns(messages)).containsExactly("0");
        assertThat(error(messages)).containsEntry('C', "57014");
        run(wire, "rollback");
        assertThat(error(run(wire, "fetch 1 from f"))).containsEntry('C', "34000");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void binaryCursorFetchesBinaryValues()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "begin; declare b binary cursor for select n from series(3); fetch 2 from b");
        Message description = messages.stream().filter(message -> message.type() == 'T').findFirst().orElseThrow();
        ByteBuf body = description.buffer();
        assertThat(body.readShort()).isEqualTo((short) 1);
        assertThat(TestingPgWire.readString(body)).isEqualTo("n");
        body.skipBytes(4 + 2 + 4 + 2 + 4);
        assertThat(body.readShort()).isEqualTo((short) 1);
        List<byte[]> values = messages.stream().filter(message -> message.type() == 'D').map(message -> message.rawColumns().get(0)).toList();
        assertThat(values).hasSize(2);
        assertThat(values.get(1)).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
        run(wire, "commit");
    }

    @Test
    void fetchThroughTheExtendedProtocol()
    {
        TestingPgWire wire = login();
        run(wire, "begin; declare c cursor for select n from series(5)");
        wire.sendAll(parse("", "fetch 3 from c"), bind("", "", List.of()), describe('P', ""), execute("", 2), execute("", 2), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12TDDsDCZ");
        assertThat(firstColumns(messages)).containsExactly("0", "1", "2");
        wire.sendAll(parse("", "fetch all from c"), bind("", "", List.of()), execute("", 0), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("12DDCZ");
        assertThat(tags(messages)).containsExactly("FETCH 2");
        run(wire, "commit");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void tableauTempTableProbesNeverReachASource()
    {
        TestingPgWire wire = login();
        int prepares = planner.prepares();
        String table = "\"#Tableau___A_BE________D__F___B_____F_FF___D__C_1_Connect_Check\"";
        List<Message> messages = run(wire, "CREATE LOCAL TEMPORARY TABLE " + table + " (\"COL\" INTEGER) ON COMMIT PRESERVE ROWS");
        assertThat(types(messages)).isEqualTo("CZ");
        assertThat(tags(messages)).containsExactly("CREATE TABLE");
        assertThat(error(run(wire, "CREATE LOCAL TEMPORARY TABLE " + table + " (\"COL\" INTEGER)"))).containsEntry('C', "42P07");
        assertThat(tags(run(wire, "DROP TABLE " + table))).containsExactly("DROP TABLE");
        messages = run(wire, "DROP TABLE " + table);
        assertThat(error(messages)).containsEntry('C', "42P01")
                .containsEntry('M', "table \"#Tableau___A_BE________D__F___B_____F_FF___D__C_1_Connect_Check\" does not exist");
        assertThat(tags(run(wire, "drop table if exists " + table))).containsExactly("DROP TABLE");

        // created in a transaction that rolls back: gone, as in PostgreSQL
        run(wire, "begin; create temp table \"#Tableau_2\" (a int); rollback");
        assertThat(error(run(wire, "drop table \"#Tableau_2\""))).containsEntry('C', "42P01");
        run(wire, "begin; create temp table \"#Tableau_3\" (a int); commit");
        run(wire, "discard temp");
        assertThat(error(run(wire, "drop table \"#Tableau_3\""))).containsEntry('C', "42P01");

        // anything else stays read-only
        for (String write : List.of("create temp table scratch (a int)", "create table \"#Tableau_4\" (a int)", "drop table orders",
                "create temp table \"#Tableau_5\" as select 1", "insert into \"#Tableau_1\" values (1)")) {
            assertThat(error(run(wire, write))).as(write).containsEntry('C', "25006");
        }
        assertThat(planner.prepares()).isEqualTo(prepares);
    }

    @Test
    void discardAndDeallocate()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("S_1", "select 1"), parse("S_2", "select 1"), sync());
        assertThat(types(wire.read())).isEqualTo("11Z");
        // unquoted names fold to lower case, as in PostgreSQL; pgjdbc's S_1 needs quotes
        assertThat(error(run(wire, "DEALLOCATE S_1"))).containsEntry('C', "26000").containsEntry('M', "prepared statement \"s_1\" does not exist");
        assertThat(tags(run(wire, "deallocate prepare \"S_1\""))).containsExactly("DEALLOCATE");
        assertThat(error(run(wire, "deallocate prepare \"S_1\""))).containsEntry('C', "26000");
        assertThat(tags(run(wire, "deallocate \"S_2\""))).containsExactly("DEALLOCATE");
        wire.sendAll(parse("S_3", "select 1"), sync());
        wire.read();
        assertThat(tags(run(wire, "DEALLOCATE PREPARE ALL"))).containsExactly("DEALLOCATE ALL");
        wire.sendAll(bind("", "S_3", List.of()), sync());
        assertThat(error(wire.read())).containsEntry('C', "26000");

        assertThat(tags(run(wire, "discard plans; discard sequences; discard temporary"))).containsExactly("DISCARD PLANS", "DISCARD SEQUENCES", "DISCARD TEMP");
        run(wire, "set application_name = 'pool'");
        wire.sendAll(parse("S_4", "select 1"), sync());
        wire.read();
        List<Message> messages = run(wire, "DISCARD ALL");
        assertThat(tags(messages)).containsExactly("DISCARD ALL");
        assertThat(parameterStatus(messages)).containsEntry("application_name", "");
        wire.sendAll(bind("", "S_4", List.of()), sync());
        assertThat(error(wire.read())).containsEntry('C', "26000");
        messages = run(wire, "begin; discard all");
        assertThat(error(messages)).containsEntry('C', "25001").containsEntry('M', "DISCARD ALL cannot run inside a transaction block");
        run(wire, "rollback");
    }

    @Test
    void showLabelsThatPsqlOdbcCompares()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "SHOW DateStyle;");
        assertThat(types(messages)).isEqualTo("TDCZ");
        assertThat(fieldName(messages.get(0))).isEqualTo("DateStyle");
        assertThat(firstColumns(messages)).containsExactly("ISO, MDY");
        assertThat(tags(messages)).containsExactly("SHOW");

        messages = run(wire, "SET DateStyle = 'ISO';SET extra_float_digits = 2;show transaction_isolation");
        assertThat(tags(messages)).containsExactly("SET", "SET", "SHOW");
        assertThat(fieldName(messages.get(2))).isEqualTo("transaction_isolation");
        assertThat(firstColumns(messages)).containsExactly("read committed");

        messages = run(wire, "SHOW TRANSACTION ISOLATION LEVEL");
        assertThat(fieldName(messages.get(0))).isEqualTo("transaction_isolation");
        assertThat(firstColumns(messages)).containsExactly("read committed");

        for (String characteristics : List.of("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED",
                "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY", "set transaction isolation level repeatable read")) {
            messages = run(wire, characteristics);
            assertThat(types(messages)).as(characteristics).isEqualTo("CZ");
            assertThat(tags(messages)).containsExactly("SET");
        }
    }

    @Test
    void setIsUndoneByRollback()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "begin; set application_name = 'inside'");
        assertThat(parameterStatus(messages)).containsEntry("application_name", "inside");
        messages = run(wire, "rollback");
        assertThat(parameterStatus(messages)).containsEntry("application_name", "");
        assertThat(firstColumns(run(wire, "show application_name"))).containsExactly("");

        run(wire, "begin; set application_name = 'kept'; commit");
        assertThat(firstColumns(run(wire, "show application_name"))).containsExactly("kept");

        // SET LOCAL lasts until the end of the transaction, even a committed one
        run(wire, "begin; set local search_path = sales");
        assertThat(firstColumns(run(wire, "show search_path"))).containsExactly("sales");
        run(wire, "commit");
        assertThat(firstColumns(run(wire, "show search_path"))).containsExactly("shop");
        messages = run(wire, "set local search_path = sales");
        assertThat(types(messages)).isEqualTo("NCZ");
        assertThat(firstColumns(run(wire, "show search_path"))).containsExactly("shop");

        // ROLLBACK TO a savepoint undoes what was SET after it
        run(wire, "begin; set statement_timeout = 10; savepoint a; set statement_timeout = 20");
        run(wire, "rollback to savepoint a");
        // PostgreSQL shows a time setting with its unit
        assertThat(firstColumns(run(wire, "show statement_timeout"))).containsExactly("10ms");
        run(wire, "commit");
        assertThat(firstColumns(run(wire, "show statement_timeout"))).containsExactly("10ms");

        // an error ends the implicit transaction of a multi-statement Query: its SETs are undone
        messages = run(wire, "set application_name = 'doomed'; select * from missing");
        assertThat(error(messages)).containsEntry('C', "42P01");
        List<String> reported = messages.stream().filter(message -> message.type() == 'S').map(message -> {
            ByteBuf body = message.buffer();
            return TestingPgWire.readString(body) + "=" + TestingPgWire.readString(body);
        }).toList();
        assertThat(reported).containsExactly("application_name=doomed", "application_name=kept");
        assertThat(firstColumns(run(wire, "show application_name"))).containsExactly("kept");
    }

    @Test
    void redashCommentsAndMultiStatementText()
    {
        TestingPgWire wire = login();
        List<Message> messages = run(wire, "set query_group to default;\n/* Username: alice@example.com, query_id: 42, Queue: queries */ select 1");
        assertThat(types(messages)).isEqualTo("CTDCZ");
        assertThat(tags(messages)).containsExactly("SET", "SELECT 1");
        messages = run(wire, "/* Username: alice@example.com, query_id: adhoc */ SHOW search_path");
        assertThat(tags(messages)).containsExactly("SHOW");
        messages = run(wire, "/* Username: alice@example.com, query_id: adhoc */ delete from orders");
        assertThat(error(messages)).containsEntry('C', "25006");
    }

    private static String fieldName(Message rowDescription)
    {
        assertThat(rowDescription.type()).isEqualTo('T');
        ByteBuf body = rowDescription.buffer();
        body.readShort();
        return TestingPgWire.readString(body);
    }
}
