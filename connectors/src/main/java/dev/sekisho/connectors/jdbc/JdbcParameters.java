package dev.sekisho.connectors.jdbc;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Binds {@code BackendQuery} parameters to a {@link PreparedStatement} by their declared type. */
public final class JdbcParameters
{
    private JdbcParameters() {}

    /**
     * Binds {@code values} in order.
     *
     * @throws QueryException {@code 22023} when a value's Java class does not fit its declared type
     */
    public static void bind(PreparedStatement statement, List<Object> values, List<ColumnType> types)
            throws SQLException
    {
        for (int i = 0; i < values.size(); i++) {
            bind(statement, i + 1, values.get(i), types.get(i));
        }
    }

    private static void bind(PreparedStatement statement, int index, Object value, ColumnType type)
            throws SQLException
    {
        if (value == null) {
            statement.setNull(index, sqlType(type));
            return;
        }
        try {
            switch (type.kind()) {
                case BOOLEAN:
                    statement.setBoolean(index, (Boolean) value);
                    return;
                case SMALLINT:
                    statement.setShort(index, ((Number) value).shortValue());
                    return;
                case INTEGER:
                    statement.setInt(index, ((Number) value).intValue());
                    return;
                case BIGINT:
                    statement.setLong(index, ((Number) value).longValue());
                    return;
                case REAL:
                    statement.setFloat(index, ((Number) value).floatValue());
                    return;
                case DOUBLE:
                    statement.setDouble(index, ((Number) value).doubleValue());
                    return;
                case DECIMAL:
                    statement.setBigDecimal(index, value instanceof BigDecimal ? (BigDecimal) value : new BigDecimal(((Number) value).toString()));
                    return;
                case CHAR:
                case VARCHAR:
                case TEXT:
                case JSON:
                case UNKNOWN:
                    statement.setString(index, (String) value);
                    return;
                case DATE:
                    statement.setObject(index, (LocalDate) value, Types.DATE);
                    return;
                case TIME:
                    statement.setObject(index, (LocalTime) value, Types.TIME);
                    return;
                case TIMESTAMP:
                    statement.setObject(index, (LocalDateTime) value, Types.TIMESTAMP);
                    return;
                case TIMESTAMP_WITH_TIME_ZONE:
                    // the driver converts the instant to the session's time zone (UTC by default)
                    statement.setObject(index, (OffsetDateTime) value);
                    return;
                case BINARY:
                    statement.setBytes(index, (byte[]) value);
                    return;
                case UUID:
                    statement.setString(index, ((UUID) value).toString());
                    return;
            }
        }
        catch (ClassCastException e) {
            throw new QueryException(
                    SqlStates.INVALID_PARAMETER_VALUE,
                    "parameter $" + index + " is declared " + type + " but its value is a " + value.getClass().getSimpleName(),
                    null,
                    e);
        }
        throw new IllegalArgumentException("unsupported parameter type " + type);
    }

    /** The {@link Types} constant for {@code setNull}. */
    public static int sqlType(ColumnType type)
    {
        switch (type.kind()) {
            case BOOLEAN:
                return Types.BOOLEAN;
            case SMALLINT:
                return Types.SMALLINT;
            case INTEGER:
                return Types.INTEGER;
            case BIGINT:
                return Types.BIGINT;
            case REAL:
                return Types.REAL;
            case DOUBLE:
                return Types.DOUBLE;
            case DECIMAL:
                return Types.DECIMAL;
            case CHAR:
                return Types.CHAR;
            case DATE:
                return Types.DATE;
            case TIME:
                return Types.TIME;
            case TIMESTAMP:
                return Types.TIMESTAMP;
            case TIMESTAMP_WITH_TIME_ZONE:
                // Connector/J refuses Types.TIMESTAMP_WITH_TIMEZONE
                return Types.TIMESTAMP;
            case BINARY:
                return Types.VARBINARY;
            default:
                return Types.VARCHAR;
        }
    }
}
