package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real PgServer on an ephemeral port, driven by pgjdbc and by a raw socket client. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestPgServer
{
    private final TestingQueryPlanner planner = new TestingQueryPlanner();
    private ThreadPoolExecutor workers;
    private PgServer server;
    private int port;

    @BeforeAll
    void start()
    {
        workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(100));
        UserStore users = UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
        server = new PgServer(PgServerOptions.defaults().withPort(0).withWriteBufferWaterMarks(32 * 1024, 128 * 1024), users, planner, workers, List.of("shop"));
        port = server.start();
    }

    @AfterAll
    void stop()
    {
        server.close();
        workers.shutdownNow();
    }

    private Connection connect()
            throws SQLException
    {
        return connect("s3cret");
    }

    private Connection connect(String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "alice");
        properties.setProperty("password", password);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/shop", properties);
    }

    @Test
    void plainAndPreparedStatements()
            throws SQLException
    {
        try (Connection connection = connect()) {
            assertThat(connection.isValid(5)).isTrue();
            assertThat(connection.getMetaData().getDatabaseMajorVersion()).isEqualTo(15);
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("select 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
                assertThat(rows.next()).isFalse();
            }
            // past pgjdbc's prepareThreshold (5): named statements and binary transfer
            try (PreparedStatement statement = connection.prepareStatement("select * from people where id = ?")) {
                for (int id = 1; id <= 10; id++) {
                    statement.setInt(1, id);
                    try (ResultSet rows = statement.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getInt("id")).isEqualTo(id);
                        assertThat(rows.getString("name")).isEqualTo("person " + id);
                        assertThat(rows.getBigDecimal("balance")).isEqualByComparingTo(new BigDecimal(id + ".50"));
                        assertThat(rows.next()).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void epollOnLinuxAndNioWhenChosen()
            throws SQLException
    {
        boolean linuxX86 = System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64");
        // the native library ships for x86-64 Linux: there the default must find it
        assertThat(server.transport()).isEqualTo(linuxX86 ? PgIoTransport.EPOLL : PgIoTransport.NIO);
        UserStore users = UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create("s3cret".toCharArray()))));
        try (PgServer nio = new PgServer(PgServerOptions.defaults().withPort(0).withIoTransport(PgIoTransport.NIO), users, planner, workers, List.of("shop"))) {
            int nioPort = nio.start();
            assertThat(nio.transport()).isEqualTo(PgIoTransport.NIO);
            Properties properties = new Properties();
            properties.setProperty("user", "alice");
            properties.setProperty("password", "s3cret");
            try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + nioPort + "/shop", properties);
                    PreparedStatement statement = connection.prepareStatement("select * from people where id = ?")) {
                for (int id = 1; id <= 7; id++) {
                    statement.setInt(1, id);
                    try (ResultSet rows = statement.executeQuery()) {
                        assertThat(rows.next()).isTrue();
                        assertThat(rows.getString("name")).isEqualTo("person " + id);
                        assertThat(rows.next()).isFalse();
                    }
                }
            }
        }
    }

    @Test
    void catalogTypesThroughPreparedStatements()
            throws SQLException
    {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement("select * from catalog_types")) {
            boolean sawBinary = false;
            for (int run = 0; run < 10; run++) {
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString("relname")).isEqualTo("people");
                    assertThat(rows.getLong("oid")).isEqualTo(16384L);
                    assertThat(rows.getString("relkind")).isEqualTo("r");
                    assertThat((Object[]) rows.getArray("reloptions").getArray()).containsExactly("fillfactor=70", "a b", null, "q\"t");
                    assertThat(rows.getString("indkey")).isEqualTo("1 2");
                    assertThat(strings(rows.getArray("indoption"))).containsExactly("0", "-1");
                    assertThat(rows.getString("proargtypes")).isEqualTo("23 25");
                    assertThat(strings(rows.getArray("typarray"))).containsExactly("23", "4294967295");
                    sawBinary |= ((org.postgresql.PGResultSetMetaData) rows.getMetaData()).getFormat(rows.findColumn("reloptions")) == 1;

                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString("relname")).isEqualTo("naïve_table");
                    assertThat(rows.getLong("oid")).isEqualTo(4294967295L);
                    assertThat(rows.getString("relkind")).isEqualTo("v");
                    assertThat((Object[]) rows.getArray("reloptions").getArray()).isEmpty();
                    assertThat(rows.getString("indkey")).isEmpty();
                    assertThat(strings(rows.getArray("indoption"))).isEmpty();
                    assertThat(strings(rows.getArray("typarray"))).isEmpty();

                    assertThat(rows.next()).isTrue();
                    for (int column = 1; column <= 8; column++) {
                        assertThat(rows.getObject(column)).isNull();
                    }
                    assertThat(rows.next()).isFalse();
                }
            }
            // past prepareThreshold pgjdbc asks for text[] in binary
            assertThat(sawBinary).isTrue();
        }
    }

    @Test
    void sourceArrayEnumAndDomainColumnsThroughPreparedStatements()
            throws SQLException
    {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement("select * from source_types")) {
            boolean sawBinary = false;
            for (int run = 0; run < 10; run++) {
                try (ResultSet rows = statement.executeQuery()) {
                    org.postgresql.PGResultSetMetaData metadata = (org.postgresql.PGResultSetMetaData) rows.getMetaData();
                    // the OIDs pgjdbc knows without asking the catalog (the enum's: TestPgTypes)
                    assertThat(rows.getMetaData().getColumnTypeName(1)).isEqualTo("_text");
                    assertThat(rows.getMetaData().getColumnTypeName(2)).isEqualTo("_int8");
                    assertThat(rows.getMetaData().getColumnTypeName(4)).isEqualTo("int4");
                    assertThat(rows.next()).isTrue();
                    assertThat((Object[]) rows.getArray("tags").getArray()).containsExactly("a", "b c", null, "q\"t,{}");
                    assertThat((Object[]) rows.getArray("counts").getArray()).containsExactly(1L, -2L, 3_000_000_000L);
                    assertThat(rows.getString("m")).isEqualTo("happy");
                    assertThat(rows.getInt("p")).isEqualTo(7);
                    assertThat(rows.getString("ms")).isEqualTo("{sad,happy}");
                    sawBinary |= metadata.getFormat(rows.findColumn("counts")) == 1;

                    assertThat(rows.next()).isTrue();
                    assertThat((Object[]) rows.getArray("tags").getArray()).isEmpty();
                    assertThat((Object[]) rows.getArray("counts").getArray()).isEmpty();
                    assertThat(rows.getString("m")).isEqualTo("sad");
                    assertThat(rows.getString("ms")).isEqualTo("{}");

                    assertThat(rows.next()).isTrue();
                    for (int column = 1; column <= 5; column++) {
                        assertThat(rows.getObject(column)).isNull();
                    }
                    assertThat(rows.next()).isFalse();
                }
            }
            // past prepareThreshold pgjdbc asks for int8[] in binary
            assertThat(sawBinary).isTrue();
        }
    }

    @Test
    void arrayParametersThroughPreparedStatements()
            throws SQLException
    {
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement("select ?")) {
            for (int run = 0; run < 10; run++) {
                statement.setArray(1, connection.createArrayOf("text", new String[] {"a", "b c", null, "run " + run}));
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("{a,\"b c\",NULL,\"run " + run + "\"}");
                }
                statement.setObject(1, new int[] {run, -run});
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getString(1)).isEqualTo("{" + run + "," + -run + "}");
                }
            }
        }
    }

    private static List<String> strings(java.sql.Array array)
            throws SQLException
    {
        List<String> values = new java.util.ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            values.add(String.valueOf(value));
        }
        return values;
    }

    @Test
    void everyTypeThroughPreparedStatements()
            throws SQLException
    {
        List<Object> expected = TestingQueryPlanner.ALL_TYPES_ROW;
        try (Connection connection = connect(); PreparedStatement statement = connection.prepareStatement("select * from all_types")) {
            for (int run = 0; run < 10; run++) {
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getBoolean("b")).isTrue();
                    assertThat(rows.getShort("i2")).isEqualTo(expected.get(1));
                    assertThat(rows.getInt("i4")).isEqualTo(expected.get(2));
                    assertThat(rows.getLong("i8")).isEqualTo(expected.get(3));
                    assertThat(rows.getFloat("f4")).isEqualTo(expected.get(4));
                    assertThat(rows.getDouble("f8")).isEqualTo(expected.get(5));
                    assertThat(rows.getBigDecimal("num")).isEqualByComparingTo((BigDecimal) expected.get(6));
                    assertThat(rows.getString("ch")).isEqualTo(expected.get(7));
                    assertThat(rows.getString("vc")).isEqualTo(expected.get(8));
                    assertThat(rows.getString("tx")).isEqualTo(expected.get(9));
                    assertThat(rows.getObject("d", LocalDate.class)).isEqualTo(expected.get(10));
                    assertThat(rows.getObject("t", LocalTime.class)).isEqualTo(expected.get(11));
                    assertThat(rows.getObject("ts", LocalDateTime.class)).isEqualTo(expected.get(12));
                    assertThat(rows.getObject("tstz", OffsetDateTime.class).toInstant()).isEqualTo(((OffsetDateTime) expected.get(13)).toInstant());
                    assertThat(rows.getBytes("by")).containsExactly((byte[]) expected.get(14));
                    assertThat(rows.getString("js")).isEqualTo(expected.get(15));
                    assertThat(rows.getObject("u", UUID.class)).isEqualTo(expected.get(16));
                    assertThat(rows.next()).isTrue();
                    for (int column = 1; column <= 17; column++) {
                        assertThat(rows.getObject(column)).isNull();
                    }
                    assertThat(rows.next()).isFalse();
                }
            }
        }
    }

    @Test
    void fetchSizeStreamsTwoMillionRowsThroughAPortalInBoundedMemory()
            throws SQLException
    {
        Runtime runtime = Runtime.getRuntime();
        System.gc();
        long baseline = runtime.totalMemory() - runtime.freeMemory();
        long peak = 0;
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                long before = planner.rowsProduced();
                try (ResultSet rows = statement.executeQuery("select n from series(2000000)")) {
                    long expected = 0;
                    while (rows.next()) {
                        assertThat(rows.getLong(1)).isEqualTo(expected);
                        if (expected == 10) {
                            // the server produced one page, not the whole result
                            assertThat(planner.rowsProduced() - before).isLessThanOrEqualTo(2000);
                        }
                        if (expected % 400_000 == 0) {
                            System.gc();
                            peak = Math.max(peak, runtime.totalMemory() - runtime.freeMemory() - baseline);
                        }
                        expected++;
                    }
                    assertThat(expected).isEqualTo(2_000_000);
                }
            }
            connection.commit();
        }
        assertThat(peak).as("heap growth while streaming").isLessThan(64L * 1024 * 1024);
    }

    @Test
    void wrongPasswordIsRejected()
    {
        assertThatThrownBy(() -> connect("wrong"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("28P01"))
                .hasMessageContaining("password authentication failed for user \"alice\"");
    }

    @Test
    void badInputOnOneConnectionDoesNotDisturbAnother()
            throws Exception
    {
        try (Connection connection = connect()) {
            try (TestingPgSocketClient rude = new TestingPgSocketClient(port)) {
                rude.writeRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                TestingPgSocketClient.Message error = rude.expect('E');
                assertThat(new String(error.body(), StandardCharsets.UTF_8)).contains("08P01");
            }
            try (Statement statement = connection.createStatement()) {
                assertThatThrownBy(() -> statement.executeQuery("select * from missing"))
                        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42P01"));
                try (ResultSet rows = statement.executeQuery("select 1")) {
                    assertThat(rows.next()).isTrue();
                }
            }
        }
    }

    @Test
    void slowClientGetsBackpressure()
            throws Exception
    {
        try (TestingPgSocketClient client = new TestingPgSocketClient(port)) {
            client.login("alice", "s3cret");
            long before = planner.rowsProduced();
            client.query("select n from series(3000000)");
            Thread.sleep(500);
            long produced = planner.rowsProduced() - before;
            assertThat(produced).as("rows produced while the client read nothing").isLessThan(1_000_000);
            client.expect('T');
            long rows = 0;
            TestingPgSocketClient.Message message;
            while ((message = client.next()).type() == 'D') {
                rows++;
            }
            assertThat(rows).isEqualTo(3_000_000);
            assertThat(message.type()).isEqualTo('C');
            assertThat(new String(message.body(), StandardCharsets.UTF_8)).isEqualTo("SELECT 3000000\0");
            client.expect('Z');
        }
    }

    @Test
    void disconnectMidStreamClosesTheSourceStream()
            throws Exception
    {
        int closedBefore = planner.closedStreams();
        try (TestingPgSocketClient client = new TestingPgSocketClient(port)) {
            client.login("alice", "s3cret");
            client.query("select n from series(100000000)");
            client.expect('T');
            for (int i = 0; i < 100; i++) {
                client.expect('D');
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (planner.closedStreams() == closedBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(planner.closedStreams()).isGreaterThan(closedBefore);
    }
}
