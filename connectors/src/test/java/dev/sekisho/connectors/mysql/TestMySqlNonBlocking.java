package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SourceConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.sekisho.connectors.mysql.TestingNonBlockingRuns.awaitNonBlocking;
import static dev.sekisho.connectors.mysql.TestingNonBlockingRuns.awaitTrue;
import static dev.sekisho.connectors.mysql.TestingNonBlockingRuns.jdbcRows;
import static dev.sekisho.connectors.mysql.TestingNonBlockingRuns.nonBlocking;
import static dev.sekisho.connectors.mysql.TestingNonBlockingRuns.result;
import static dev.sekisho.connectors.mysql.TestingNonBlockingRuns.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link MySqlConnector#startWithoutBlocking} against a real MariaDB, on {@link TestingEventLoop}s:
 * the rows are those {@code execute} gives, value for value; the session is the JDBC path's; each
 * connection prepares a text once; every case it does not handle declines (and {@code execute} then
 * answers); cancel stops the statement at the server; connections are pooled per I/O thread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class TestMySqlNonBlocking
{
    private static final String PASSWORD = "nb-Pw-4711";

    private TestingMySqlServer server;
    private TestingEventLoop loop;
    private MySqlConnector connector;

    @BeforeAll
    public void setUp()
    {
        server = new TestingMySqlServer();
        String longText = "'" + "長".repeat(100) + "'";
        server.execute(
                "CREATE DATABASE testdb",
                "CREATE USER 'sekisho'@'localhost' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON testdb.* TO 'sekisho'@'localhost'",
                "GRANT SLAVE MONITOR ON *.* TO 'sekisho'@'localhost'",
                "CREATE TABLE testdb.nb_types (id INT NOT NULL PRIMARY KEY, c_bool BOOL, c_tiny TINYINT, c_tiny_u TINYINT UNSIGNED, c_small SMALLINT, "
                        + "c_small_u SMALLINT UNSIGNED, c_medium MEDIUMINT, c_medium_u MEDIUMINT UNSIGNED, c_int INT, c_int_u INT UNSIGNED, c_big BIGINT, "
                        + "c_big_u BIGINT UNSIGNED, c_dec DECIMAL(12,3), c_dec0 DECIMAL(30,0), c_float FLOAT, c_double DOUBLE, c_char CHAR(5), "
                        + "c_char_bin CHAR(3) COLLATE utf8mb4_bin, c_varchar VARCHAR(300), c_text MEDIUMTEXT, c_tinytext TINYTEXT, c_enum ENUM('a','bb'), "
                        + "c_date DATE, c_datetime DATETIME, c_datetime6 DATETIME(6), c_binary BINARY(4), c_varbinary VARBINARY(10), c_blob BLOB)",
                "SET SESSION sql_mode = ''",
                "INSERT INTO testdb.nb_types VALUES "
                        + "(1, 1, -5, 250, -300, 65000, -8000000, 16000000, -2000000000, 4000000000, -9000000000000000000, 18446744073709551615, "
                        + "12345.678, 123456789012345678901234567890, 1.5, 2.25, 'ab', 'x', 'hello', '日本語のテキスト', 'tiny', 'bb', '2024-02-29', "
                        + "'2024-01-02 03:04:05', '2024-01-02 03:04:05.123456', X'01020304', X'0A0B', X'00FF'), "
                        + "(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                        + "NULL, NULL, NULL, NULL, NULL, NULL), "
                        + "(3, -1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 0, "
                        + "-0.001, -99999999999999999999999999999, -3.4e38, -1.7976931348623157e308, '😀', '', " + "REPEAT('x', 300)" + ", "
                        + "REPEAT('y', 70000), '', 'a', '0000-00-00', '0000-00-00 00:00:00', '0000-00-00 00:00:00.000000', X'00000000', X'', X''), "
                        + "(4, 0, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 9223372036854775808, "
                        + "0.000, 0, 0, 0, ' a', 'a b', " + longText + ", REPEAT('z', 252), REPEAT('t', 255), NULL, '9999-12-31', '1000-01-01 00:00:00', "
                        + "'9999-12-31 23:59:59.999999', X'FF', X'FFFFFFFFFFFFFFFFFFFF', REPEAT(X'AB', 300)), "
                        + "(5, 2, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1e-10, 5e-324, '😀😀😀😀😀', '😀😀😀', '😀', '😀', '😀', 'bb', '1970-01-01', "
                        + "'1970-01-01 00:00:00', '2038-01-19 03:14:08.000001', X'7F', X'80', X'80'), "
                        + "(6, -2, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11.5, 12, 13.25, 14.5, 'abcde', 'abc', 'x', 'y', 'z', 'a', '2000-02-29', "
                        + "'2000-02-29 12:00:00', '2000-02-29 12:00:00.5', X'61', X'62', X'63')",
                "CREATE TABLE testdb.lookup (id INT NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL, amount DECIMAL(10,2))",
                "INSERT INTO testdb.lookup VALUES (1, 'one', 1.10), (2, 'two', 2.20), (3, 'three', NULL)",
                "CREATE TABLE testdb.many (id INT NOT NULL PRIMARY KEY, pad VARCHAR(200))",
                "INSERT INTO testdb.many SELECT seq, REPEAT('p', 200) FROM testdb.seq_1_to_2000");
        loop = new TestingEventLoop("nb-test-loop-1");
        connector = connector(Map.of(), Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES);
    }

    @AfterAll
    public void tearDown()
    {
        if (connector != null) {
            connector.close();
        }
        if (loop != null) {
            loop.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Every decoded kind, with NULLs, extremes, zero dates, 4-byte UTF-8, long strings and booleans of -1, 0, 1, 2 and -2: the JDBC path's values. */
    @Test
    public void testValuesAreTheJdbcPathsValues()
            throws Exception
    {
        // a value over 65535 bytes needs a bigger buffer than the default
        try (MySqlConnector large = connector(Map.of(), Duration.ofMinutes(10), 1024 * 1024)) {
            BackendQuery query = new BackendQuery("mysql", "SELECT * FROM testdb.nb_types WHERE id >= ? ORDER BY id", List.of(0), List.of(ColumnType.of(Kind.INTEGER)));
            List<List<Object>> jdbc = jdbcRows(large, query);
            assertThat(jdbc).hasSize(6);
            List<List<Object>> wire = awaitNonBlocking(large, loop, query);
            assertThat(wire).hasSize(jdbc.size());
            for (int row = 0; row < jdbc.size(); row++) {
                assertThat(wire.get(row)).as("row %d", row + 1).containsExactlyElementsOf(jdbc.get(row));
            }
            // the rules the comparison covers, spelled out: -1 and 2 are true, -2 is false; zero dates are null; CHAR(5) is padded
            assertThat(jdbc.get(2).get(1)).isEqualTo(true);
            assertThat(jdbc.get(4).get(1)).isEqualTo(true);
            assertThat(jdbc.get(5).get(1)).isEqualTo(false);
            assertThat(jdbc.get(2).get(22)).isNull();
            assertThat(jdbc.get(0).get(16)).isEqualTo("ab   ");
            assertThat((String) wire.get(2).get(19)).hasSize(70000);
        }
    }

    /** Parameters of every kind sent server-prepared (and NULL) select what the JDBC path selects. */
    @Test
    public void testParametersSelectWhatTheJdbcPathSelects()
            throws Exception
    {
        String sql = "SELECT id FROM testdb.nb_types WHERE c_bool = ? OR c_small = ? OR c_int = ? OR c_big = ? OR c_dec = ? OR c_medium <=> ? ORDER BY id";
        List<ColumnType> types = List.of(ColumnType.of(Kind.BOOLEAN), ColumnType.of(Kind.SMALLINT), ColumnType.of(Kind.INTEGER), ColumnType.of(Kind.BIGINT),
                ColumnType.decimal(12, 3), ColumnType.of(Kind.INTEGER));
        List<List<Object>> cases = List.of(
                java.util.Arrays.asList(true, (short) -300, -2000000000, -9000000000000000000L, new java.math.BigDecimal("12345.678"), null),
                java.util.Arrays.asList(false, (short) 32767, 7, 9L, new java.math.BigDecimal("-0.001"), 5),
                java.util.Arrays.asList(null, null, null, null, new java.math.BigDecimal("11.500"), 8388607),
                java.util.Arrays.asList(null, (short) 3, 2147483647, 0L, new java.math.BigDecimal("1E+1"), null));
        for (List<Object> values : cases) {
            BackendQuery query = new BackendQuery("mysql", sql, values, types);
            List<List<Object>> jdbc = jdbcRows(connector, query);
            assertThat(jdbc).as(values.toString()).isNotEmpty();
            assertThat(awaitNonBlocking(connector, loop, query)).as(values.toString()).isEqualTo(jdbc);
        }
        // a text parameter compared with a column (free of collation): the column's collation decides, as on the JDBC path
        String byName = "SELECT id, name FROM testdb.lookup WHERE name = ? ORDER BY id";
        for (String name : List.of("TWO", "two ", "one", "😀", "")) {
            BackendQuery query = new BackendQuery("mysql", byName, List.of(name), List.of(ColumnType.varchar(50)), List.of(), Set.of(0));
            List<List<Object>> jdbc = jdbcRows(connector, query);
            assertThat(awaitNonBlocking(connector, loop, query)).as(name).isEqualTo(jdbc);
        }
        assertThat(jdbcRows(connector, new BackendQuery("mysql", byName, List.of("TWO"), List.of(ColumnType.varchar(50)), List.of(), Set.of(0))))
                .containsExactly(List.of(2, "two"));
    }

    /** A connection past its maximum lifetime is not reused: the next run opens another, and the old one closes. */
    @Test
    public void testConnectionsPastTheirLifetimeAreNotReused()
            throws Exception
    {
        Map<String, Object> settings = new HashMap<>();
        settings.put("replicas", List.of(Map.of("name", "live", "host", "localhost", "port", server.port(), "user", "sekisho", "password", PASSWORD)));
        try (MySqlConnector shortLived = new MySqlConnector(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)), Duration.ofMinutes(10),
                Duration.ofMillis(1), MySqlNonBlockingReads.MAX_BYTES)) {
            BackendQuery id = connectionIdQuery(shortLived);
            long first = (Long) awaitNonBlocking(shortLived, loop, id).get(0).get(0);
            awaitTrue(() -> !connectionExists(first), "the connection past its lifetime closed");
            long second = (Long) awaitNonBlocking(shortLived, loop, id).get(0).get(0);
            assertThat(second).isNotEqualTo(first);
        }
    }

    /** A table altered since the JDBC path learned its columns: the run gives up rather than describe or pad by the old sizes. */
    @Test
    public void testAlteredColumnsGiveUp()
            throws Exception
    {
        server.execute("CREATE TABLE testdb.altered (id INT NOT NULL PRIMARY KEY, c CHAR(3), d DECIMAL(5,1))", "INSERT INTO testdb.altered VALUES (1, 'a', 1.5)");
        BackendQuery query = new BackendQuery("mysql", "SELECT c, d FROM testdb.altered WHERE id = ?", List.of(1), List.of(ColumnType.of(Kind.INTEGER)));
        assertThat(jdbcRows(connector, query)).containsExactly(List.of("a  ", new java.math.BigDecimal("1.5")));
        assertThat(awaitNonBlocking(connector, loop, query)).containsExactly(List.of("a  ", new java.math.BigDecimal("1.5")));
        server.execute("ALTER TABLE testdb.altered MODIFY c CHAR(6), MODIFY d DECIMAL(7,3)");
        Optional<NonBlockingRun> run = start(connector, loop, query);
        assertThat(run).isPresent();
        assertThat(result(run.get())).as("the old description no longer fits").isEmpty();
        // the JDBC path learns the new scale from the driver, but pads CHAR by the cached catalog's length until the catalog is read again
        assertThat(jdbcRows(connector, query)).containsExactly(List.of("a  ", new java.math.BigDecimal("1.500")));
        Optional<NonBlockingRun> again = start(connector, loop, query);
        assertThat(again).isPresent();
        assertThat(result(again.get())).as("the server's CHAR(6) is not the learned CHAR(3)").isEmpty();
    }

    /** A result over the buffer gives up, the text declines at once afterwards, and {@code execute} answers. */
    @Test
    public void testTooLargeResultDeclines()
            throws Exception
    {
        BackendQuery query = new BackendQuery("mysql", "SELECT id, pad FROM testdb.many WHERE id <= ? ORDER BY id", List.of(2000), List.of(ColumnType.of(Kind.INTEGER)));
        BackendQuery small = new BackendQuery("mysql", "SELECT id, pad FROM testdb.many WHERE id <= ? ORDER BY id", List.of(3), List.of(ColumnType.of(Kind.INTEGER)));
        assertThat(jdbcRows(connector, small)).hasSize(3);
        awaitNonBlocking(connector, loop, small);
        Optional<NonBlockingRun> run = start(connector, loop, query);
        assertThat(run).isPresent();
        assertThat(result(run.get())).isEmpty();
        assertThat(start(connector, loop, small)).as("the text is remembered as too large").isEmpty();
        assertThat(jdbcRows(connector, query)).hasSize(2000);
    }

    /** SHOW SESSION VARIABLES of a non-blocking connection is the JDBC path's, but for what belongs to one connection. */
    @Test
    public void testSessionIsTheJdbcPathsSession()
            throws Exception
    {
        Map<String, Object> jdbc = new TreeMap<>();
        Map<String, Object> wire = new TreeMap<>();
        // in pieces by first letter, each under the buffer's limits
        int[][] ranges = {{'A', 'C'}, {'D', 'H'}, {'I', 'L'}, {'M', 'O'}, {'P', 'R'}, {'S', 'S'}, {'T', 'Z'}};
        for (int[] range : ranges) {
            BackendQuery query = new BackendQuery("mysql",
                    "SELECT CONCAT(VARIABLE_NAME, '') AS name, CONCAT(VARIABLE_VALUE, '') AS value FROM information_schema.SESSION_VARIABLES "
                            + "WHERE ORD(VARIABLE_NAME) BETWEEN ? AND ?",
                    List.of(range[0], range[1]), List.of(ColumnType.of(Kind.INTEGER), ColumnType.of(Kind.INTEGER)));
            jdbcRows(connector, query).forEach(row -> jdbc.put((String) row.get(0), row.get(1)));
            awaitNonBlocking(connector, loop, query).forEach(row -> wire.put((String) row.get(0), row.get(1)));
        }
        assertThat(jdbc).hasSizeGreaterThan(300);
        assertThat(wire.keySet()).isEqualTo(jdbc.keySet());
        Map<String, String> differences = new TreeMap<>();
        for (String name : jdbc.keySet()) {
            if (!java.util.Objects.equals(jdbc.get(name), wire.get(name))) {
                differences.put(name, jdbc.get(name) + " / " + wire.get(name));
            }
        }
        // the connection's own id and clock
        assertThat(differences.keySet()).as(differences.toString()).isSubsetOf(Set.of("PSEUDO_THREAD_ID", "TIMESTAMP", "RAND_SEED1", "RAND_SEED2"));
        assertThat(wire.get("COLLATION_CONNECTION")).isEqualTo(jdbc.get("COLLATION_CONNECTION"));
        assertThat(wire.get("TIME_ZONE")).isEqualTo(jdbc.get("TIME_ZONE"));
        assertThat(wire.get("NET_WRITE_TIMEOUT")).isEqualTo("600");
    }

    /** With {@code databases:} whose collation is not the server's, the collation the pool's init SQL sets is the non-blocking session's too. */
    @Test
    public void testSessionCollationFollowsTheDatabases()
            throws Exception
    {
        server.execute("CREATE DATABASE colldb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci", "GRANT SELECT ON colldb.* TO 'sekisho'@'localhost'");
        Map<String, Object> settings = new HashMap<>();
        settings.put("databases", List.of("colldb"));
        settings.put("replicas", List.of(Map.of("name", "live", "host", "localhost", "port", server.port(), "user", "sekisho", "password", PASSWORD)));
        try (MySqlConnector colldb = new MySqlConnector(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)))) {
            BackendQuery query = new BackendQuery("mysql",
                    "SELECT @@collation_connection AS collation, @@character_set_client AS client, @@time_zone AS zone FROM DUAL WHERE ? = 1", List.of(1),
                    List.of(ColumnType.of(Kind.INTEGER)));
            List<List<Object>> jdbc = jdbcRows(colldb, query);
            assertThat(jdbc.get(0).get(0)).isEqualTo("utf8mb4_unicode_ci");
            assertThat(awaitNonBlocking(colldb, loop, query)).isEqualTo(jdbc);
        }
    }

    /** One COM_STMT_PREPARE per connection and text, one COM_STMT_EXECUTE per run. */
    @Test
    public void testPreparedOncePerConnectionAndText()
            throws Exception
    {
        try (MySqlConnector fresh = connector(Map.of(), Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES)) {
            BackendQuery warm = lookup(fresh, 1, "warm");
            awaitNonBlocking(fresh, loop, warm);
            BackendQuery query = lookup(fresh, 2, "counted");
            long[] before = statementCounters();
            assertThat(nonBlocking(fresh, loop, query)).containsExactly(List.of(2, "two"));
            long[] afterFirst = statementCounters();
            assertThat(afterFirst[0] - before[0]).as("prepares of the first run").isEqualTo(1);
            assertThat(afterFirst[1] - before[1]).as("executes of the first run").isEqualTo(1);
            for (int id = 1; id <= 3; id++) {
                BackendQuery again = new BackendQuery("mysql", query.sql(), List.of(id), query.parameterTypes());
                assertThat(nonBlocking(fresh, loop, again)).hasSize(1);
            }
            long[] after = statementCounters();
            assertThat(after[0] - afterFirst[0]).as("prepares of three more runs").isZero();
            assertThat(after[1] - afterFirst[1]).as("executes of three more runs").isEqualTo(3);
        }
    }

    /** A connection keeps 64 texts prepared: preparing a 65th closes the least recently run one at the server, which is prepared again when it comes back. */
    @Test
    public void testKeptStatementsAreBounded()
            throws Exception
    {
        try (MySqlConnector fresh = connector(Map.of(), Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES)) {
            List<BackendQuery> texts = new ArrayList<>();
            for (int i = 0; i <= 64; i++) {
                texts.add(lookup(fresh, 1, "kept " + i));
            }
            awaitNonBlocking(fresh, loop, texts.get(0));
            long[] before = statementCounters();
            for (int i = 1; i < 64; i++) {
                assertThat(nonBlocking(fresh, loop, texts.get(i))).hasSize(1);
            }
            long[] full = statementCounters();
            assertThat(full[0] - before[0]).as("prepares").isEqualTo(63);
            assertThat(full[2] - before[2]).as("closes while 64 texts fit").isZero();
            assertThat(nonBlocking(fresh, loop, texts.get(64))).hasSize(1);
            long[] over = statementCounters();
            assertThat(over[0] - full[0]).as("prepares of the 65th").isEqualTo(1);
            assertThat(over[2] - full[2]).as("the least recently run text closed").isEqualTo(1);
            assertThat(nonBlocking(fresh, loop, texts.get(0))).hasSize(1);
            long[] back = statementCounters();
            assertThat(back[0] - over[0]).as("the first text prepared again").isEqualTo(1);
            assertThat(nonBlocking(fresh, loop, texts.get(64))).hasSize(1);
            assertThat(statementCounters()[0] - back[0]).as("a kept text is not prepared again").isZero();
        }
    }

    @Test
    public void testDeclinesWithoutKnownColumns()
            throws Exception
    {
        BackendQuery query = new BackendQuery("mysql", "SELECT name FROM testdb.lookup WHERE id = ? /* never run */", List.of(1), List.of(ColumnType.of(Kind.INTEGER)));
        awaitNonBlocking(connector, loop, lookup(connector, 1, "template"));
        assertThat(start(connector, loop, query)).isEmpty();
        assertThat(jdbcRows(connector, query)).containsExactly(List.of("one"));
        assertThat(nonBlocking(connector, loop, query)).containsExactly(List.of("one"));
    }

    /** An ERR for the statement completes empty; the connection serves the next statement; execute reports the error. */
    @Test
    public void testServerErrorCompletesEmpty()
            throws Exception
    {
        BackendQuery fits = new BackendQuery("mysql", "SELECT CAST(? AS SIGNED) + 9223372036854775800 AS sum", List.of(1L), List.of(ColumnType.of(Kind.BIGINT)));
        BackendQuery overflows = new BackendQuery("mysql", fits.sql(), List.of(100L), fits.parameterTypes());
        List<List<Object>> expected = jdbcRows(connector, fits);
        assertThat(awaitNonBlocking(connector, loop, fits)).isEqualTo(expected);
        Optional<NonBlockingRun> run = start(connector, loop, overflows);
        assertThat(run).isPresent();
        assertThat(result(run.get())).isEmpty();
        assertThat(nonBlocking(connector, loop, fits)).isEqualTo(expected);
        assertThatThrownBy(() -> jdbcRows(connector, overflows)).isInstanceOf(QueryException.class).hasMessageContaining("out of range");
    }

    /** A warning (here division by zero) completes empty: the JDBC path decides what it means. */
    @Test
    public void testWarningCompletesEmpty()
            throws Exception
    {
        BackendQuery ok = new BackendQuery("mysql", "SELECT id DIV ? AS q FROM testdb.lookup WHERE id = 1", List.of(1), List.of(ColumnType.of(Kind.INTEGER)));
        BackendQuery byZero = new BackendQuery("mysql", ok.sql(), List.of(0), ok.parameterTypes());
        List<List<Object>> expected = jdbcRows(connector, ok);
        assertThat(awaitNonBlocking(connector, loop, ok)).isEqualTo(expected);
        Optional<NonBlockingRun> run = start(connector, loop, byZero);
        assertThat(run).isPresent();
        assertThat(result(run.get())).isEmpty();
    }

    /** A source with TLS configured, or with Connector/J property overrides, never runs this way. */
    @Test
    public void testTlsAndPropertiesSourcesDecline()
            throws Exception
    {
        for (Map<String, Object> extra : List.<Map<String, Object>>of(Map.of("tls", Map.of("mode", "preferred")), Map.of("properties", Map.of("useCompression", "false")))) {
            try (MySqlConnector other = connector(extra, Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES)) {
                BackendQuery query = lookup(other, 3, "gated");
                for (int i = 0; i < 5; i++) {
                    assertThat(start(other, loop, query)).as(extra.toString()).isEmpty();
                }
                assertThat(jdbcRows(other, query)).containsExactly(List.of(3, "three"));
                assertThat(other.mayStartWithoutBlocking()).as("never asked on an I/O thread: " + extra).isFalse();
            }
        }
        assertThat(connector.mayStartWithoutBlocking()).isTrue();
    }

    /** The primary read only by fallback, a dead replica: routing falls back, the statement declines. */
    @Test
    public void testFallbackRouteAndDeadServerDecline()
            throws Exception
    {
        Map<String, Object> settings = new HashMap<>();
        settings.put("primary", Map.of("name", "primary", "host", "localhost", "port", server.port(), "user", "sekisho", "password", PASSWORD));
        settings.put("replicas", List.of(Map.of("name", "dead", "host", "localhost", "port", TestingMySqlServer.freePort(), "user", "sekisho", "password", PASSWORD)));
        settings.put("read_from_primary", "fallback");
        try (MySqlConnector fallback = new MySqlConnector(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)))) {
            BackendQuery query = new BackendQuery("mysql", "SELECT name FROM testdb.lookup WHERE id = ?", List.of(2), List.of(ColumnType.of(Kind.INTEGER)));
            assertThat(jdbcRows(fallback, query)).containsExactly(List.of("two"));
            for (int i = 0; i < 5; i++) {
                assertThat(start(fallback, loop, query)).isEmpty();
            }
        }
        settings.remove("primary");
        settings.remove("read_from_primary");
        try (MySqlConnector dead = new MySqlConnector(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)))) {
            BackendQuery query = new BackendQuery("mysql", "SELECT name FROM testdb.lookup WHERE id = ?", List.of(2), List.of(ColumnType.of(Kind.INTEGER)));
            for (int i = 0; i < 5; i++) {
                assertThat(start(dead, loop, query)).isEmpty();
            }
        }
    }

    /** Cancel closes the connection and kills the statement at the server; the result completes with CancellationException. */
    @Test
    public void testCancelStopsTheStatement()
            throws Exception
    {
        BackendQuery sleep = new BackendQuery("mysql", "SELECT SLEEP(?) AS slept", List.of(0), List.of(ColumnType.of(Kind.INTEGER)));
        List<List<Object>> expected = jdbcRows(connector, sleep);
        assertThat(awaitNonBlocking(connector, loop, sleep)).isEqualTo(expected);
        BackendQuery long_ = new BackendQuery("mysql", sleep.sql(), List.of(60), sleep.parameterTypes());
        NonBlockingRun run = start(connector, loop, long_).orElseThrow();
        awaitTrue(() -> sleepingStatements() == 1, "the statement runs at the server");
        loop.call(() -> {
            run.cancel();
            return null;
        });
        CompletableFuture<?> result = run.result().toCompletableFuture();
        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        awaitTrue(() -> sleepingStatements() == 0, "the statement is gone from the server");
    }

    /** The same connection serves consecutive runs; several I/O threads have their own. */
    @Test
    public void testConnectionsAreReusedPerThread()
            throws Exception
    {
        BackendQuery id = connectionIdQuery(connector);
        long first = (Long) awaitNonBlocking(connector, loop, id).get(0).get(0);
        long second = (Long) nonBlocking(connector, loop, id).get(0).get(0);
        assertThat(second).isEqualTo(first);
        try (TestingEventLoop other = new TestingEventLoop("nb-test-loop-2")) {
            List<CompletableFuture<Long>> runs = new ArrayList<>();
            for (TestingEventLoop io : List.of(loop, other)) {
                runs.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return (Long) awaitNonBlocking(connector, io, id).get(0).get(0);
                    }
                    catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            long onFirst = runs.get(0).get(30, TimeUnit.SECONDS);
            long onOther = runs.get(1).get(30, TimeUnit.SECONDS);
            assertThat(onFirst).isEqualTo(first);
            assertThat(onOther).isNotEqualTo(first);
        }
    }

    /** An idle connection closes after the idle timeout; the next run opens another. */
    @Test
    public void testIdleConnectionsClose()
            throws Exception
    {
        try (MySqlConnector shortIdle = connector(Map.of(), Duration.ofMillis(300), MySqlNonBlockingReads.MAX_BYTES)) {
            BackendQuery id = connectionIdQuery(shortIdle);
            long first = (Long) awaitNonBlocking(shortIdle, loop, id).get(0).get(0);
            awaitTrue(() -> !connectionExists(first), "the idle connection closed");
            long second = (Long) awaitNonBlocking(shortIdle, loop, id).get(0).get(0);
            assertThat(second).isNotEqualTo(first);
        }
    }

    /** A connection the server kills is dropped: the next run declines or opens another, and never answers from the dead one. */
    @Test
    public void testKilledConnectionIsDropped()
            throws Exception
    {
        BackendQuery id = connectionIdQuery(connector);
        long first = (Long) awaitNonBlocking(connector, loop, id).get(0).get(0);
        server.execute("KILL CONNECTION " + first);
        long next = (Long) awaitNonBlocking(connector, loop, id).get(0).get(0);
        assertThat(next).isNotEqualTo(first);
        assertThat(nonBlocking(connector, loop, lookup(connector, 1, "after kill"))).containsExactly(List.of(1, "one"));
    }

    /** At the cap of open connections per I/O thread and server (half of pool.max_size), a statement declines rather than wait. */
    @Test
    public void testDeclinesAtTheCap()
            throws Exception
    {
        try (MySqlConnector capped = connector(Map.of("pool", Map.of("max_size", 2)), Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES)) {
            BackendQuery sleep = new BackendQuery("mysql", "SELECT SLEEP(?) AS slept /* capped */", List.of(0), List.of(ColumnType.of(Kind.INTEGER)));
            jdbcRows(capped, sleep);
            awaitNonBlocking(capped, loop, sleep);
            NonBlockingRun busy = start(capped, loop, new BackendQuery("mysql", sleep.sql(), List.of(60), sleep.parameterTypes())).orElseThrow();
            assertThat(start(capped, loop, sleep)).as("the only connection of this thread is busy").isEmpty();
            loop.call(() -> {
                busy.cancel();
                return null;
            });
            assertThat(awaitNonBlocking(capped, loop, sleep)).containsExactly(List.of(0));
        }
    }

    /** The source's servers (SHOW sekisho.replicas, metrics) count a non-blocking connection in use as active, and free as idle. */
    @Test
    public void testServersCountTheNonBlockingConnections()
            throws Exception
    {
        try (MySqlConnector counted = connector(Map.of(), Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES)) {
            BackendQuery sleep = new BackendQuery("mysql", "SELECT SLEEP(?) AS slept /* counted */", List.of(0), List.of(ColumnType.of(Kind.INTEGER)));
            jdbcRows(counted, sleep);
            awaitNonBlocking(counted, loop, sleep);
            int idleAfterRun = counted.servers().stream().mapToInt(ServerStatus::idleConnections).sum();
            assertThat(counted.servers().stream().mapToInt(ServerStatus::activeConnections).sum()).isZero();

            NonBlockingRun busy = start(counted, loop, new BackendQuery("mysql", sleep.sql(), List.of(60), sleep.parameterTypes())).orElseThrow();
            awaitTrue(() -> counted.servers().stream().mapToInt(ServerStatus::activeConnections).sum() == 1, "the busy connection counts as active");
            assertThat(counted.servers().stream().mapToInt(ServerStatus::idleConnections).sum()).as("and no longer as idle").isEqualTo(idleAfterRun - 1);
            loop.call(() -> {
                busy.cancel();
                return null;
            });
            awaitTrue(() -> counted.servers().stream().mapToInt(ServerStatus::activeConnections).sum() == 0, "the cancelled run's connection is gone");
        }
    }

    /** Connector.close closes the non-blocking connections too. */
    @Test
    public void testCloseClosesConnections()
            throws Exception
    {
        MySqlConnector closing = connector(Map.of(), Duration.ofMinutes(10), MySqlNonBlockingReads.MAX_BYTES);
        long id;
        try {
            id = (Long) awaitNonBlocking(closing, loop, connectionIdQuery(closing)).get(0).get(0);
            assertThat(connectionExists(id)).isTrue();
        }
        finally {
            closing.close();
        }
        awaitTrue(() -> !connectionExists(id), "the connection closed with the connector");
    }

    /**
     * A server that refuses connections: the run completes empty (or declines, once routing saw it
     * down) and the server is left alone for a while; execute answers once it takes connections again.
     */
    @Test
    public void testRefusedConnectDeclines()
            throws Exception
    {
        try (TestingTcpProxy proxy = new TestingTcpProxy(server.port())) {
            Map<String, Object> settings = new HashMap<>();
            settings.put("replicas", List.of(Map.of("name", "proxied", "host", "127.0.0.1", "port", proxy.port(), "user", "sekisho", "password", PASSWORD)));
            try (MySqlConnector proxied = new MySqlConnector(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)), Duration.ofMillis(200),
                    Duration.ofMinutes(30), MySqlNonBlockingReads.MAX_BYTES)) {
                assertThat(proxied.metadata().getTable("testdb", "lookup")).isPresent();
                BackendQuery id = connectionIdQuery(proxied);
                long first = (Long) awaitNonBlocking(proxied, loop, id).get(0).get(0);
                awaitTrue(() -> !connectionExists(first), "the idle connection closed");
                BackendQuery query = lookup(proxied, 2, "refused");
                proxy.stopAccepting();
                Optional<NonBlockingRun> run = start(proxied, loop, query);
                if (run.isPresent()) {
                    assertThat(result(run.get())).as("a connect refused").isEmpty();
                }
                Optional<NonBlockingRun> again = start(proxied, loop, query);
                if (again.isPresent()) {
                    assertThat(result(again.get())).isEmpty();
                }
                proxy.startAccepting();
                awaitTrue(() -> {
                    try {
                        return jdbcRows(proxied, query).equals(List.of(List.of(2, "two")));
                    }
                    catch (QueryException e) {
                        // the server counts as down until its checks pass again
                        return false;
                    }
                }, "execute answers again");
            }
        }
    }

    private MySqlConnector connector(Map<String, Object> extra, Duration idleTimeout, long maxBytes)
    {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put("replicas", List.of(Map.of("name", "live", "host", "localhost", "port", server.port(), "user", "sekisho", "password", PASSWORD)));
        MySqlConnector created = new MySqlConnector(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)), idleTimeout, Duration.ofMinutes(30),
                maxBytes);
        // as the planner does before a statement: a result's string columns are typed from the cached schema, only then are its columns known
        assertThat(created.metadata().getTable("testdb", "lookup")).isPresent();
        return created;
    }

    /** A point lookup whose text is this connector's and {@code tag}'s, its columns learned by a JDBC run. */
    private static BackendQuery lookup(Connector connector, int id, String tag)
    {
        BackendQuery query = new BackendQuery("mysql", "SELECT id, name FROM testdb.lookup WHERE id = ? /* " + tag + " */", List.of(id),
                List.of(ColumnType.of(Kind.INTEGER)));
        jdbcRows(connector, query);
        return query;
    }

    private static BackendQuery connectionIdQuery(Connector connector)
    {
        BackendQuery query = new BackendQuery("mysql", "SELECT CAST(CONNECTION_ID() AS SIGNED) AS id FROM DUAL WHERE ? = 1", List.of(1),
                List.of(ColumnType.of(Kind.INTEGER)));
        assertThat(jdbcRows(connector, query)).hasSize(1);
        return query;
    }

    private long[] statementCounters()
            throws SQLException
    {
        try (java.sql.Connection root = DriverManager.getConnection(server.jdbcUrl(null), "root", "");
                java.sql.Statement statement = root.createStatement();
                ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_execute', 'Com_stmt_close')")) {
            List<String> names = List.of("com_stmt_prepare", "com_stmt_execute", "com_stmt_close");
            long[] counters = new long[3];
            while (rows.next()) {
                counters[names.indexOf(rows.getString(1).toLowerCase(java.util.Locale.ROOT))] = rows.getLong(2);
            }
            return counters;
        }
    }

    private int sleepingStatements()
            throws SQLException
    {
        try (java.sql.Connection root = DriverManager.getConnection(server.jdbcUrl(null), "root", "");
                java.sql.Statement statement = root.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO = 'SELECT SLEEP(?) AS slept'")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private boolean connectionExists(long id)
            throws SQLException
    {
        try (java.sql.Connection root = DriverManager.getConnection(server.jdbcUrl(null), "root", "");
                java.sql.Statement statement = root.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + id)) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }
}
