package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.it.TestBadInput.RawPgConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A suspended portal's rows are read ahead of the client's next Execute (protocol.read_ahead_bytes,
 * turned on here) against real MariaDB: the rows are exactly those of the query, in order, whatever
 * row count each Execute asks for; a failure met while reading ahead is reported on the Execute that
 * reaches its row, and the session goes on; a cancel while nothing runs changes nothing; a statement
 * timeout set between Executes stops the next one; and however the portal ends while rows are read
 * ahead (Close, Sync, COMMIT, a failure, the client leaving) its source connection goes back. Each
 * test leaves the client idle for a moment after an Execute, so that the gateway reads ahead then.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestPortalReadAhead
{
    private static final String SCAN = "select id, customer_id, amount from shop.orders order by id";
    /** bob's statements fail at their 251st row (54000). */
    private static final int BOB_MAX_ROWS = 250;
    /** Long enough for the gateway to read ahead a batch of local rows. */
    private static final long IDLE_MILLIS = 150;

    private static TestingGateway shared;
    private static Gateway gateway;
    private static List<List<String>> expected;

    @BeforeAll
    static void setUp()
            throws SQLException
    {
        shared = TestingGateway.shared();
        gateway = shared.startGatewayWith("protocol: {read_ahead_bytes: 524288}\nlimits: {users: {bob: {max_result_rows: %d}}}".formatted(BOB_MAX_ROWS), null);
        expected = new ArrayList<>();
        try (Connection direct = shared.connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet rows = statement.executeQuery(SCAN)) {
            while (rows.next()) {
                expected.add(List.of(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        }
        assertThat(expected).hasSize(10_000);
    }

    @AfterAll
    static void tearDown()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void rowsInOrderWhateverEachExecuteAsksFor()
            throws Exception
    {
        // the same count again, fewer than were read ahead, one, more than were read ahead, then exactly what is left, then nothing left
        assertRowsThroughExecutes(List.of(100, 100, 10, 1, 500, 1000, 8289, 5), "SELECT 0");
        // then all that is left (0)
        assertRowsThroughExecutes(List.of(100, 37, 0), "SELECT " + (10_000 - 137));
    }

    /** Execute of {@code counts} in turn, each with its own Sync and a pause before it; the last ends the rows with {@code lastTag}. */
    private static void assertRowsThroughExecutes(List<Integer> counts, String lastTag)
            throws Exception
    {
        try (RawPgConnection raw = login("alice")) {
            raw.simpleQuery("begin");
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < counts.size(); i++) {
                if (i == 0) {
                    send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", counts.get(i)), sync());
                    raw.expect('1');
                    raw.expect('2');
                }
                else {
                    Thread.sleep(IDLE_MILLIS);
                    send(raw, execute("p1", counts.get(i)), sync());
                }
                Result result = readExecute(raw);
                rows.addAll(result.rows());
                boolean last = i == counts.size() - 1;
                if (counts.get(i) > 0) {
                    assertThat(result.rows().size()).as("rows of Execute %d", i).isLessThanOrEqualTo(counts.get(i));
                }
                assertThat(result.end()).as("end of Execute %d (%d rows)", i, counts.get(i)).isEqualTo(last ? lastTag : "suspended");
                assertThat(raw.expect('Z').body()[0]).isEqualTo((byte) 'T');
            }
            assertThat(rows).isEqualTo(expected);
            raw.simpleQuery("commit");
        }
        awaitSourceConnectionsReleased();
    }

    @Test
    void fetchSizeChangesThroughPgJdbc()
            throws Exception
    {
        try (Connection connection = TestingGateway.connect(gateway, "alice")) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(250);
                List<List<String>> rows = new ArrayList<>();
                try (ResultSet resultSet = statement.executeQuery(SCAN)) {
                    int[] fetchSizes = {250, 3, 1000, 1, 4000};
                    while (resultSet.next()) {
                        rows.add(List.of(resultSet.getString(1), resultSet.getString(2), resultSet.getString(3)));
                        if (rows.size() % 500 == 0) {
                            // the next Execute asks for another count than the one read ahead for
                            resultSet.setFetchSize(fetchSizes[(rows.size() / 500) % fetchSizes.length]);
                            Thread.sleep(20);
                        }
                    }
                }
                assertThat(rows).isEqualTo(expected);
            }
            connection.commit();
        }
        awaitSourceConnectionsReleased();
    }

    @Test
    void failureReadAheadIsReportedOnTheExecuteThatReachesItsRow()
            throws Exception
    {
        try (RawPgConnection raw = login("bob")) {
            raw.simpleQuery("begin");
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 100), sync());
            raw.expect('1');
            raw.expect('2');
            List<List<String>> rows = new ArrayList<>(readExecute(raw).rows());
            raw.expect('Z');
            Thread.sleep(IDLE_MILLIS);
            send(raw, execute("p1", 100), sync());
            Result second = readExecute(raw);
            rows.addAll(second.rows());
            assertThat(second.end()).isEqualTo("suspended");
            raw.expect('Z');
            // now reading ahead meets the 251st row, which fails: the next Execute does not reach it
            Thread.sleep(IDLE_MILLIS);
            send(raw, execute("p1", 30), sync());
            Result third = readExecute(raw);
            rows.addAll(third.rows());
            assertThat(third.end()).as("an Execute that does not reach the failing row").isEqualTo("suspended");
            assertThat(raw.expect('Z').body()[0]).isEqualTo((byte) 'T');
            Thread.sleep(IDLE_MILLIS);
            send(raw, execute("p1", 30), sync());
            Result fourth = readExecute(raw);
            rows.addAll(fourth.rows());
            assertThat(fourth.end()).as("the Execute that reaches it").isEqualTo("error 54000");
            assertThat(raw.expect('Z').body()[0]).isEqualTo((byte) 'E');
            assertThat(rows).isEqualTo(expected.subList(0, BOB_MAX_ROWS));

            // the session goes on
            raw.simpleQuery("rollback");
            assertThat(raw.simpleQuery("select count(*) from shop.products")).containsExactly(List.of("100"));
        }
        awaitSourceConnectionsReleased();
    }

    @Test
    void statementTimeoutSetBetweenExecutesStopsTheNextOne()
            throws Exception
    {
        // a million rows (10,000 orders x 100 customers): reading what is left takes far longer than the timeout
        String million = "select o.id, c.id, c.email from shop.orders o cross join shop.customers c where c.id <= 100";
        try (RawPgConnection raw = login("alice")) {
            raw.simpleQuery("begin");
            send(raw, parse("s1", million), bind("p1", "s1"), execute("p1", 1000), sync());
            raw.expect('1');
            raw.expect('2');
            assertThat(readExecute(raw).rows()).hasSize(1000);
            raw.expect('Z');
            Thread.sleep(IDLE_MILLIS);
            // a simple Query leaves named portals open
            raw.simpleQuery("set statement_timeout = '20ms'");
            Thread.sleep(IDLE_MILLIS);
            send(raw, execute("p1", 0), sync());
            Result rest = readExecute(raw);
            assertThat(rest.end()).isEqualTo("error 57014");
            assertThat(rest.message()).contains("statement timeout");
            assertThat(raw.expect('Z').body()[0]).isEqualTo((byte) 'E');
            raw.simpleQuery("rollback");
            raw.simpleQuery("reset statement_timeout");
            assertThat(raw.simpleQuery("select count(*) from shop.products")).containsExactly(List.of("100"));
        }
        awaitSourceConnectionsReleased();
    }

    @Test
    void cancelWhileNothingRunsChangesNothing()
            throws Exception
    {
        try (Connection connection = TestingGateway.connect(gateway, "alice")) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                List<List<String>> rows = new ArrayList<>();
                try (ResultSet resultSet = statement.executeQuery(SCAN)) {
                    while (resultSet.next()) {
                        rows.add(List.of(resultSet.getString(1), resultSet.getString(2), resultSet.getString(3)));
                        if (rows.size() == 1500) {
                            // between Executes, while the gateway reads ahead: PostgreSQL ignores a cancel while it waits for its client
                            // (Statement.cancel() sends nothing once executeQuery returned; this sends a CancelRequest)
                            connection.unwrap(PGConnection.class).cancelQuery();
                            Thread.sleep(IDLE_MILLIS);
                        }
                    }
                }
                assertThat(rows).isEqualTo(expected);
            }
            connection.commit();
        }
        awaitSourceConnectionsReleased();
    }

    @Test
    void portalEndingWhileRowsAreReadAheadGivesItsConnectionBack()
            throws Exception
    {
        // Close of the portal right after the Execute that suspended it (reading ahead is under way)
        try (RawPgConnection raw = login("alice")) {
            raw.simpleQuery("begin");
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
            openPortal(raw);
            send(raw, close('P', "p1"), sync());
            raw.expect('3');
            raw.expect('Z');
            awaitSourceConnectionsReleased();
            raw.simpleQuery("commit");
        }
        // the implicit transaction's Sync: Execute and Flush leave the portal open and read ahead, Sync ends it
        try (RawPgConnection raw = login("alice")) {
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), new byte[] {'H', 0, 0, 0, 4});
            raw.expect('1');
            raw.expect('2');
            assertThat(readExecute(raw).end()).isEqualTo("suspended");
            Thread.sleep(10);
            send(raw, sync());
            assertThat(raw.expect('Z').body()[0]).isEqualTo((byte) 'I');
            awaitSourceConnectionsReleased();
        }
        // COMMIT
        try (RawPgConnection raw = login("alice")) {
            raw.simpleQuery("begin");
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
            openPortal(raw);
            raw.simpleQuery("commit");
            awaitSourceConnectionsReleased();
            // the portal is gone with its transaction
            send(raw, execute("p1", 10), sync());
            assertThat(readExecute(raw).end()).isEqualTo("error 34000");
            raw.expect('Z');
        }
        // the client leaving
        RawPgConnection leaving = login("alice");
        leaving.simpleQuery("begin");
        send(leaving, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
        openPortal(leaving);
        leaving.close();
        awaitSourceConnectionsReleased();
    }

    /** Reads the replies to Parse, Bind, Execute (suspended) and Sync. */
    private static void openPortal(RawPgConnection raw)
            throws IOException
    {
        raw.expect('1');
        raw.expect('2');
        assertThat(readExecute(raw).end()).isEqualTo("suspended");
        raw.expect('Z');
    }

    private static void awaitSourceConnectionsReleased()
            throws InterruptedException
    {
        TestPortalsUnderAFullPool.awaitSource(gateway, status -> status.activeConnections() == 0);
    }

    private static RawPgConnection login(String user)
            throws Exception
    {
        RawPgConnection raw = RawPgConnection.open(gateway.pgPort());
        raw.login(user, user + TestingGateway.PASSWORD_SUFFIX);
        return raw;
    }

    /** One Execute's rows and how it ended: "suspended", the CommandComplete tag, or "error SQLSTATE". */
    private record Result(List<List<String>> rows, String end, String message) {}

    private static Result readExecute(RawPgConnection raw)
            throws IOException
    {
        List<List<String>> rows = new ArrayList<>();
        while (true) {
            RawPgConnection.Message message = raw.next();
            switch (message.type()) {
                case 'D' -> rows.add(message.dataRow());
                case 's' -> {
                    return new Result(rows, "suspended", "");
                }
                case 'C' -> {
                    return new Result(rows, message.text(0).replace("\0", ""), "");
                }
                case 'E' -> {
                    return new Result(rows, "error " + message.errorFields().get('C'), message.errorFields().get('M'));
                }
                case 'N' -> {
                    // a notice: not part of the result
                }
                default -> throw new AssertionError("unexpected message in an Execute's reply: " + message);
            }
        }
    }

    private static void send(RawPgConnection raw, byte[]... messages)
            throws IOException
    {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] message : messages) {
            all.writeBytes(message);
        }
        raw.sendRaw(all.toByteArray());
    }

    private static byte[] parse(String name, String sql)
    {
        return message('P', cString(name), cString(sql), new byte[] {0, 0});
    }

    private static byte[] bind(String portal, String statement)
    {
        return message('B', cString(portal), cString(statement), new byte[] {0, 0, 0, 0, 0, 0});
    }

    private static byte[] execute(String portal, int maxRows)
    {
        return message('E', cString(portal), int32(maxRows));
    }

    private static byte[] close(char target, String name)
    {
        return message('C', new byte[] {(byte) target}, cString(name));
    }

    private static byte[] sync()
    {
        return message('S');
    }

    private static byte[] message(char type, byte[]... parts)
    {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(part);
        }
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        message.write(type);
        message.writeBytes(int32(4 + body.size()));
        message.writeBytes(body.toByteArray());
        return message.toByteArray();
    }

    private static byte[] cString(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    private static byte[] int32(int value)
    {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
