package dev.sekisho.it;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares what the gateway answers with what MariaDB answers directly to the same question.
 * Values are normalised to comparable Java values (numbers to stripped BigDecimal, temporal types
 * to java.time, binary to hex), because pgjdbc and Connector/J pick different classes.
 */
public final class QueryAssertions
{
    private QueryAssertions() {}

    /** Rows of a query, normalised. */
    public static List<List<Object>> rows(Connection connection, String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            return read(resultSet);
        }
    }

    /** Rows of a prepared query with parameters, normalised. */
    public static List<List<Object>> rows(Connection connection, String sql, Object... parameters)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet resultSet = statement.executeQuery()) {
                return read(resultSet);
            }
        }
    }

    public static List<String> labels(ResultSetMetaData metaData)
            throws SQLException
    {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= metaData.getColumnCount(); i++) {
            labels.add(metaData.getColumnLabel(i));
        }
        return labels;
    }

    public static List<List<Object>> read(ResultSet resultSet)
            throws SQLException
    {
        int columns = resultSet.getMetaData().getColumnCount();
        List<List<Object>> rows = new ArrayList<>();
        while (resultSet.next()) {
            List<Object> row = new ArrayList<>(columns);
            for (int i = 1; i <= columns; i++) {
                row.add(normalize(resultSet.getObject(i)));
            }
            rows.add(row);
        }
        return rows;
    }

    /** Asserts the gateway's rows equal MariaDB's, in order, and that there is something to compare. */
    public static void assertSameRows(List<List<Object>> gateway, List<List<Object>> direct)
    {
        assertThat(direct).as("the reference query must return rows for the comparison to mean anything").isNotEmpty();
        assertThat(gateway).containsExactlyElementsOf(direct);
    }

    public static Object normalize(Object value)
    {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            return normalize(new BigDecimal(value.toString()));
        }
        if (value instanceof Double || value instanceof Float) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof Time time) {
            return time.toLocalTime();
        }
        if (value instanceof OffsetDateTime || value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof org.postgresql.util.PGobject object) {
            return object.getValue();
        }
        return value;
    }
}
