package dev.sekisho.connectors.jdbc;

import dev.sekisho.planner.spi.ColumnType;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Reads one column of the current row as the Java class that {@link ColumnType.Kind} documents.
 * One reader is chosen per column when a statement starts, so reading a row does no type dispatch.
 */
@FunctionalInterface
public interface ColumnReader
{
    /**
     * @param index one-based JDBC column index
     * @return the value, or null for SQL NULL
     */
    Object read(ResultSet resultSet, int index)
            throws SQLException;

    /** The reader for a column of {@code type}. */
    static ColumnReader forType(ColumnType type)
    {
        switch (type.kind()) {
            case BOOLEAN:
                return (rs, i) -> {
                    boolean value = rs.getBoolean(i);
                    return rs.wasNull() ? null : value;
                };
            case SMALLINT:
                return (rs, i) -> {
                    short value = rs.getShort(i);
                    return rs.wasNull() ? null : value;
                };
            case INTEGER:
                return (rs, i) -> {
                    int value = rs.getInt(i);
                    return rs.wasNull() ? null : value;
                };
            case BIGINT:
                return (rs, i) -> {
                    long value = rs.getLong(i);
                    return rs.wasNull() ? null : value;
                };
            case REAL:
                return (rs, i) -> {
                    float value = rs.getFloat(i);
                    return rs.wasNull() ? null : value;
                };
            case DOUBLE:
                return (rs, i) -> {
                    double value = rs.getDouble(i);
                    return rs.wasNull() ? null : value;
                };
            case DECIMAL:
                return (rs, i) -> rs.getObject(i, BigDecimal.class);
            case CHAR:
                int length = type.length();
                if (length == ColumnType.UNSPECIFIED) {
                    return ResultSet::getString;
                }
                // MySQL strips the trailing blanks of CHAR(n); PostgreSQL's char(n) keeps them
                return (rs, i) -> pad(rs.getString(i), length);
            case VARCHAR:
            case TEXT:
            case JSON:
            case UNKNOWN:
                return ResultSet::getString;
            case DATE:
                return (rs, i) -> rs.getObject(i, LocalDate.class);
            case TIME:
                return (rs, i) -> rs.getObject(i, LocalTime.class);
            case TIMESTAMP:
                return (rs, i) -> rs.getObject(i, LocalDateTime.class);
            case TIMESTAMP_WITH_TIME_ZONE:
                return (rs, i) -> rs.getObject(i, OffsetDateTime.class);
            case BINARY:
                return ResultSet::getBytes;
            case UUID:
                return (rs, i) -> {
                    String value = rs.getString(i);
                    return value == null ? null : UUID.fromString(value);
                };
        }
        throw new IllegalArgumentException("no reader for " + type);
    }

    private static String pad(String value, int length)
    {
        if (value == null) {
            return null;
        }
        int missing = length - value.codePointCount(0, value.length());
        if (missing <= 0) {
            return value;
        }
        return value + " ".repeat(missing);
    }
}
