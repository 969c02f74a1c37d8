package dev.sekisho.planner.types;

import dev.sekisho.planner.spi.ColumnType.Kind;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.rel.type.RelDataType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Converters, chosen once per plan and column, between the Java values sources return, the Java
 * class of a result column's {@link Kind}, and Calcite's internal representation (used only by the
 * local fallback engine).
 */
public final class ValueConverters
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private ValueConverters() {}

    /** A converter that turns whatever a source returns into the Java class of {@code kind}. */
    public static UnaryOperator<Object> toKind(Kind kind)
    {
        return switch (kind) {
            case BOOLEAN -> ValueConverters::toBoolean;
            case SMALLINT -> value -> value == null || value instanceof Short ? value : (Object) (short) inRange(toNumber(value), Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
            case INTEGER -> value -> value == null || value instanceof Integer ? value : (Object) (int) inRange(toNumber(value), Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
            case BIGINT -> value -> value == null || value instanceof Long ? value : (Object) inRange(toNumber(value), Long.MIN_VALUE, Long.MAX_VALUE, "bigint");
            case REAL -> value -> value == null || value instanceof Float ? value : (Object) toNumber(value).floatValue();
            case DOUBLE -> value -> value == null || value instanceof Double ? value : (Object) toNumber(value).doubleValue();
            case DECIMAL -> ValueConverters::toBigDecimal;
            case CHAR, VARCHAR, TEXT, JSON, UNKNOWN, ENUM -> ValueConverters::toText;
            case ARRAY -> ValueConverters::toList;
            case DATE -> ValueConverters::toLocalDate;
            case TIME -> ValueConverters::toLocalTime;
            case TIMESTAMP -> ValueConverters::toLocalDateTime;
            case TIMESTAMP_WITH_TIME_ZONE -> ValueConverters::toOffsetDateTime;
            case BINARY -> ValueConverters::toBytes;
            case UUID -> value -> value == null || value instanceof UUID ? value : UUID.fromString(value.toString());
        };
    }

    /**
     * An integral value that must fit its PostgreSQL type: a source that computes in wider integers
     * (MySQL's BIGINT arithmetic for PostgreSQL's int4) must not wrap around, PostgreSQL raises 22003.
     */
    private static long inRange(Number number, long min, long max, String type)
    {
        boolean integral = number instanceof Long || number instanceof Integer || number instanceof Short || number instanceof Byte;
        BigDecimal exact = integral ? null : number instanceof BigDecimal decimal ? decimal : new BigDecimal(number.toString());
        if (exact != null && (exact.compareTo(BigDecimal.valueOf(min)) < 0 || exact.compareTo(BigDecimal.valueOf(max)) > 0)) {
            throw outOfRange(type);
        }
        long value = integral ? number.longValue() : exact.setScale(0, java.math.RoundingMode.HALF_UP).longValue();
        if (value < min || value > max) {
            throw outOfRange(type);
        }
        return value;
    }

    private static dev.sekisho.planner.spi.QueryException outOfRange(String type)
    {
        return new dev.sekisho.planner.spi.QueryException(dev.sekisho.planner.spi.SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, type + " out of range",
                "Cast to a wider type (bigint or numeric) before the arithmetic.", null);
    }

    /** Whether {@link #toKind} is needed at all: false when the source's kind already matches. */
    static boolean needsConversion(Kind sourceKind, Kind resultKind)
    {
        if (sourceKind == resultKind) {
            return false;
        }
        return !(isText(sourceKind) && isText(resultKind));
    }

    private static boolean isText(Kind kind)
    {
        return kind == Kind.CHAR || kind == Kind.VARCHAR || kind == Kind.TEXT || kind == Kind.JSON || kind == Kind.UNKNOWN || kind == Kind.ENUM;
    }

    /** A converter from Sekisho's Java values to Calcite's internal representation of {@code type}. */
    public static UnaryOperator<Object> toInternal(RelDataType type)
    {
        return switch (type.getSqlTypeName()) {
            case DATE -> value -> value == null ? null : (Object) (int) toLocalDate(value).toEpochDay();
            case TIME -> value -> value == null ? null : (Object) (int) (toLocalTime(value).toNanoOfDay() / 1_000_000L);
            case TIMESTAMP -> value -> value == null ? null : (Object) toLocalDateTime(value).toInstant(ZoneOffset.UTC).toEpochMilli();
            case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> value -> value == null ? null : (Object) toOffsetDateTime(value).toInstant().toEpochMilli();
            case BINARY, VARBINARY -> value -> value == null ? null : new ByteString(toBytes(value));
            case CHAR, VARCHAR -> value -> value == null || value instanceof String ? value : toText(value);
            case BOOLEAN -> ValueConverters::toBoolean;
            case SMALLINT -> toKind(Kind.SMALLINT);
            case INTEGER -> toKind(Kind.INTEGER);
            case BIGINT -> toKind(Kind.BIGINT);
            case REAL -> toKind(Kind.REAL);
            case FLOAT, DOUBLE -> toKind(Kind.DOUBLE);
            case DECIMAL -> ValueConverters::toBigDecimal;
            default -> UnaryOperator.identity();
        };
    }

    private static Number toNumber(Object value)
    {
        if (value instanceof Number number) {
            return number;
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        return new BigDecimal(value.toString().trim());
    }

    private static Object toBoolean(Object value)
    {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (text) {
            case "t", "true", "1", "y", "yes", "on" -> Boolean.TRUE;
            default -> Boolean.FALSE;
        };
    }

    private static Object toBigDecimal(Object value)
    {
        if (value == null || value instanceof BigDecimal) {
            return value;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger bigInteger) {
            return new BigDecimal(bigInteger);
        }
        if (value instanceof Double || value instanceof Float) {
            return BigDecimal.valueOf(((Number) value).doubleValue());
        }
        return new BigDecimal(value.toString().trim());
    }

    /** An array value as a {@link java.util.List}: sources may return a list, a Java array or a JDBC array. */
    private static Object toList(Object value)
    {
        if (value == null || value instanceof java.util.List<?>) {
            return value;
        }
        if (value instanceof Object[] array) {
            return java.util.Arrays.asList(array);
        }
        if (value instanceof java.sql.Array array) {
            try {
                return java.util.Arrays.asList((Object[]) array.getArray());
            }
            catch (java.sql.SQLException e) {
                throw new IllegalStateException("cannot read an array value: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("not an array value: " + value.getClass().getName());
    }

    private static Object toText(Object value)
    {
        if (value == null || value instanceof String) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (value instanceof Boolean bool) {
            return bool ? "true" : "false";
        }
        if (value instanceof java.util.List<?> list) {
            // an array the local engine built (ARRAY(SELECT ...)), in PostgreSQL's text form
            return dev.sekisho.planner.pg.functions.PgArrayText.formatValues(list);
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        return value.toString();
    }

    private static LocalDate toLocalDate(Object value)
    {
        if (value == null || value instanceof LocalDate) {
            return (LocalDate) value;
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof Integer days) {
            return LocalDate.ofEpochDay(days);
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.toLocalDate();
        }
        return LocalDate.parse(value.toString());
    }

    private static LocalTime toLocalTime(Object value)
    {
        if (value == null || value instanceof LocalTime) {
            return (LocalTime) value;
        }
        if (value instanceof java.sql.Time time) {
            return time.toLocalTime();
        }
        if (value instanceof Integer millis) {
            return LocalTime.ofNanoOfDay(Math.floorMod(millis, MILLIS_PER_DAY) * 1_000_000L);
        }
        return LocalTime.parse(value.toString());
    }

    private static LocalDateTime toLocalDateTime(Object value)
    {
        if (value == null || value instanceof LocalDateTime) {
            return (LocalDateTime) value;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof Long millis) {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
        }
        if (value instanceof LocalDate date) {
            return date.atStartOfDay();
        }
        if (value instanceof OffsetDateTime offsetDateTime) {
            return offsetDateTime.toLocalDateTime();
        }
        return LocalDateTime.parse(value.toString().replace(' ', 'T'));
    }

    private static OffsetDateTime toOffsetDateTime(Object value)
    {
        if (value == null || value instanceof OffsetDateTime) {
            return (OffsetDateTime) value;
        }
        if (value instanceof Instant instant) {
            return instant.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof ZonedDateTime zoned) {
            return zoned.toOffsetDateTime();
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant().atOffset(ZoneOffset.UTC);
        }
        if (value instanceof Long millis) {
            return Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC);
        }
        if (value instanceof LocalDateTime dateTime) {
            return dateTime.atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString()).truncatedTo(ChronoUnit.MICROS);
    }

    private static byte[] toBytes(Object value)
    {
        if (value == null || value instanceof byte[]) {
            return (byte[]) value;
        }
        if (value instanceof ByteString byteString) {
            return byteString.getBytes();
        }
        return value.toString().getBytes(StandardCharsets.UTF_8);
    }
}
