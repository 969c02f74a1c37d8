package dev.sekisho.gateway.avatica;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Sekisho's types as Avatica describes and carries them. Columns keep PostgreSQL's type names
 * ({@code int8}, {@code numeric}, {@code timestamp}), so that a tool sees the same names through
 * both front doors; values travel in Avatica's serial forms (a date as days since 1970, a time as
 * milliseconds of the day, a timestamp as milliseconds of its wall-clock time read as UTC, which
 * is what the remote driver turns back into {@code java.sql} values). Parameter values arrive in
 * those forms too and become Java values of the statement's parameter types, or fail as the
 * PostgreSQL door fails a value it cannot read (22P02).
 */
final class AvaticaTypes
{
    private static final long MILLIS_PER_DAY = 86_400_000L;

    private AvaticaTypes() {}

    /** The JDBC type of a Sekisho type, as pgjdbc reports it. */
    static int jdbcType(ColumnType type)
    {
        return switch (type.kind()) {
            case BOOLEAN -> Types.BOOLEAN;
            case SMALLINT -> Types.SMALLINT;
            case INTEGER -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case REAL -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case DECIMAL -> Types.NUMERIC;
            case CHAR -> Types.CHAR;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> Types.TIMESTAMP;
            case BINARY -> Types.VARBINARY;
            case ARRAY -> Types.ARRAY;
            case VARCHAR, TEXT, JSON, UUID, UNKNOWN, ENUM -> Types.VARCHAR;
        };
    }

    /** PostgreSQL's name of a type ({@code int4}, {@code _text}). */
    static String typeName(int pgTypeOid, ColumnType type)
    {
        return PgTypeInfo.byOid(pgTypeOid).map(PgTypeInfo::name).orElse(type.kind().name().toLowerCase(Locale.ROOT));
    }

    /** Avatica's description of a result column. */
    static ColumnMetaData column(int ordinal, ResultColumn column)
    {
        ColumnType type = column.type();
        String typeName = typeName(column.pgTypeOid(), type);
        ColumnMetaData.AvaticaType avaticaType = avaticaType(type, typeName);
        String schema = column.origin().map(ResultColumn.ColumnOrigin::schema).orElse("");
        String table = column.origin().map(ResultColumn.ColumnOrigin::table).orElse("");
        String name = column.origin().map(ResultColumn.ColumnOrigin::column).orElse(column.name());
        return new ColumnMetaData(ordinal, false, isText(type), true, false, DatabaseMetaData.columnNullableUnknown, isSigned(type),
                displaySize(type), column.name(), name, schema, precision(type), scale(type), table, "", avaticaType, true, false, false,
                javaClass(type).getName());
    }

    /** A column of a metadata result whose type is given by JDBC type (what DatabaseMetaData specifies). */
    static ColumnMetaData metadataColumn(int ordinal, String label, int jdbcType)
    {
        SqlType sqlType = SqlType.valueOf(jdbcType);
        ColumnMetaData.ScalarType type = ColumnMetaData.scalar(jdbcType, sqlType.name(), ColumnMetaData.Rep.serialRepOf(sqlType));
        return new ColumnMetaData(ordinal, false, true, false, false, DatabaseMetaData.columnNullable, true, 0, label, label, "", 0, 0, "", "",
                type, true, false, false, sqlType.clazz.getName());
    }

    private static ColumnMetaData.AvaticaType avaticaType(ColumnType type, String typeName)
    {
        int jdbcType = jdbcType(type);
        if (type.kind() == ColumnType.Kind.ARRAY) {
            ColumnType element = type.elementType().orElseThrow();
            int elementOid = PgTypeInfo.oidOf(element);
            ColumnMetaData.AvaticaType component = avaticaType(element, typeName(elementOid, element));
            return ColumnMetaData.array(component, typeName, ColumnMetaData.Rep.ARRAY);
        }
        return ColumnMetaData.scalar(jdbcType, typeName, ColumnMetaData.Rep.serialRepOf(SqlType.valueOf(jdbcType)));
    }

    /** Describes parameter {@code index} (0-based) of a statement. */
    static AvaticaParameter parameter(int index, ColumnType type)
    {
        ColumnType known = type == null ? ColumnType.of(ColumnType.Kind.TEXT) : type;
        return new AvaticaParameter(isSigned(known), precision(known), scale(known), jdbcType(known),
                typeName(PgTypeInfo.oidOf(known), known), javaClass(known).getName(), "$" + (index + 1));
    }

    /** A result value in the serial form Avatica's frames carry for the column's type. */
    static Object frameValue(ColumnType type, Object value)
    {
        if (value == null) {
            return null;
        }
        switch (type.kind()) {
            case DATE:
                return Math.toIntExact(((LocalDate) value).toEpochDay());
            case TIME:
                return (int) (((LocalTime) value).toNanoOfDay() / 1_000_000L);
            case TIMESTAMP:
                return ((LocalDateTime) value).toInstant(ZoneOffset.UTC).toEpochMilli();
            case TIMESTAMP_WITH_TIME_ZONE:
                return ((OffsetDateTime) value).toInstant().toEpochMilli();
            case UUID, JSON, UNKNOWN, ENUM:
                return value.toString();
            case ARRAY: {
                ColumnType element = type.elementType().orElseThrow();
                List<Object> values = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    values.add(frameValue(element, item));
                }
                return values;
            }
            default:
                return value;
        }
    }

    /** A parameter value as the client sent it, as a Java value of the parameter's type. */
    static Object parameterValue(TypedValue typed, ColumnType type)
    {
        if (typed == null || typed.value == null) {
            return null;
        }
        ColumnType target = type == null ? ColumnType.of(ColumnType.Kind.TEXT) : type;
        Object value = typed.toLocal();
        try {
            return convert(typed.type, value, target);
        }
        catch (ArithmeticException | DateTimeParseException | IllegalArgumentException | ClassCastException e) {
            throw new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + typeName(PgTypeInfo.oidOf(target), target)
                    + ": \"" + text(typed.type, value) + "\"", "Bind a value of the parameter's type.", null);
        }
    }

    private static Object convert(ColumnMetaData.Rep rep, Object value, ColumnType target)
    {
        return switch (target.kind()) {
            case BOOLEAN -> value instanceof Boolean flag ? flag : parseBoolean(text(rep, value));
            case SMALLINT -> (short) Math.toIntExact(checkedShort(integer(rep, value)));
            case INTEGER -> Math.toIntExact(integer(rep, value));
            case BIGINT -> integer(rep, value);
            case REAL -> value instanceof Number number ? number.floatValue() : Float.parseFloat(text(rep, value));
            case DOUBLE -> value instanceof Number number ? number.doubleValue() : Double.parseDouble(text(rep, value));
            case DECIMAL -> decimal(rep, value);
            case DATE -> date(rep, value);
            case TIME -> rep == ColumnMetaData.Rep.JAVA_SQL_TIME ? LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L)
                    : LocalTime.parse(text(rep, value));
            case TIMESTAMP -> timestamp(rep, value);
            case TIMESTAMP_WITH_TIME_ZONE -> isTemporal(rep) ? timestamp(rep, value).atOffset(ZoneOffset.UTC)
                    : OffsetDateTime.parse(text(rep, value).replace(' ', 'T'));
            case UUID -> UUID.fromString(text(rep, value));
            case BINARY -> value instanceof ByteString bytes ? bytes.getBytes() : value instanceof byte[] bytes ? bytes : text(rep, value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            case ARRAY -> throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "array parameters are not supported over Avatica",
                    "Pass the elements as separate parameters, or write the array as a literal.", null);
            case CHAR, VARCHAR, TEXT, JSON, UNKNOWN, ENUM -> text(rep, value);
        };
    }

    private static long checkedShort(long value)
    {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new ArithmeticException("smallint out of range");
        }
        return value;
    }

    private static boolean parseBoolean(String text)
    {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "t", "true", "yes", "on", "1" -> true;
            case "f", "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(text);
        };
    }

    private static long integer(ColumnMetaData.Rep rep, Object value)
    {
        if (value instanceof BigDecimal decimal) {
            return decimal.longValueExact();
        }
        if (value instanceof BigInteger big) {
            return big.longValueExact();
        }
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString()).longValueExact();
        }
        if (value instanceof Number number && !isTemporal(rep)) {
            return number.longValue();
        }
        return Long.parseLong(text(rep, value).strip());
    }

    private static BigDecimal decimal(ColumnMetaData.Rep rep, Object value)
    {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number && !isTemporal(rep)) {
            return new BigDecimal(number.toString());
        }
        return new BigDecimal(text(rep, value).strip());
    }

    private static LocalDate date(ColumnMetaData.Rep rep, Object value)
    {
        if (rep == ColumnMetaData.Rep.JAVA_SQL_DATE) {
            return LocalDate.ofEpochDay(((Number) value).longValue());
        }
        if (rep == ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP || rep == ColumnMetaData.Rep.JAVA_UTIL_DATE) {
            return timestamp(rep, value).toLocalDate();
        }
        return LocalDate.parse(text(rep, value).strip());
    }

    private static LocalDateTime timestamp(ColumnMetaData.Rep rep, Object value)
    {
        if (rep == ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP || rep == ColumnMetaData.Rep.JAVA_UTIL_DATE) {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) value).longValue()), ZoneOffset.UTC);
        }
        if (rep == ColumnMetaData.Rep.JAVA_SQL_DATE) {
            return LocalDate.ofEpochDay(((Number) value).longValue()).atStartOfDay();
        }
        return LocalDateTime.parse(text(rep, value).strip().replace(' ', 'T'));
    }

    private static boolean isTemporal(ColumnMetaData.Rep rep)
    {
        return rep == ColumnMetaData.Rep.JAVA_SQL_DATE || rep == ColumnMetaData.Rep.JAVA_SQL_TIME || rep == ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP
                || rep == ColumnMetaData.Rep.JAVA_UTIL_DATE;
    }

    /** A parameter value as text, as PostgreSQL would have received it. */
    private static String text(ColumnMetaData.Rep rep, Object value)
    {
        if (rep == ColumnMetaData.Rep.JAVA_SQL_DATE) {
            return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
        }
        if (rep == ColumnMetaData.Rep.JAVA_SQL_TIME) {
            return LocalTime.ofNanoOfDay(Math.floorMod(((Number) value).longValue(), MILLIS_PER_DAY) * 1_000_000L).toString();
        }
        if (rep == ColumnMetaData.Rep.JAVA_SQL_TIMESTAMP || rep == ColumnMetaData.Rep.JAVA_UTIL_DATE) {
            return timestamp(rep, value).toString().replace('T', ' ');
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof ByteString bytes) {
            return bytes.toString();
        }
        return String.valueOf(value);
    }

    private static boolean isText(ColumnType type)
    {
        return switch (type.kind()) {
            case CHAR, VARCHAR, TEXT, JSON, UNKNOWN, ENUM -> true;
            default -> false;
        };
    }

    private static boolean isSigned(ColumnType type)
    {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT, REAL, DOUBLE, DECIMAL -> true;
            default -> false;
        };
    }

    private static int precision(ColumnType type)
    {
        return switch (type.kind()) {
            case SMALLINT -> 5;
            case INTEGER -> 10;
            case BIGINT -> 19;
            case REAL -> 8;
            case DOUBLE -> 17;
            case DECIMAL, CHAR, VARCHAR -> Math.max(type.length(), 0);
            case DATE -> 13;
            case TIME -> 15;
            case TIMESTAMP -> 29;
            case TIMESTAMP_WITH_TIME_ZONE -> 35;
            case UUID -> 36;
            case BOOLEAN -> 1;
            default -> 0;
        };
    }

    private static int scale(ColumnType type)
    {
        return switch (type.kind()) {
            case DECIMAL -> Math.max(type.scale(), 0);
            case TIME, TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> type.length() == ColumnType.UNSPECIFIED ? 6 : type.length();
            default -> 0;
        };
    }

    private static int displaySize(ColumnType type)
    {
        int precision = precision(type);
        return precision > 0 ? precision : Integer.MAX_VALUE;
    }

    private static Class<?> javaClass(ColumnType type)
    {
        return switch (type.kind()) {
            case BOOLEAN -> Boolean.class;
            case SMALLINT -> Short.class;
            case INTEGER -> Integer.class;
            case BIGINT -> Long.class;
            case REAL -> Float.class;
            case DOUBLE -> Double.class;
            case DECIMAL -> BigDecimal.class;
            case DATE -> java.sql.Date.class;
            case TIME -> java.sql.Time.class;
            case TIMESTAMP, TIMESTAMP_WITH_TIME_ZONE -> java.sql.Timestamp.class;
            case BINARY -> byte[].class;
            case ARRAY -> java.sql.Array.class;
            default -> String.class;
        };
    }
}
