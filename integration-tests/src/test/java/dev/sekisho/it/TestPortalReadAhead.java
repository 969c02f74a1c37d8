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
import java.util.function.LongPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A suspended portal's rows are read ahead of the client's next Execute (protocol.read_ahead_bytes,
 * on by default) against real MariaDB: the rows are exactly those of the query, in order, whatever
 * row count each Execute asks for; a failure met while reading ahead is reported on the Execute that
 * reaches its row, and the session goes on; a cancel while nothing runs changes nothing; a statement
 * timeout set between Executes stops the next one; and however the portal ends while rows are read
 * ahead (Close, Sync, COMMIT, a failure, the client leaving) its source connection goes back, and the
 * bytes it kept go back to the gateway's budget (protocol.read_ahead_total_bytes), which a session
 * finding it used up simply does not read ahead with; a message is answered without waiting for a
 * row the source has not produced yet; and the rows are the same with reading ahead on and off.
 * Each test leaves the client idle for a moment after an Execute, so that the gateway reads ahead then.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestPortalReadAhead
{
    private static final String SCAN = "select id, customer_id, amount from shop.orders order by id";
    /** bob's statements fail at their 251st row (54000). */
    private static final int BOB_MAX_ROWS = 250;
    /** Long enough for the gateway to read ahead a batch of local rows. */
    private static final long IDLE_MILLIS = 150;
    /** How long MariaDB takes to produce the slow view's last row. */
    private static final int SLOW_ROW_SECONDS = 6;

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

    /**
     * The bytes kept by reading ahead come from one budget of the gateway's and go back however the
     * portal ends: all its rows sent, Close, the implicit transaction's Sync, COMMIT, ROLLBACK, a
     * failure met while reading ahead, a statement timeout, a cancel, the client leaving. Each time
     * the budget holds bytes while the portal waits (so rows were read ahead from MariaDB: its rows
     * are known to have arrived without blocking) and none once the portal ended.
     */
    @Test
    void keptBytesGoBackHoweverThePortalEnds()
            throws Exception
    {
        // all rows sent
        try (RawPgConnection raw = login("alice")) {
            raw.simpleQuery("begin");
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
            openPortal(raw);
            awaitKept(gateway, kept -> kept > 0, "rows read ahead");
            send(raw, execute("p1", 0), sync());
            Result rest = readExecute(raw);
            assertThat(rest.rows()).isEqualTo(expected.subList(5000, 10_000));
            assertThat(rest.end()).isEqualTo("SELECT 5000");
            raw.expect('Z');
            awaitKept(gateway, kept -> kept == 0, "all rows sent");
            raw.simpleQuery("commit");
        }
        // Close, COMMIT, ROLLBACK
        for (String end : List.of("close", "commit", "rollback")) {
            try (RawPgConnection raw = login("alice")) {
                raw.simpleQuery("begin");
                send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
                openPortal(raw);
                awaitKept(gateway, kept -> kept > 0, "rows read ahead before " + end);
                if (end.equals("close")) {
                    send(raw, close('P', "p1"), sync());
                    raw.expect('3');
                    raw.expect('Z');
                    awaitKept(gateway, kept -> kept == 0, end);
                    raw.simpleQuery("commit");
                }
                else {
                    raw.simpleQuery(end);
                    awaitKept(gateway, kept -> kept == 0, end);
                }
            }
        }
        // the implicit transaction's Sync
        try (RawPgConnection raw = login("alice")) {
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), new byte[] {'H', 0, 0, 0, 4});
            raw.expect('1');
            raw.expect('2');
            assertThat(readExecute(raw).end()).isEqualTo("suspended");
            awaitKept(gateway, kept -> kept > 0, "rows read ahead before Sync");
            send(raw, sync());
            assertThat(raw.expect('Z').body()[0]).isEqualTo((byte) 'I');
            awaitKept(gateway, kept -> kept == 0, "Sync");
        }
        // a failure met while reading ahead (bob's 251st row), reported by the Execute that reaches it
        try (RawPgConnection raw = login("bob")) {
            raw.simpleQuery("begin");
            send(raw, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 200), sync());
            openPortal(raw);
            awaitKept(gateway, kept -> kept > 0, "rows read ahead up to the failure");
            send(raw, execute("p1", 200), sync());
            Result failing = readExecute(raw);
            assertThat(failing.rows()).isEqualTo(expected.subList(200, BOB_MAX_ROWS));
            assertThat(failing.end()).isEqualTo("error 54000");
            raw.expect('Z');
            awaitKept(gateway, kept -> kept == 0, "failure");
            raw.simpleQuery("rollback");
        }
        // a statement timeout, and a cancel, of the Execute after rows were read ahead
        String million = "select o.id, c.id, c.email from shop.orders o cross join shop.customers c where c.id <= 100";
        for (String end : List.of("statement_timeout", "cancel")) {
            try (RawPgConnection raw = login("alice")) {
                raw.simpleQuery("begin");
                send(raw, parse("s1", million), bind("p1", "s1"), execute("p1", 1000), sync());
                openPortal(raw);
                awaitKept(gateway, kept -> kept > 0, "rows read ahead before " + end);
                if (end.equals("statement_timeout")) {
                    raw.simpleQuery("set statement_timeout = '20ms'");
                    send(raw, execute("p1", 0), sync());
                }
                else {
                    send(raw, execute("p1", 0), sync());
                    // the kept rows first, then the source's: cancel while the Execute runs
                    for (int i = 0; i < 2000; i++) {
                        assertThat(raw.expect('D')).isNotNull();
                    }
                    raw.cancel(gateway.pgPort());
                }
                Result stopped = readExecute(raw);
                assertThat(stopped.end()).as(end).isEqualTo("error 57014");
                raw.expect('Z');
                awaitKept(gateway, kept -> kept == 0, end);
                raw.simpleQuery("rollback");
                raw.simpleQuery("reset statement_timeout");
            }
        }
        // the client leaving
        RawPgConnection leaving = login("alice");
        leaving.simpleQuery("begin");
        send(leaving, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
        openPortal(leaving);
        awaitKept(gateway, kept -> kept > 0, "rows read ahead before the client leaves");
        leaving.close();
        awaitKept(gateway, kept -> kept == 0, "the client leaving");
        awaitSourceConnectionsReleased();
    }

    /**
     * With a total budget of one portal's reservation, the first session's read-ahead takes it and a
     * second session streams its rows correctly without reading ahead (its kept bytes would show in
     * the budget); once the first session's portal ends, the second reads ahead again.
     */
    @Test
    void aUsedUpBudgetLeavesOtherSessionsStreamingWithoutReadingAhead()
            throws Exception
    {
        Gateway small = shared.startGatewayWith("protocol: {read_ahead_total_bytes: 65536}", null);
        try (RawPgConnection first = RawPgConnection.open(small.pgPort()); RawPgConnection second = RawPgConnection.open(small.pgPort())) {
            first.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            second.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            first.simpleQuery("begin");
            send(first, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 5000), sync());
            openPortal(first);
            // 5,000 rows would take more than the 64 KiB: the first session keeps what its reservation holds
            long firstKept = awaitKept(small, kept -> kept > 0, "the first session read ahead");
            Thread.sleep(IDLE_MILLIS);
            assertThat(small.readAheadBudget().usedBytes()).isEqualTo(firstKept).isLessThanOrEqualTo(65536 + 64);

            second.simpleQuery("begin");
            List<List<String>> rows = new ArrayList<>();
            send(second, parse("s1", SCAN), bind("p1", "s1"), execute("p1", 1000), sync());
            second.expect('1');
            second.expect('2');
            for (int i = 0; i < 10; i++) {
                if (i > 0) {
                    send(second, execute("p1", 1000), sync());
                }
                Result batch = readExecute(second);
                rows.addAll(batch.rows());
                assertThat(batch.end()).isEqualTo("suspended");
                second.expect('Z');
                Thread.sleep(IDLE_MILLIS / 3);
                assertThat(small.readAheadBudget().usedBytes()).as("the second session read nothing ahead").isEqualTo(firstKept);
            }
            send(second, execute("p1", 0), sync());
            Result end = readExecute(second);
            rows.addAll(end.rows());
            assertThat(end.end()).isEqualTo("SELECT 0");
            second.expect('Z');
            assertThat(rows).isEqualTo(expected);

            // the first session's rows are all there too, and when its portal ends the budget is free again
            send(first, execute("p1", 0), sync());
            Result firstRest = readExecute(first);
            assertThat(firstRest.rows()).isEqualTo(expected.subList(5000, 10_000));
            first.expect('Z');
            first.simpleQuery("commit");
            awaitKept(small, kept -> kept == 0, "the first session's portal ended");

            send(second, parse("s2", SCAN), bind("p2", "s2"), execute("p2", 1000), sync());
            second.expect('1');
            second.expect('2');
            assertThat(readExecute(second).rows()).isEqualTo(expected.subList(0, 1000));
            second.expect('Z');
            awaitKept(small, kept -> kept > 0, "the second session reads ahead once the budget is free");
            second.simpleQuery("commit");
            awaitKept(small, kept -> kept == 0, "the second session's portal ended");
        }
        finally {
            small.close();
        }
    }

    /**
     * A source whose next row takes seconds to come (MariaDB sleeps in the row's expression, and
     * keeps the end of a 20 KB row in its network buffer until it writes the next): a message that
     * arrives while the portal waits is answered while MariaDB is still producing that row, not
     * after it; the rows are then all there, in order.
     */
    @Test
    void aMessageIsAnsweredWhileTheSourceIsStillProducingTheNextRow()
            throws Exception
    {
        try (Connection direct = shared.connectDirect("it"); Statement statement = direct.createStatement()) {
            statement.execute("CREATE OR REPLACE VIEW it.read_ahead_slow AS SELECT seq AS id, REPEAT('x', 20000) AS pad, SLEEP(IF(seq = 4, "
                    + SLOW_ROW_SECONDS + ", 0)) AS slept FROM seq_1_to_4");
        }
        // started after the view exists, so its catalog holds it
        Gateway slow = shared.startGatewayWith("", null);
        try (RawPgConnection raw = RawPgConnection.open(slow.pgPort()); Connection direct = shared.connectDirect("it")) {
            raw.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            raw.simpleQuery("begin");
            send(raw, parse("s1", "select id, pad, slept from it.read_ahead_slow"), bind("p1", "s1"), execute("p1", 2), sync());
            raw.expect('1');
            raw.expect('2');
            Result first = readExecute(raw);
            assertThat(first.rows()).extracting(row -> row.get(0)).containsExactly("1", "2");
            assertThat(first.end()).isEqualTo("suspended");
            raw.expect('Z');
            // at once, while the gateway would read rows 3 and 4 ahead: a statement that needs no source
            assertThat(raw.simpleQuery("select 42")).containsExactly(List.of("42"));
            assertThat(sourceStillProducing(direct)).as("MariaDB is still sleeping on row 4 when the answer came").isTrue();

            send(raw, execute("p1", 0), sync());
            Result rest = readExecute(raw);
            assertThat(rest.rows()).extracting(row -> row.get(0)).containsExactly("3", "4");
            assertThat(rest.rows()).allSatisfy(row -> assertThat(row.get(1)).hasSize(20000));
            assertThat(rest.end()).isEqualTo("SELECT 2");
            raw.expect('Z');
            raw.simpleQuery("commit");
            awaitKept(slow, kept -> kept == 0, "the portal ended");
        }
        finally {
            slow.close();
            try (Connection direct = shared.connectDirect("it"); Statement statement = direct.createStatement()) {
                statement.execute("DROP VIEW IF EXISTS it.read_ahead_slow");
            }
        }
    }

    /** Whether MariaDB still runs the slow view's statement (sleeping in row 4's expression). */
    private static boolean sourceStillProducing(Connection direct)
            throws SQLException
    {
        try (Statement statement = direct.createStatement();
                ResultSet running = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query'"
                        + " AND INFO LIKE '%read\\_ahead\\_slow%' AND INFO NOT LIKE '%PROCESSLIST%'")) {
            running.next();
            return running.getInt(1) > 0;
        }
    }

    /** The same rows through pgjdbc with reading ahead on (the default) and off, whatever the fetch size. */
    @Test
    void sameRowsWithReadingAheadOnAndOffWhateverTheFetchSize()
            throws Exception
    {
        Gateway off = shared.startGatewayWith("protocol: {read_ahead_bytes: 0}", null);
        Gateway on = shared.startGatewayWith("", null);
        try {
            for (String query : List.of(SCAN, "select * from shop.customers order by id", "select * from shop.products order by id")) {
                List<List<String>> reference = null;
                for (int fetchSize : new int[] {0, 1, 7, 100, 1000, 4096}) {
                    for (Gateway through : List.of(off, on)) {
                        List<List<String>> rows = fetchAll(through, query, fetchSize);
                        if (reference == null) {
                            reference = rows;
                            assertThat(rows).isNotEmpty();
                        }
                        assertThat(rows).as("%s, fetch size %d, reading ahead %s", query, fetchSize, through == on ? "on" : "off").isEqualTo(reference);
                    }
                }
                if (query.equals(SCAN)) {
                    assertThat(reference).isEqualTo(expected);
                }
            }
            awaitKept(on, kept -> kept == 0, "every portal ended");
        }
        finally {
            off.close();
            on.close();
        }
    }

    private static List<List<String>> fetchAll(Gateway gateway, String query, int fetchSize)
            throws Exception
    {
        try (Connection connection = TestingGateway.connect(gateway, "alice")) {
            connection.setAutoCommit(false);
            List<List<String>> rows = new ArrayList<>();
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(fetchSize);
                try (ResultSet resultSet = statement.executeQuery(query)) {
                    int columns = resultSet.getMetaData().getColumnCount();
                    while (resultSet.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 1; i <= columns; i++) {
                            row.add(resultSet.getString(i));
                        }
                        rows.add(row);
                        if (rows.size() % 700 == 0) {
                            // now and then the client is slower than the gateway: it reads ahead then
                            Thread.sleep(3);
                        }
                    }
                }
            }
            connection.commit();
            return rows;
        }
    }

    /** The gateway's kept bytes once they satisfy {@code condition} (reading ahead and giving back run on the gateway's threads). */
    private static long awaitKept(Gateway gateway, LongPredicate condition, String description)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            long kept = gateway.readAheadBudget().usedBytes();
            if (condition.test(kept)) {
                return kept;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(description + ": the gateway keeps " + kept + " bytes read ahead");
            }
            Thread.sleep(5);
        }
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
