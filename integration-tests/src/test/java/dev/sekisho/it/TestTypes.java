package dev.sekisho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.core.Field;
import org.postgresql.jdbc.PgResultSetMetaData;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.sekisho.it.QueryAssertions.assertSameRows;
import static dev.sekisho.it.QueryAssertions.read;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every MySQL type of docs/mysql-types.md, read through the gateway: the PostgreSQL type OID and
 * typmod in RowDescription, and the values as MariaDB returns them directly.
 */
class TestTypes
{
    private static final String COLUMNS = """
            id, c_tinyint, c_bool, c_smallint, c_mediumint, c_int, c_int_unsigned, c_bigint, c_bigint_unsigned, c_decimal,
            c_float, c_double, c_char, c_varchar, c_text, c_enum, c_date, c_time, c_datetime, c_datetime6, c_timestamp,
            c_year, c_json, c_blob, c_varbinary, c_bit1""";

    /** Column name -> {OID, typmod}. */
    private static final Map<String, int[]> EXPECTED_TYPES = new LinkedHashMap<>();

    static {
        EXPECTED_TYPES.put("id", new int[] {23, -1});
        EXPECTED_TYPES.put("c_tinyint", new int[] {21, -1});
        EXPECTED_TYPES.put("c_bool", new int[] {16, -1});
        EXPECTED_TYPES.put("c_smallint", new int[] {21, -1});
        EXPECTED_TYPES.put("c_mediumint", new int[] {23, -1});
        EXPECTED_TYPES.put("c_int", new int[] {23, -1});
        EXPECTED_TYPES.put("c_int_unsigned", new int[] {20, -1});
        EXPECTED_TYPES.put("c_bigint", new int[] {20, -1});
        EXPECTED_TYPES.put("c_bigint_unsigned", new int[] {1700, (20 << 16) + 4});
        EXPECTED_TYPES.put("c_decimal", new int[] {1700, ((12 << 16) | 3) + 4});
        EXPECTED_TYPES.put("c_float", new int[] {700, -1});
        EXPECTED_TYPES.put("c_double", new int[] {701, -1});
        EXPECTED_TYPES.put("c_char", new int[] {1042, 5 + 4});
        EXPECTED_TYPES.put("c_varchar", new int[] {1043, 40 + 4});
        EXPECTED_TYPES.put("c_text", new int[] {25, -1});
        EXPECTED_TYPES.put("c_enum", new int[] {1043, 6 + 4});
        EXPECTED_TYPES.put("c_date", new int[] {1082, -1});
        EXPECTED_TYPES.put("c_time", new int[] {1083, 0});
        EXPECTED_TYPES.put("c_datetime", new int[] {1114, 0});
        EXPECTED_TYPES.put("c_datetime6", new int[] {1114, 6});
        EXPECTED_TYPES.put("c_timestamp", new int[] {1184, 0});
        EXPECTED_TYPES.put("c_year", new int[] {21, -1});
        EXPECTED_TYPES.put("c_json", new int[] {114, -1});
        EXPECTED_TYPES.put("c_blob", new int[] {17, -1});
        EXPECTED_TYPES.put("c_varbinary", new int[] {17, -1});
        EXPECTED_TYPES.put("c_bit1", new int[] {16, -1});
    }

    private static Connection pg;
    private static Connection direct;

    @BeforeAll
    static void connect()
            throws SQLException
    {
        TestingGateway gateway = TestingGateway.shared();
        pg = gateway.connect("alice");
        direct = gateway.connectDirect("it");
    }

    @AfterAll
    static void disconnect()
            throws SQLException
    {
        pg.close();
        direct.close();
    }

    @Test
    void rowDescriptionCarriesPostgresOidsAndTypmods()
            throws Exception
    {
        try (Statement statement = pg.createStatement(); ResultSet resultSet = statement.executeQuery("select " + COLUMNS + " from it.all_types where 1 = 0")) {
            assertTypes(resultSet.getMetaData());
        }
    }

    @Test
    void valuesMatchMariaDbInTextFormat()
            throws SQLException
    {
        assertSameRows(rows(pg, "select " + COLUMNS + " from it.all_types order by id"), rows(direct, referenceQuery()));
    }

    @Test
    void valuesMatchMariaDbInBinaryFormat()
            throws Exception
    {
        // pgjdbc asks for binary results once a statement is server-prepared (prepareThreshold)
        List<List<Object>> expected = rows(direct, referenceQuery());
        try (PreparedStatement statement = pg.prepareStatement("select " + COLUMNS + " from it.all_types where id >= ? order by id")) {
            for (int i = 0; i < 8; i++) {
                statement.setInt(1, 0);
                try (ResultSet resultSet = statement.executeQuery()) {
                    assertTypes(resultSet.getMetaData());
                    assertSameRows(read(resultSet), expected);
                }
            }
        }
    }

    @Test
    void parametersOfEachTypeFilterLikeMariaDb()
            throws SQLException
    {
        assertThat(rows(pg, "select id from it.all_types where c_varchar = ?", "hello, world")).containsExactly(List.of(java.math.BigDecimal.ONE));
        assertThat(rows(pg, "select id from it.all_types where c_bigint = ?", 9223372036854775807L)).containsExactly(List.of(new java.math.BigDecimal(2)));
        assertThat(rows(pg, "select id from it.all_types where c_decimal = ?", new java.math.BigDecimal("-0.001"))).containsExactly(List.of(new java.math.BigDecimal(2)));
        assertThat(rows(pg, "select id from it.all_types where c_date = ?", java.sql.Date.valueOf("2024-02-29"))).containsExactly(List.of(java.math.BigDecimal.ONE));
        assertThat(rows(pg, "select id from it.all_types where c_datetime = ?", java.sql.Timestamp.valueOf("1999-12-31 23:59:59"))).containsExactly(List.of(new java.math.BigDecimal(2)));
        assertThat(rows(pg, "select id from it.all_types where c_bool = ?", true)).containsExactly(List.of(java.math.BigDecimal.ONE));
        assertThat(rows(pg, "select id from it.all_types where c_double > ?", 1e299)).containsExactly(List.of(new java.math.BigDecimal(2)));
    }

    private static String referenceQuery()
    {
        // Connector/J reads YEAR as a date unless told otherwise: ask for the number. MySQL strips
        // the blanks of CHAR(n); PostgreSQL's char(n), which the gateway presents, keeps them.
        return "select " + COLUMNS.replace("c_year,", "c_year + 0,").replace("c_char,", "rpad(c_char, 5, ' '),") + " from it.all_types order by id";
    }

    private static void assertTypes(ResultSetMetaData metaData)
            throws Exception
    {
        java.lang.reflect.Field fieldsField = PgResultSetMetaData.class.getDeclaredField("fields");
        fieldsField.setAccessible(true);
        Field[] fields = (Field[]) fieldsField.get(metaData);
        Map<String, int[]> actual = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i++) {
            actual.put(metaData.getColumnLabel(i + 1), new int[] {fields[i].getOID(), fields[i].getMod()});
        }
        assertThat(actual.keySet()).containsExactlyElementsOf(EXPECTED_TYPES.keySet());
        EXPECTED_TYPES.forEach((column, expected) ->
                assertThat(actual.get(column)).as("OID and typmod of " + column).containsExactly(expected));
    }
}
