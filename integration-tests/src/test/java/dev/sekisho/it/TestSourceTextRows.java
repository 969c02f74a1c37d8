package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Integers and UTF-8 strings of a MySQL result go into DataRows as Connector/J's row bytes (the
 * fast path); a cursor's FETCH builds every value and encodes it again (the general path). Every
 * type's DataRow bytes must be the same either way, including the values the fast path hands back
 * to the general one (zero-filled, latin1, non-ASCII) and NULLs.
 */
class TestSourceTextRows
{
    private static final String CASES = """
            CREATE TABLE it.source_text_cases (id INT PRIMARY KEY, c_tiny TINYINT, c_tiny_u TINYINT UNSIGNED, c_bool TINYINT(1), c_small SMALLINT,
                c_small_u SMALLINT UNSIGNED, c_medium MEDIUMINT, c_medium_u MEDIUMINT UNSIGNED, c_int INT, c_int_u INT UNSIGNED, c_big BIGINT,
                c_big_u BIGINT UNSIGNED, c_zerofill INT(6) ZEROFILL, c_year YEAR, c_bit8 BIT(8), c_decimal DECIMAL(10, 2), c_float FLOAT, c_double DOUBLE,
                c_char CHAR(4), c_varchar VARCHAR(20), c_latin1 VARCHAR(20) CHARACTER SET latin1, c_text TEXT, c_enum ENUM('a', 'bb'), c_set SET('x', 'y'),
                c_json JSON, c_date DATE, c_datetime DATETIME(3), c_timestamp TIMESTAMP NULL, c_time TIME, c_blob BLOB, c_varbinary VARBINARY(8))""";
    private static final String ROWS = """
            INSERT INTO it.source_text_cases VALUES
             (1, -128, 255, 1, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 42, 2024,
              b'10000001', -0.50, -1.5, 1e300, 'ab', 'plain ascii', 'café', '日本語 😀', 'bb', 'x,y', '{"a": [1, 2]}', '2024-02-29',
              '2024-02-29 13:45:30.120', '2024-02-29 13:45:30', '12:00:01', X'00FF', X'DEADBEEF'),
             (2, 127, 0, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0, 0, 0, b'0', 0.00, 0, -0, '', '', '', '', 'a', '', '[]',
              '1970-01-01', '1999-12-31 23:59:59.999', '2030-01-01 00:00:00', '00:00:00', X'', X''),
             (3, 0, 1, 0, -1, 1, 0, 1, 0, 1, -1, 1, 123456, 1999, b'1', 12345678.99, 3.25, -2.5e-300, 'abcd', 'a\\0b trailing  ', 'plain', 'ÿ', 'a', 'y',
              'null', '0001-01-01', '2024-01-02 03:04:05.000', NULL, '23:59:59', X'5C', X'00'),
             (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
              NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""";

    private static TestingGateway testing;
    private static Gateway gateway;

    @BeforeAll
    static void setUp()
            throws SQLException
    {
        testing = TestingGateway.shared();
        try (Connection direct = testing.connectDirect("it"); Statement statement = direct.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS it.source_text_cases");
            statement.execute(CASES);
            statement.execute(ROWS);
        }
        // started after the table exists, so its catalog holds it
        gateway = testing.startGatewayWith("", null);
    }

    @AfterAll
    static void tearDown()
            throws SQLException
    {
        if (gateway != null) {
            gateway.close();
        }
        try (Connection direct = testing.connectDirect("it"); Statement statement = direct.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS it.source_text_cases");
        }
    }

    @Test
    void everyTypesBytesAreTheSameThroughTheFastAndTheGeneralPath()
            throws SQLException
    {
        for (String query : List.of("select * from it.source_text_cases order by id", "select * from it.all_types order by id",
                "select c_varchar, id, c_small + 1, c_big, c_text from it.source_text_cases order by id")) {
            try (Connection connection = TestingGateway.connect(gateway, "alice")) {
                connection.setAutoCommit(false);
                List<List<byte[]>> fast = rows(connection, query, false);
                List<List<byte[]>> general = rows(connection, query, true);
                assertThat(fast).as("rows of %s", query).hasSize(general.size()).hasSizeGreaterThanOrEqualTo(3);
                for (int row = 0; row < fast.size(); row++) {
                    for (int column = 0; column < fast.get(row).size(); column++) {
                        assertThat(fast.get(row).get(column)).as("row %d column %d of %s", row + 1, column + 1, query).isEqualTo(general.get(row).get(column));
                    }
                }
                connection.commit();
            }
        }
    }

    /**
     * Rows whose every column is an integer or a string are put together whole before they go into
     * the batch: wide rows (a value longer than a 64 KiB batch), empty strings and NULLs must come
     * out as the general path writes them, and a row with a value the fast path hands back
     * (non-ASCII) must be written whole by the general path after rows that were not.
     */
    @Test
    void rowsOfIntegersAndStringsOnlyAreTheSameThroughTheFastAndTheGeneralPath()
            throws SQLException
    {
        try (Connection direct = testing.connectDirect("it"); Statement statement = direct.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS it.source_text_wide");
            statement.execute("CREATE TABLE it.source_text_wide (id INT PRIMARY KEY, a VARCHAR(400), b MEDIUMTEXT, c BIGINT)");
            statement.execute("INSERT INTO it.source_text_wide VALUES (1, REPEAT('a', 300), REPEAT('b', 100000), 1), (2, '', '', -2),"
                    + " (3, NULL, NULL, NULL), (4, 'x', 'ÿ non-ASCII', 4), (5, REPEAT('c', 400), REPEAT('d', 70000), 9223372036854775807),"
                    + " (6, 'short', 's', 6)");
        }
        Gateway wide = testing.startGatewayWith("", null);
        try (Connection connection = TestingGateway.connect(wide, "alice")) {
            connection.setAutoCommit(false);
            String query = "select id, a, b, c from it.source_text_wide order by id";
            List<List<byte[]>> fast = rows(connection, query, false);
            List<List<byte[]>> general = rows(connection, query, true);
            assertThat(fast).hasSize(6).hasSameSizeAs(general);
            for (int row = 0; row < fast.size(); row++) {
                for (int column = 0; column < 4; column++) {
                    assertThat(fast.get(row).get(column)).as("row %d column %d", row + 1, column + 1).isEqualTo(general.get(row).get(column));
                }
            }
            assertThat(fast.get(0).get(2)).hasSize(100_000);
            assertThat(fast.get(2).subList(1, 4)).containsOnlyNulls();
            assertThat(new String(fast.get(3).get(2), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("ÿ non-ASCII");
            connection.commit();
        }
        finally {
            wide.close();
            try (Connection direct = testing.connectDirect("it"); Statement statement = direct.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS it.source_text_wide");
            }
        }
    }

    /** Each value's DataRow bytes as the client got them (pgjdbc hands on a text column's bytes as they came). */
    private static List<List<byte[]>> rows(Connection connection, String query, boolean throughCursor)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            if (throughCursor) {
                statement.execute("DECLARE general CURSOR FOR " + query);
            }
            List<List<byte[]>> rows = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery(throughCursor ? "FETCH ALL FROM general" : query)) {
                int columns = resultSet.getMetaData().getColumnCount();
                while (resultSet.next()) {
                    List<byte[]> row = new ArrayList<>();
                    for (int column = 1; column <= columns; column++) {
                        // bytea's getBytes decodes; its text is compared through getString
                        byte[] bytes = resultSet.getMetaData().getColumnType(column) == java.sql.Types.BINARY
                                ? stringBytes(resultSet.getString(column)) : resultSet.getBytes(column);
                        row.add(bytes);
                    }
                    rows.add(row);
                }
            }
            if (throughCursor) {
                statement.execute("CLOSE general");
            }
            return rows;
        }
    }

    private static byte[] stringBytes(String text)
    {
        return text == null ? null : text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void fastPathRowsMatchTheSourceValues()
            throws SQLException
    {
        try (Connection connection = TestingGateway.connect(gateway, "alice");
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select c_tiny, c_small, c_int, c_big, c_zerofill, c_varchar, c_latin1, c_text from it.source_text_cases order by id")) {
            List<String> first = new ArrayList<>();
            assertThat(resultSet.next()).isTrue();
            for (int column = 1; column <= 8; column++) {
                first.add(resultSet.getString(column));
            }
            assertThat(first).containsExactly("-128", "-32768", "-2147483648", "-9223372036854775808", "42", "plain ascii", "café", "日本語 😀");
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(6)).isEqualTo("a\0b trailing  ");
            assertThat(resultSet.getString(5)).isEqualTo("123456");
            assertThat(resultSet.next()).isTrue();
            assertThat(Arrays.asList(resultSet.getString(1), resultSet.getString(6))).containsExactly(null, null);
        }
    }
}
