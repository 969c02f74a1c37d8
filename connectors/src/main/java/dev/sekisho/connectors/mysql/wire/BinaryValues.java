package dev.sekisho.connectors.mysql.wire;

import dev.sekisho.planner.spi.ColumnType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a binary result row's values as the Java values the JDBC path gives for the same column
 * ({@code ColumnReader.forType} over Connector/J with {@code ReplicaPool}'s properties), for the
 * column kinds and MySQL types checked against it (TestMySqlNonBlocking). A column whose kind or
 * MySQL type is not listed here has no reader, and the statement goes through Connector/J.
 *
 * <p>The column's size as the JDBC path learned it must still be the server's (a CHAR's or
 * VARCHAR's length, a DECIMAL's scale): a table altered since gives up rather than answer with the
 * old column description.
 *
 * <p>Connector/J's rules followed: a number read as a boolean is true when it is -1 or over 0;
 * {@code zeroDateTimeBehavior=CONVERT_TO_NULL} makes an all-zero date or datetime null, while one
 * with only some parts zero fails (here: gives up); DATETIME is read as it is stored (no time zone
 * conversion); a CHAR(n) value is padded to n characters as {@code ColumnReader} does; strings are
 * decoded in the column's character set, of which only the UTF-8 ones are read here.
 */
final class BinaryValues
{
    /** Reads one non-null value, moving the buffer past it. */
    @FunctionalInterface
    interface Reader
    {
        Object read(ByteBuffer row)
                throws WireProtocolException;
    }

    private BinaryValues() {}

    /**
     * The reader for a column of {@code type} that the server describes as {@code column}; empty when
     * this client does not read that combination.
     *
     * @param utf8Collations the collation ids Connector/J decodes as UTF-8, with their bytes per character
     */
    static Optional<Reader> reader(ColumnType type, ColumnDefinition column, Map<Integer, Integer> utf8Collations)
    {
        int mysqlType = column.type();
        boolean unsigned = column.unsigned();
        Reader reader = switch (type.kind()) {
            // tinyInt1isBit: only TINYINT(1) is a boolean
            case BOOLEAN -> mysqlType == ColumnDefinition.TYPE_TINY && column.length() == 1 ? row -> {
                long value = unsigned ? Packets.u8(row) : row.get();
                return value == -1 || value > 0;
            } : null;
            case SMALLINT -> switch (mysqlType) {
                case ColumnDefinition.TYPE_TINY -> row -> (short) (unsigned ? Packets.u8(row) : row.get());
                case ColumnDefinition.TYPE_SHORT -> unsigned ? null : row -> row.getShort();
                default -> null;
            };
            case INTEGER -> switch (mysqlType) {
                case ColumnDefinition.TYPE_TINY -> row -> unsigned ? Packets.u8(row) : (int) row.get();
                case ColumnDefinition.TYPE_SHORT -> row -> unsigned ? Packets.u16(row) : (int) row.getShort();
                case ColumnDefinition.TYPE_INT24 -> row -> row.getInt();
                case ColumnDefinition.TYPE_LONG -> unsigned ? null : row -> row.getInt();
                default -> null;
            };
            case BIGINT -> switch (mysqlType) {
                case ColumnDefinition.TYPE_TINY -> row -> unsigned ? (long) Packets.u8(row) : (long) row.get();
                case ColumnDefinition.TYPE_SHORT -> row -> unsigned ? (long) Packets.u16(row) : (long) row.getShort();
                case ColumnDefinition.TYPE_INT24 -> row -> (long) row.getInt();
                case ColumnDefinition.TYPE_LONG -> row -> unsigned ? Packets.u32(row) : (long) row.getInt();
                case ColumnDefinition.TYPE_LONGLONG -> unsigned ? null : row -> row.getLong();
                default -> null;
            };
            case DECIMAL -> switch (mysqlType) {
                case ColumnDefinition.TYPE_NEWDECIMAL, ColumnDefinition.TYPE_DECIMAL ->
                        type.scale() == ColumnType.UNSPECIFIED || type.scale() == column.decimals() ? BinaryValues::decimal : null;
                case ColumnDefinition.TYPE_LONGLONG -> unsigned ? row -> new BigDecimal(new BigInteger(Long.toUnsignedString(row.getLong()))) : null;
                default -> null;
            };
            case REAL -> mysqlType == ColumnDefinition.TYPE_FLOAT ? row -> row.getFloat() : null;
            case DOUBLE -> mysqlType == ColumnDefinition.TYPE_DOUBLE ? row -> row.getDouble() : null;
            case CHAR, VARCHAR, TEXT -> column.isStringType() && utf8Collations.containsKey(column.collationId())
                    && (type.length() == ColumnType.UNSPECIFIED || column.length() == (long) type.length() * utf8Collations.get(column.collationId()))
                    ? text(type) : null;
            case BINARY -> column.isStringType() && column.collationId() == ColumnDefinition.BINARY_COLLATION ? Packets::lengthEncodedBytes : null;
            case DATE -> mysqlType == ColumnDefinition.TYPE_DATE ? BinaryValues::date : null;
            // the JDBC path describes DATETIME(n) as Connector/J reports its scale (0 in binary results), so its digits are not compared
            case TIMESTAMP -> mysqlType == ColumnDefinition.TYPE_DATETIME ? BinaryValues::dateTime : null;
            default -> null;
        };
        return Optional.ofNullable(reader);
    }

    private static Reader text(ColumnType type)
    {
        int length = type.length();
        if (type.kind() != ColumnType.Kind.CHAR || length == ColumnType.UNSPECIFIED) {
            return row -> new String(Packets.lengthEncodedBytes(row), StandardCharsets.UTF_8);
        }
        return row -> pad(new String(Packets.lengthEncodedBytes(row), StandardCharsets.UTF_8), length);
    }

    /** As {@code ColumnReader}: MySQL strips the trailing blanks of CHAR(n), PostgreSQL's char(n) keeps them. */
    private static String pad(String value, int length)
    {
        int missing = length - value.codePointCount(0, value.length());
        return missing <= 0 ? value : value + " ".repeat(missing);
    }

    private static Object decimal(ByteBuffer row)
            throws WireProtocolException
    {
        String text = new String(Packets.lengthEncodedBytes(row), StandardCharsets.US_ASCII);
        try {
            return new BigDecimal(text);
        }
        catch (NumberFormatException e) {
            throw new WireProtocolException("a DECIMAL value is not a number");
        }
    }

    private static Object date(ByteBuffer row)
            throws WireProtocolException
    {
        int length = Packets.u8(row);
        if (length == 0) {
            return null;
        }
        if (length != 4 || row.remaining() < 4) {
            throw new WireProtocolException("a DATE value of " + length + " bytes");
        }
        int year = Packets.u16(row);
        int month = Packets.u8(row);
        int day = Packets.u8(row);
        if (year == 0 && month == 0 && day == 0) {
            return null;
        }
        try {
            return LocalDate.of(year, month, day);
        }
        catch (DateTimeException e) {
            throw new WireProtocolException("a DATE value Connector/J refuses");
        }
    }

    private static Object dateTime(ByteBuffer row)
            throws WireProtocolException
    {
        int length = Packets.u8(row);
        if (length == 0) {
            return null;
        }
        if ((length != 4 && length != 7 && length != 11) || row.remaining() < length) {
            throw new WireProtocolException("a DATETIME value of " + length + " bytes");
        }
        int year = Packets.u16(row);
        int month = Packets.u8(row);
        int day = Packets.u8(row);
        int hour = length >= 7 ? Packets.u8(row) : 0;
        int minute = length >= 7 ? Packets.u8(row) : 0;
        int second = length >= 7 ? Packets.u8(row) : 0;
        long micros = length == 11 ? Packets.u32(row) : 0;
        if (year == 0 && month == 0 && day == 0 && hour == 0 && minute == 0 && second == 0 && micros == 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, Math.toIntExact(micros * 1000));
        }
        catch (DateTimeException | ArithmeticException e) {
            throw new WireProtocolException("a DATETIME value Connector/J refuses");
        }
    }
}
