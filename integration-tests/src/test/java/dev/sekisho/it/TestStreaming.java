package dev.sekisho.it;

import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A one-million-row result streams through the gateway in bounded memory: through pgjdbc portals
 * and Avatica frames (fetch size), and to a raw client that stops reading for a while (backpressure). The gateway
 * runs in this JVM, so the heap measured here holds both sides; the bound is a fraction of what
 * buffering the whole result on either side would cost, computed from the rows themselves.
 */
public class TestStreaming
{
    /** 10,000 orders x the first 100 customers: exactly one million rows, no LIMIT needed. */
    private static final String QUERY = "select o.id, c.id, c.email from shop.orders o cross join shop.customers c where c.id <= 100";
    private static final String DIRECT_AGGREGATE = "select count(*), sum(o.id), sum(c.id), sum(char_length(c.email)), sum(c.email is null) "
            + "from shop.orders o cross join shop.customers c where c.id <= 100";
    private static final int SAMPLE_EVERY_ROWS = 100_000;

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private static TestingGateway gateway;
    private static Totals expected;

    @BeforeAll
    public static void setUp()
            throws SQLException
    {
        gateway = TestingGateway.shared();
        try (Connection direct = gateway.connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet resultSet = statement.executeQuery(DIRECT_AGGREGATE)) {
            assertThat(resultSet.next()).isTrue();
            expected = new Totals(resultSet.getLong(1), resultSet.getLong(2), resultSet.getLong(3), resultSet.getLong(4), resultSet.getLong(5));
        }
        assertThat(expected.rows()).isEqualTo(1_000_000);
        assertThat(expected.nullEmails()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(FrontDoor.class)
    public void testMillionRowsThroughPortalsInBoundedHeap(FrontDoor door)
            throws SQLException
    {
        try (Connection connection = door.connect(gateway.gateway(), "alice")) {
            connection.setAutoCommit(false);
            // warm-up: plan cache, pools, class loading happen before the baseline
            readSome(connection, 20_000);

            long baseline = usedHeapAfterGc();
            long maxGrowth = 0;
            Totals.Builder totals = new Totals.Builder();
            long fullBufferBytes = 0;
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                try (ResultSet resultSet = statement.executeQuery(QUERY)) {
                    while (resultSet.next()) {
                        long orderId = resultSet.getLong(1);
                        long customerId = resultSet.getLong(2);
                        String email = resultSet.getString(3);
                        totals.add(orderId, customerId, email);
                        fullBufferBytes += bufferedRowBytes(orderId, customerId, email);
                        if (totals.rows() % SAMPLE_EVERY_ROWS == 0) {
                            maxGrowth = Math.max(maxGrowth, usedHeapAfterGc() - baseline);
                        }
                    }
                }
            }
            connection.commit();

            assertThat(totals.build()).isEqualTo(expected);
            long bound = fullBufferBytes / 4;
            System.out.printf(Locale.ROOT, door + " streaming: max heap growth %.1f MB; a full buffer of the result would need >= %.1f MB; bound %.1f MB%n",
                    maxGrowth / 1e6, fullBufferBytes / 1e6, bound / 1e6);
            assertThat(fullBufferBytes).isGreaterThan(80_000_000L);
            assertThat(maxGrowth)
                    .as("heap growth while streaming (a full buffer would be %d bytes)", fullBufferBytes)
                    .isLessThan(bound);
        }
    }

    @Test
    public void testStalledClientDoesNotMakeGatewayBuffer()
            throws Exception
    {
        try (TestBadInput.RawPgConnection raw = TestBadInput.RawPgConnection.open(gateway.pgPort())) {
            raw.login("alice", "alice" + TestingGateway.PASSWORD_SUFFIX);
            // warm-up: plan cache, pools, class loading happen before the baseline
            try (Connection connection = gateway.connect("alice")) {
                connection.setAutoCommit(false);
                readSome(connection, 20_000);
            }
            long baselineHeap = usedHeapAfterGc();
            long baselineDirect = usedDirectMemory();

            raw.send('Q', (QUERY + "\0").getBytes(StandardCharsets.UTF_8));
            Totals.Builder totals = new Totals.Builder();
            long wireBytes = 0;
            boolean described = false;
            long maxGrowth = 0;
            long maxDirectGrowth = 0;
            while (true) {
                TestBadInput.RawPgConnection.Message message = raw.next();
                if (message.type() == 'T') {
                    described = true;
                    continue;
                }
                if (message.type() == 'C' || message.type() == 'N' || message.type() == 'S') {
                    continue;
                }
                if (message.type() == 'Z') {
                    break;
                }
                assertThat(message.type()).as("message %s", message).isEqualTo('D');
                List<String> row = message.dataRow();
                totals.add(Long.parseLong(row.get(0)), Long.parseLong(row.get(1)), row.get(2));
                wireBytes += 5 + message.body().length;
                if (totals.rows() == 10_000) {
                    // stop reading for a while: the gateway must stop too, not queue the rest in memory
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                    while (System.nanoTime() < deadline) {
                        Thread.sleep(500);
                        long heapGrowth = usedHeapAfterGc() - baselineHeap;
                        long directGrowth = Math.max(0, usedDirectMemory() - baselineDirect);
                        maxGrowth = Math.max(maxGrowth, heapGrowth + directGrowth);
                        maxDirectGrowth = Math.max(maxDirectGrowth, directGrowth);
                    }
                }
            }
            assertThat(described).as("RowDescription sent").isTrue();
            assertThat(totals.build()).isEqualTo(expected);
            long bound = wireBytes / 4;
            System.out.printf(Locale.ROOT, "stalled client: max heap+direct growth %.1f MB (direct %.1f MB); the result is %.1f MB on the wire; bound %.1f MB%n",
                    maxGrowth / 1e6, maxDirectGrowth / 1e6, wireBytes / 1e6, bound / 1e6);
            assertThat(wireBytes).isGreaterThan(30_000_000L);
            assertThat(maxGrowth)
                    .as("memory growth while the client does not read (the rest of the result is %d bytes on the wire)", wireBytes)
                    .isLessThan(bound);
            // the connection is still in a good state
            assertThat(raw.simpleQuery("select count(*) from shop.products")).containsExactly(List.of("100"));
        }
    }

    @Test
    public void testClientVanishingMidStreamLeavesGatewayHealthy()
            throws Exception
    {
        try (Connection bystander = gateway.connect("bob")) {
            Connection connection = gateway.connect("alice");
            connection.setAutoCommit(false);
            Statement statement = connection.createStatement();
            statement.setFetchSize(1000);
            ResultSet resultSet = statement.executeQuery(QUERY);
            for (int i = 0; i < 5_000; i++) {
                assertThat(resultSet.next()).isTrue();
            }
            // drop the socket without Terminate, mid-portal
            connection.abort(Runnable::run);
            assertThat(connection.isClosed()).isTrue();

            assertThat(count(bystander, "select count(*) from shop.customers")).isEqualTo(1000);
            try (Connection fresh = gateway.connect("alice")) {
                assertThat(count(fresh, "select count(*) from shop.orders")).isEqualTo(10_000);
                // and a fresh stream works to the end
                fresh.setAutoCommit(false);
                try (Statement again = fresh.createStatement()) {
                    again.setFetchSize(5000);
                    Totals.Builder totals = new Totals.Builder();
                    try (ResultSet rows = again.executeQuery(QUERY)) {
                        while (rows.next()) {
                            totals.add(rows.getLong(1), rows.getLong(2), rows.getString(3));
                        }
                    }
                    assertThat(totals.build()).isEqualTo(expected);
                }
            }
            assertUpstreamQueryEnds();
        }
    }

    @Test
    public void testAvaticaCancelEndsTheSourceQuery()
            throws Exception
    {
        try (Connection connection = FrontDoor.AVATICA.connect(gateway.gateway(), "alice")) {
            // mid-stream: the driver's cancel stops reading, closing the statement ends the portal and its MariaDB query
            Statement statement = connection.createStatement();
            statement.setFetchSize(1000);
            ResultSet resultSet = statement.executeQuery(QUERY);
            for (int i = 0; i < 5_000; i++) {
                assertThat(resultSet.next()).isTrue();
            }
            statement.cancel();
            assertThatThrownBy(resultSet::next).isInstanceOf(SQLException.class).hasMessageContaining("canceled");
            statement.close();
            assertUpstreamQueryEnds();
            assertThat(count(connection, "select count(*) from shop.customers")).isEqualTo(1000);
        }

        // before the first row: closing the connection from another thread cancels the statement at MariaDB (57014)
        Connection connection = FrontDoor.AVATICA.connect(gateway.gateway(), "alice");
        try {
            CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
                try (Statement statement = connection.createStatement();
                        ResultSet resultSet = statement.executeQuery("select count(*) from shop.orders a cross join shop.orders b")) {
                    resultSet.next();
                    return null;
                }
                catch (SQLException e) {
                    return e;
                }
            });
            Thread.sleep(1_000);
            assertThat(running).as("the cross join still runs after a second").isNotDone();
            assertThat(upstreamQuery("info like '%orders%'")).as("MariaDB runs the cross join").isNotNull();
            long cancelled = System.nanoTime();
            connection.close();
            Throwable failure = running.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("57014");
            assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - cancelled)).as("the cancel took effect promptly").isLessThan(10);
            assertUpstreamQueryEnds("info like '%orders%'");
        }
        finally {
            connection.close();
        }
    }

    /** The gateway ends (or drains) the abandoned MariaDB statement instead of leaving it running. */
    private static void assertUpstreamQueryEnds()
            throws Exception
    {
        assertUpstreamQueryEnds("info like '%orders%' and info like '%customers%'");
    }

    private static void assertUpstreamQueryEnds(String condition)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String running = null;
        try (Connection direct = gateway.connectDirect("shop");
                Statement statement = direct.createStatement()) {
            while (System.nanoTime() < deadline) {
                running = null;
                try (ResultSet resultSet = statement.executeQuery("select info from information_schema.processlist "
                        + "where id <> connection_id() and command = 'Query' and " + condition)) {
                    if (resultSet.next()) {
                        running = resultSet.getString(1);
                    }
                }
                if (running == null) {
                    return;
                }
                Thread.sleep(200);
            }
        }
        throw new AssertionError("MariaDB still runs the abandoned query after 30 s: " + running);
    }

    /** A statement MariaDB runs now for another connection that matches {@code condition}, or null. */
    private static String upstreamQuery(String condition)
            throws SQLException
    {
        try (Connection direct = gateway.connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet resultSet = statement.executeQuery("select info from information_schema.processlist "
                        + "where id <> connection_id() and command = 'Query' and " + condition)) {
            return resultSet.next() ? resultSet.getString(1) : null;
        }
    }

    private static void readSome(Connection connection, int rows)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            statement.setFetchSize(1000);
            try (ResultSet resultSet = statement.executeQuery(QUERY)) {
                for (int i = 0; i < rows; i++) {
                    assertThat(resultSet.next()).isTrue();
                }
            }
        }
        connection.commit();
    }

    private static long count(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }

    /**
     * The least a client or server would need to keep one row in memory as drivers do (pgjdbc
     * and Connector/J both hold a row as {@code byte[][]} of text values): the array of references
     * plus one byte array per non-null value, 8-byte aligned, with compressed references.
     */
    private static long bufferedRowBytes(long orderId, long customerId, String email)
    {
        long bytes = align(16 + 3 * 4);
        bytes += align(16 + Long.toString(orderId).length());
        bytes += align(16 + Long.toString(customerId).length());
        if (email != null) {
            bytes += align(16 + email.getBytes(StandardCharsets.UTF_8).length);
        }
        return bytes;
    }

    private static long align(long bytes)
    {
        return (bytes + 7) & ~7L;
    }

    private static long usedHeapAfterGc()
    {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Direct memory: the JDK's direct buffers plus Netty's own counter when it allocates without cleaners. */
    private static long usedDirectMemory()
    {
        long used = Math.max(0, PlatformDependent.usedDirectMemory());
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                used += pool.getMemoryUsed();
            }
        }
        return used;
    }

    /** What the streaming checks compare with MariaDB's own aggregate of the same rows. */
    private record Totals(long rows, long sumOrderIds, long sumCustomerIds, long emailCharacters, long nullEmails)
    {
        static final class Builder
        {
            private long rows;
            private long sumOrderIds;
            private long sumCustomerIds;
            private long emailCharacters;
            private long nullEmails;

            void add(long orderId, long customerId, String email)
            {
                rows++;
                sumOrderIds += orderId;
                sumCustomerIds += customerId;
                if (email == null) {
                    nullEmails++;
                }
                else {
                    emailCharacters += email.codePointCount(0, email.length());
                }
            }

            long rows()
            {
                return rows;
            }

            Totals build()
            {
                return new Totals(rows, sumOrderIds, sumCustomerIds, emailCharacters, nullEmails);
            }
        }
    }
}
