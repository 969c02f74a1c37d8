package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.TestingPgWire.Message;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sekisho.gateway.pgwire.TestingPgWire.bind;
import static dev.sekisho.gateway.pgwire.TestingPgWire.bindBinary;
import static dev.sekisho.gateway.pgwire.TestingPgWire.close;
import static dev.sekisho.gateway.pgwire.TestingPgWire.describe;
import static dev.sekisho.gateway.pgwire.TestingPgWire.execute;
import static dev.sekisho.gateway.pgwire.TestingPgWire.parse;
import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.sync;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;

/** The protocol over an EmbeddedChannel: raw frames in, raw frames out, no network. */
class TestPgProtocolHandler
{
    private static final ScramVerifier ALICE = ScramVerifier.create("s3cret".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private final PgServer server = new PgServer(PgServerOptions.defaults().withMaxMessageBytes(4096), users(), planner, new TestingDirectExecutor(),
            List.of("shop"));
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private static UserStore users()
    {
        return UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", java.util.Set.of("analysts"), Map.of()), ALICE)));
    }

    @AfterEach
    void tearDown()
    {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    private TestingPgWire connect()
    {
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        channels.add(channel);
        return new TestingPgWire(channel);
    }

    private TestingPgWire login()
    {
        TestingPgWire wire = connect();
        wire.startup(Map.of("user", "alice", "database", "shop"));
        List<Message> messages = wire.authenticate("s3cret");
        assertThat(types(messages)).matches("RRS+KZ");
        return wire;
    }

    @Test
    void repliesGatheredBeforeSyncAreReleasedWhenTheClientGoes()
    {
        TestingPgWire wire = login();
        List<ByteBuf> allocated = new ArrayList<>();
        wire.channel().config().setAllocator(new io.netty.buffer.AbstractByteBufAllocator()
        {
            @Override
            protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity)
            {
                ByteBuf buffer = Unpooled.buffer(initialCapacity, maxCapacity);
                allocated.add(buffer);
                return buffer;
            }

            @Override
            protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity)
            {
                ByteBuf buffer = Unpooled.directBuffer(initialCapacity, maxCapacity);
                allocated.add(buffer);
                return buffer;
            }

            @Override
            public boolean isDirectBufferPooled()
            {
                return false;
            }
        });
        // ParseComplete and BindComplete wait for the Sync that never comes
        wire.sendAll(parse("S_1", "select n from series(3)"), bind("P_1", "S_1", List.of()));
        assertThat(allocated).as("the replies are gathered").isNotEmpty();
        wire.channel().finishAndReleaseAll();
        assertThat(allocated).allSatisfy(buffer -> assertThat(buffer.refCnt()).as("a buffer of the gone client").isZero());
    }

    @Test
    void sslAndGssEncRequestsAreRefusedAndStartupFollows()
    {
        TestingPgWire wire = connect();
        wire.writeRaw(Unpooled.buffer().writeInt(8).writeInt(80877104));
        assertThat(wire.readByte()).isEqualTo('N');
        wire.writeRaw(Unpooled.buffer().writeInt(8).writeInt(80877103));
        assertThat(wire.readByte()).isEqualTo('N');
        Map<String, String> startup = new LinkedHashMap<>();
        startup.put("user", "alice");
        startup.put("TimeZone", "Asia/Tokyo");
        startup.put("application_name", "psql");
        startup.put("extra_float_digits", "2");
        startup.put("statement_timeout", "0");
        wire.startup(startup);
        List<Message> messages = wire.authenticate("s3cret");
        assertThat(types(messages)).matches("RRS+KZ");
        Map<String, String> status = new LinkedHashMap<>();
        for (Message message : messages) {
            if (message.type() == 'S') {
                ByteBuf body = message.buffer();
                status.put(TestingPgWire.readString(body), TestingPgWire.readString(body));
            }
        }
        assertThat(status).containsEntry("server_version", "15.0")
                .containsEntry("server_encoding", "UTF8")
                .containsEntry("client_encoding", "UTF8")
                .containsEntry("DateStyle", "ISO, MDY")
                .containsEntry("integer_datetimes", "on")
                .containsEntry("standard_conforming_strings", "on")
                .containsEntry("TimeZone", "Asia/Tokyo")
                .containsEntry("IntervalStyle", "postgres")
                .containsEntry("application_name", "psql")
                .containsEntry("is_superuser", "off")
                .containsEntry("session_authorization", "alice")
                .containsEntry("in_hot_standby", "off");
        assertThat(messages.get(messages.size() - 1).body()).containsExactly('I');
        assertThat(server.sessions().size()).isEqualTo(1);
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameFatalError()
    {
        for (String user : List.of("alice", "mallory")) {
            TestingPgWire wire = connect();
            wire.startup(Map.of("user", user));
            List<Message> messages = wire.authenticate("wrong");
            assertThat(types(messages)).isEqualTo("E");
            Map<Character, String> fields = messages.get(0).fields();
            assertThat(fields).containsEntry('S', "FATAL").containsEntry('C', "28P01")
                    .containsEntry('M', "password authentication failed for user \"" + user + "\"");
            assertThat(wire.channel().isOpen()).isFalse();
        }
        assertThat(server.sessions().size()).isZero();
    }

    @Test
    void badStartupPacketsCloseTheConnection()
    {
        TestingPgWire tooLong = connect();
        tooLong.writeRaw(Unpooled.buffer().writeInt(20_000).writeInt(196608));
        assertFatal(tooLong, "08P01");

        TestingPgWire tooShort = connect();
        tooShort.writeRaw(Unpooled.buffer().writeInt(3).writeInt(196608));
        assertFatal(tooShort, "08P01");

        TestingPgWire unterminated = connect();
        ByteBuf packet = Unpooled.buffer().writeInt(0).writeInt(196608).writeBytes("user".getBytes(StandardCharsets.UTF_8));
        packet.setInt(0, packet.readableBytes());
        unterminated.writeRaw(packet);
        assertFatal(unterminated, "08P01");

        TestingPgWire version2 = connect();
        version2.writeRaw(Unpooled.buffer().writeInt(8).writeInt(2 << 16));
        assertFatal(version2, "0A000");

        TestingPgWire noUser = connect();
        noUser.startup(Map.of("database", "shop"));
        assertFatal(noUser, "28000");
    }

    @Test
    void oversizedAndUnknownMessagesCloseOnlyThatConnection()
    {
        TestingPgWire other = login();
        TestingPgWire wire = login();
        wire.writeRaw(Unpooled.buffer().writeByte('Q').writeInt(1_000_000));
        assertFatal(wire, "08P01");

        TestingPgWire garbage = login();
        garbage.writeRaw(Unpooled.buffer().writeByte('!').writeInt(4));
        assertFatal(garbage, "08P01");

        other.sendAll(query("select 1"));
        assertThat(types(other.read())).isEqualTo("TDCZ");
    }

    @Test
    void cancelRequestIsAcceptedAndClosesTheConnection()
    {
        TestingPgWire wire = connect();
        wire.writeRaw(Unpooled.buffer().writeInt(16).writeInt(80877102).writeInt(1234).writeInt(5678));
        assertThat(wire.read()).isEmpty();
        assertThat(wire.channel().isOpen()).isFalse();
    }

    @Test
    void simpleQueryWithSeveralStatements()
    {
        TestingPgWire wire = login();
        wire.sendAll(query("select 1; show DateStyle; SET application_name = 'report'; /* c; */ select * from empty;"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDCTDCSCTCZ");
        assertThat(messages.get(1).columns()).containsExactly("1");
        assertThat(messages.get(2).tag()).isEqualTo("SELECT 1");
        assertThat(messages.get(4).columns()).containsExactly("ISO, MDY");
        assertThat(messages.get(5).tag()).isEqualTo("SHOW");
        assertThat(messages.get(7).tag()).isEqualTo("SET");
        assertThat(messages.get(9).tag()).isEqualTo("SELECT 0");

        wire.sendAll(query("show application_name; show transaction isolation level"));
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDCTDCZ");
        assertThat(messages.get(1).columns()).containsExactly("report");
        assertThat(messages.get(4).columns()).containsExactly("read committed");
    }

    @Test
    void errorStopsTheRemainingStatements()
    {
        TestingPgWire wire = login();
        int before = planner.prepares();
        wire.sendAll(query("select 1; select * from missing; select 1"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDCEZ");
        assertThat(messages.get(3).fields()).containsEntry('S', "ERROR").containsEntry('C', "42P01");
        assertThat(planner.prepares() - before).isEqualTo(2);
        assertThat(messages.get(4).body()).containsExactly('I');
    }

    @Test
    void emptyQuery()
    {
        TestingPgWire wire = login();
        wire.sendAll(query(""));
        assertThat(types(wire.read())).isEqualTo("IZ");
        wire.sendAll(query("  -- nothing\n /* at all */ ;"));
        assertThat(types(wire.read())).isEqualTo("IZ");
    }

    @Test
    void writesAreRefused()
    {
        TestingPgWire wire = login();
        wire.sendAll(query("insert into t values (1)"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("EZ");
        assertThat(messages.get(0).fields()).containsEntry('C', "25006");
        assertThat(messages.get(0).fields().get('M')).startsWith("Sekisho is read-only");
    }

    @Test
    void transactionBlockStatus()
    {
        TestingPgWire wire = login();
        wire.sendAll(query("begin"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("CZ");
        assertThat(messages.get(0).tag()).isEqualTo("BEGIN");
        assertThat(messages.get(1).body()).containsExactly('T');

        wire.sendAll(query("select * from missing"));
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("EZ");
        assertThat(messages.get(1).body()).containsExactly('E');

        wire.sendAll(query("select 1"));
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("EZ");
        assertThat(messages.get(0).fields()).containsEntry('C', "25P02");

        wire.sendAll(query("rollback"));
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("CZ");
        assertThat(messages.get(0).tag()).isEqualTo("ROLLBACK");
        assertThat(messages.get(1).body()).containsExactly('I');
    }

    @Test
    void extendedProtocolWithPortalSuspension()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("S_1", "select n from series(5)"), bind("C_1", "S_1", List.of()), describe('P', "C_1"),
                execute("C_1", 2), execute("C_1", 2), execute("C_1", 2), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12TDDsDDsDCZ");
        List<String> values = new ArrayList<>();
        messages.stream().filter(message -> message.type() == 'D').forEach(message -> values.add(message.columns().get(0)));
        assertThat(values).containsExactly("0", "1", "2", "3", "4");
        assertThat(messages.get(10).tag()).isEqualTo("SELECT 1");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void portalSurvivesSyncInsideTransactionBlock()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "BEGIN"), bind("", "", List.of()), execute("", 0), parse("S_2", "select n from series(4)"),
                bind("C_2", "S_2", List.of()), execute("C_2", 3), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12C12DDDsZ");
        assertThat(messages.get(messages.size() - 1).body()).containsExactly('T');
        wire.sendAll(execute("C_2", 3), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("DCZ");
        assertThat(messages.get(0).columns()).containsExactly("3");
        assertThat(messages.get(1).tag()).isEqualTo("SELECT 1");
        wire.sendAll(close('P', "C_2"), query("commit"));
        assertThat(types(wire.read())).isEqualTo("3CZ");
    }

    @Test
    void portalsCloseAtSyncOutsideTransactionBlock()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("S_1", "select n from series(10)"), bind("C_1", "S_1", List.of()), execute("C_1", 2), sync());
        assertThat(types(wire.read())).isEqualTo("12DDsZ");
        assertThat(planner.openStreams()).isZero();
        wire.sendAll(execute("C_1", 2), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("EZ");
        assertThat(messages.get(0).fields()).containsEntry('C', "34000");
    }

    @Test
    void errorSkipsMessagesUntilSync()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select * from missing"), bind("", "", List.of()), describe('P', ""), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("EZ");
        assertThat(messages.get(0).fields()).containsEntry('C', "42P01");

        wire.sendAll(parse("", "select 1"), bind("", "", List.of()), execute("", 0), sync());
        assertThat(types(wire.read())).isEqualTo("12DCZ");
    }

    @Test
    void errorWhileStreamingClosesThePortal()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select n from failing(3)"), bind("", "", List.of()), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12DDDEZ");
        assertThat(messages.get(5).fields()).containsEntry('C', "57014");
        assertThat(planner.openStreams()).isZero();
    }

    @Test
    void describeStatementGivesParameterTypesAndColumns()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("S_1", "select * from people where id = $1", 23), describe('S', "S_1"), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("1tTZ");
        ByteBuf parameters = messages.get(1).buffer();
        assertThat(parameters.readShort()).isEqualTo((short) 1);
        assertThat(parameters.readInt()).isEqualTo(23);
        ByteBuf fields = messages.get(2).buffer();
        assertThat(fields.readShort()).isEqualTo((short) 3);
        int[][] expected = {{23, 4, -1}, {1043, -1, 24}, {1700, -1, ((10 << 16) | 2) + 4}};
        for (int[] field : expected) {
            TestingPgWire.readString(fields);
            assertThat(fields.readInt()).isZero();
            assertThat(fields.readShort()).isZero();
            assertThat(fields.readInt()).isEqualTo(field[0]);
            assertThat(fields.readShort()).isEqualTo((short) field[1]);
            assertThat(fields.readInt()).isEqualTo(field[2]);
            assertThat(fields.readShort()).isZero();
        }
    }

    @Test
    void binaryParametersAndResults()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select * from people where id = $1", 23),
                bindBinary("", "", List.of(new byte[] {0, 0, 0, 7}), 1), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12DCZ");
        List<byte[]> columns = messages.get(2).rawColumns();
        assertThat(Unpooled.wrappedBuffer(columns.get(0)).readInt()).isEqualTo(7);
        assertThat(new String(columns.get(1), StandardCharsets.UTF_8)).isEqualTo("person 7");
        ByteBuf numeric = Unpooled.wrappedBuffer(columns.get(2));
        // 7.50 = digits [7, 5000], weight 0, positive, dscale 2
        assertThat(new int[] {numeric.readShort(), numeric.readShort(), numeric.readShort(), numeric.readShort(), numeric.readShort(), numeric.readShort()})
                .containsExactly(2, 0, 0, 2, 7, 5000);
    }

    @Test
    void badParameterText()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select * from people where id = $1", 23), bind("", "", List.of("seven")), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("1EZ");
        assertThat(messages.get(1).fields()).containsEntry('C', "22P02")
                .containsEntry('M', "invalid input syntax for type integer: \"seven\"");
    }

    @Test
    void everyTypeInText()
    {
        TestingPgWire wire = login();
        wire.sendAll(query("set timezone to 'UTC'; select * from all_types"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("CTDDCZ");
        assertThat(messages.get(2).columns()).containsExactly("t", "12", "123456", "1234567890123", "1.5", "0.1", "12345.67", "ab ", "héllo",
                "line\nbreak", "2024-02-29", "13:45:06.123", "2024-01-02 03:04:05.0006", "2024-01-01 18:04:05+00",
                "\\x0001fe", "{\"a\": 1}", "123e4567-e89b-12d3-a456-426614174000");
        assertThat(messages.get(3).columns()).containsOnlyNulls().hasSize(17);
    }

    @Test
    void everyTypeInBinaryRoundTrips()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select * from all_types"), bind("", "", List.of(), 1), execute("", 1), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12DsZ");
        List<byte[]> columns = messages.get(2).rawColumns();
        for (int i = 0; i < columns.size(); i++) {
            var type = dev.sekisho.gateway.pgwire.types.PgTypes.of(TestingQueryPlanner.ALL_TYPES_COLUMNS.get(i).type());
            Object decoded = type.decodeBinary(Unpooled.wrappedBuffer(columns.get(i)), columns.get(i).length);
            Object expected = TestingQueryPlanner.ALL_TYPES_ROW.get(i);
            if (expected instanceof byte[] bytes) {
                assertThat((byte[]) decoded).containsExactly(bytes);
            }
            else if (expected instanceof java.time.OffsetDateTime timestamp) {
                assertThat(((java.time.OffsetDateTime) decoded).toInstant()).isEqualTo(timestamp.toInstant());
            }
            else if (expected instanceof BigDecimal decimal) {
                assertThat((BigDecimal) decoded).isEqualByComparingTo(decimal);
            }
            else {
                assertThat(decoded).as("column %s", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void duplicateNamedStatementAndUnknownPortal()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("S_1", "select 1"), parse("S_1", "select 1"), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("1EZ");
        assertThat(messages.get(1).fields()).containsEntry('C', "42P05");
        wire.sendAll(close('S', "S_1"), parse("S_1", "select 1"), bind("", "nope", List.of()), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("31EZ");
        assertThat(messages.get(2).fields()).containsEntry('C', "26000");
    }

    @Test
    void searchPathReachesThePlanner()
    {
        TestingPgWire wire = login();
        wire.sendAll(query("select 1"));
        wire.read();
        assertThat(planner.lastSession().searchPath()).containsExactly("shop");
        assertThat(planner.lastSession().user()).isEqualTo("alice");
        wire.sendAll(query("set search_path to sales, \"Public\"; select 1"));
        wire.read();
        assertThat(planner.lastSession().searchPath()).containsExactly("sales", "Public");
    }

    @Test
    void catalogTypesAreDescribedWithTheirOwnOidsAndSentAsText()
    {
        TestingPgWire wire = login();
        wire.sendAll(query("select * from catalog_types"));
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("TDDDCZ");
        // name, oid, "char", text[], int2vector, int2[], oidvector, oid[]: OID, typlen, typmod
        assertThat(fieldTypes(messages.get(0))).containsExactly(
                List.of(19, 64, -1, 0), List.of(26, 4, -1, 0), List.of(18, 1, -1, 0), List.of(1009, -1, -1, 0),
                List.of(22, -1, -1, 0), List.of(1005, -1, -1, 0), List.of(30, -1, -1, 0), List.of(1028, -1, -1, 0));
        assertThat(messages.get(1).columns()).containsExactly("people", "16384", "r", "{fillfactor=70,\"a b\",NULL,\"q\\\"t\"}", "1 2", "{0,-1}", "23 25",
                "{23,4294967295}");
        assertThat(messages.get(2).columns()).containsExactly("naïve_table", "4294967295", "v", "{}", "", "{}", "", "{}");
        assertThat(messages.get(3).columns()).containsOnlyNulls().hasSize(8);
        assertThat(messages.get(4).tag()).isEqualTo("SELECT 3");
    }

    @Test
    void catalogTypesInBinary()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select * from catalog_types"), bind("", "", List.of(), 1), describe('P', ""), execute("", 2), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12TDDsZ");
        assertThat(fieldTypes(messages.get(2))).extracting(field -> field.get(3)).containsOnly(1);
        assertThat(fieldTypes(messages.get(2)).get(0)).containsExactly(19, 64, -1, 1);
        List<String> first = hex(messages.get(3));
        assertThat(first.get(0)).isEqualTo("70656f706c65");
        assertThat(first.get(1)).isEqualTo("00004000");
        assertThat(first.get(2)).isEqualTo("72");
        // text[] {fillfactor=70,"a b",NULL,"q\"t"}: ndim 1, has nulls, element text, 4 elements from 1
        assertThat(first.get(3)).isEqualTo("00000001" + "00000001" + "00000019" + "00000004" + "00000001"
                + "0000000d" + hexOf("fillfactor=70") + "00000003" + hexOf("a b") + "ffffffff" + "00000003" + hexOf("q\"t"));
        // int2vector "1 2": an int2 array with lower bound 0
        assertThat(first.get(4)).isEqualTo("00000001" + "00000000" + "00000015" + "00000002" + "00000000" + "00000002" + "0001" + "00000002" + "0002");
        assertThat(first.get(5)).isEqualTo("00000001" + "00000000" + "00000015" + "00000002" + "00000001" + "00000002" + "0000" + "00000002" + "ffff");
        assertThat(first.get(6)).isEqualTo("00000001" + "00000000" + "0000001a" + "00000002" + "00000000" + "00000004" + "00000017" + "00000004" + "00000019");
        assertThat(first.get(7)).isEqualTo("00000001" + "00000000" + "0000001a" + "00000002" + "00000001" + "00000004" + "00000017" + "00000004" + "ffffffff");
        List<String> second = hex(messages.get(4));
        assertThat(second.get(1)).isEqualTo("ffffffff");
        assertThat(second.get(3)).isEqualTo("00000000" + "00000000" + "00000019");
        assertThat(second.get(4)).isEqualTo("00000001" + "00000000" + "00000015" + "00000000" + "00000000");
    }

    @Test
    void typeWithoutBinaryFormIsRefusedBeforeAnyRow()
    {
        TestingPgWire wire = login();
        wire.sendAll(parse("", "select relacl from catalog_types"), bind("", "", List.of(), 1), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("12EZ");
        assertThat(messages.get(2).fields()).containsEntry('C', "0A000")
                .containsEntry('M', "no binary output function available for type aclitem[] (column \"relacl\"); request text format for this column");
        wire.sendAll(parse("", "select relacl from catalog_types"), bind("", "", List.of()), describe('P', ""), execute("", 0), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("12TDCZ");
        assertThat(fieldTypes(messages.get(2)).get(0)).containsExactly(1034, -1, -1, 0);
        assertThat(messages.get(3).columns()).containsExactly("{alice=r/alice}");
    }

    @Test
    void catalogTypedParameters()
    {
        TestingPgWire wire = login();
        // a binary text[] parameter arrives as the array's text form
        byte[] array = java.util.HexFormat.of().parseHex("00000001" + "00000001" + "00000019" + "00000002" + "00000001" + "00000001" + "61" + "ffffffff");
        wire.sendAll(parse("", "select $1", 1009), describe('S', ""), bindBinary("", "", List.of(array)), execute("", 0), sync());
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("1tT2DCZ");
        ByteBuf parameters = messages.get(1).buffer();
        assertThat(parameters.readShort()).isEqualTo((short) 1);
        assertThat(parameters.readInt()).isEqualTo(1009);
        assertThat(messages.get(4).columns()).containsExactly("{a,NULL}");
        // oid in text, including PostgreSQL's wrap-around of negative values
        wire.sendAll(parse("", "select $1", 26), bind("", "", List.of("-1")), execute("", 0), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("12DCZ");
        assertThat(messages.get(2).columns()).containsExactly("4294967295");
        // "char" and oid in binary
        wire.sendAll(parse("", "select $1", 18), bindBinary("", "", List.of(new byte[] {'v'})), execute("", 0), sync());
        assertThat(wire.read().get(2).columns()).containsExactly("v");
        wire.sendAll(parse("", "select $1", 26), bindBinary("", "", List.of(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe})),
                execute("", 0), sync());
        assertThat(wire.read().get(2).columns()).containsExactly("4294967294");
        // malformed array text
        wire.sendAll(parse("", "select $1", 1009), bind("", "", List.of("{a,b")), execute("", 0), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("1EZ");
        assertThat(messages.get(1).fields()).containsEntry('C', "22P02");
        // binary parameters of a type Sekisho cannot decode
        wire.sendAll(parse("", "select $1", 1033), bindBinary("", "", List.of(new byte[] {1})), execute("", 0), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("1EZ");
        assertThat(messages.get(1).fields()).containsEntry('C', "0A000")
                .containsEntry('M', "binary format is not supported for parameter $1 of type aclitem; send this parameter in text format");
        wire.sendAll(parse("", "select $1", 777777), bindBinary("", "", List.of(new byte[] {1})), execute("", 0), sync());
        messages = wire.read();
        assertThat(types(messages)).isEqualTo("1EZ");
        assertThat(messages.get(1).fields()).containsEntry('C', "0A000");
    }

    /** Each field of a RowDescription as [type OID, typlen, typmod, format]. */
    private static List<List<Integer>> fieldTypes(Message rowDescription)
    {
        assertThat(rowDescription.type()).isEqualTo('T');
        ByteBuf fields = rowDescription.buffer();
        int count = fields.readShort();
        List<List<Integer>> types = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestingPgWire.readString(fields);
            fields.readInt();
            fields.readShort();
            types.add(List.of(fields.readInt(), (int) fields.readShort(), fields.readInt(), (int) fields.readShort()));
        }
        return types;
    }

    private static List<String> hex(Message dataRow)
    {
        List<String> columns = new ArrayList<>();
        for (byte[] column : dataRow.rawColumns()) {
            columns.add(column == null ? null : java.util.HexFormat.of().formatHex(column));
        }
        return columns;
    }

    private static String hexOf(String text)
    {
        return java.util.HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertFatal(TestingPgWire wire, String sqlState)
    {
        List<Message> messages = wire.read();
        assertThat(types(messages)).isEqualTo("E");
        assertThat(messages.get(0).fields()).containsEntry('S', "FATAL").containsEntry('C', sqlState);
        assertThat(wire.channel().isOpen()).isFalse();
        assertThat(Arrays.asList(messages.get(0).fields().get('M'))).doesNotContainNull();
    }
}
