package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.UUID;

/**
 * The PostgreSQL types Sekisho sends, each with its OID, {@code typlen}, and codecs between the Java
 * value of {@link dev.sekisho.planner.spi.ColumnType.Kind} and PostgreSQL's text and binary wire
 * forms. Text output matches what PostgreSQL 15 prints with {@code DateStyle = ISO} and
 * {@code extra_float_digits = 1}.
 */
public enum PgType
        implements PgWireType
{
    BOOL(16, "bool", 1) {
        @Override
        public String encodeText(Object value)
        {
            return ((Boolean) value) ? "t" : "f";
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeByte(((Boolean) value) ? 1 : 0);
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            String value = text.strip().toLowerCase(Locale.ROOT);
            if (value.isEmpty()) {
                throw invalid(text);
            }
            if ("true".startsWith(value) || "yes".startsWith(value) || value.equals("on") || value.equals("1")) {
                return true;
            }
            if ("false".startsWith(value) || "no".startsWith(value) || value.equals("off") || value.equals("0")) {
                return false;
            }
            throw invalid(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 1);
            return in.readByte() != 0;
        }
    },
    BYTEA(17, "bytea", -1) {
        @Override
        public String encodeText(Object value)
        {
            return "\\x" + HexFormat.of().formatHex((byte[]) value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeBytes((byte[]) value);
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            if (text.startsWith("\\x")) {
                try {
                    return HexFormat.of().parseHex(text.substring(2));
                }
                catch (IllegalArgumentException e) {
                    throw invalid(text);
                }
            }
            return parseEscapedBytea(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            byte[] bytes = new byte[length];
            in.readBytes(bytes);
            return bytes;
        }
    },
    INT8(20, "bigint", 8) {
        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeLong(((Number) value).longValue());
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return Long.parseLong(text.strip());
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 8);
            return in.readLong();
        }
    },
    INT2(21, "smallint", 2) {
        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeShort(((Number) value).shortValue());
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return Short.parseShort(text.strip());
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 2);
            return in.readShort();
        }
    },
    INT4(23, "integer", 4) {
        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeInt(((Number) value).intValue());
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return Integer.parseInt(text.strip());
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 4);
            return in.readInt();
        }
    },
    TEXT(25, "text", -1),
    JSON(114, "json", -1),
    FLOAT4(700, "real", 4) {
        @Override
        public String encodeText(Object value)
        {
            return PgFloats.format(((Number) value).floatValue());
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeFloat(((Number) value).floatValue());
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return (float) parseDouble(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 4);
            return in.readFloat();
        }
    },
    FLOAT8(701, "double precision", 8) {
        @Override
        public String encodeText(Object value)
        {
            return PgFloats.format(((Number) value).doubleValue());
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeDouble(((Number) value).doubleValue());
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return parseDouble(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 8);
            return in.readDouble();
        }
    },
    BPCHAR(1042, "character", -1),
    VARCHAR(1043, "character varying", -1),
    DATE(1082, "date", 4) {
        @Override
        public String encodeText(Object value)
        {
            return PgDateTimes.formatDate((LocalDate) value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeInt(PgDateTimes.toPostgresDays((LocalDate) value));
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return PgDateTimeParser.parseDate(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 4);
            return PgDateTimes.fromPostgresDays(in.readInt());
        }
    },
    TIME(1083, "time without time zone", 8) {
        @Override
        public String encodeText(Object value)
        {
            return PgDateTimes.formatTime((LocalTime) value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeLong(((LocalTime) value).toNanoOfDay() / 1000);
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return PgDateTimeParser.parseTime(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 8);
            return LocalTime.ofNanoOfDay(in.readLong() * 1000);
        }
    },
    TIMESTAMP(1114, "timestamp without time zone", 8) {
        @Override
        public String encodeText(Object value)
        {
            return PgDateTimes.formatTimestamp((LocalDateTime) value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeLong(PgDateTimes.toPostgresMicros((LocalDateTime) value));
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return PgDateTimeParser.parseTimestamp(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 8);
            return PgDateTimes.fromPostgresMicros(in.readLong());
        }
    },
    TIMESTAMPTZ(1184, "timestamp with time zone", 8) {
        @Override
        public String encodeText(Object value)
        {
            return PgDateTimes.formatTimestampWithTimeZone((OffsetDateTime) value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeLong(PgDateTimes.toPostgresMicros((OffsetDateTime) value));
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return PgDateTimeParser.parseTimestampWithTimeZone(text, zone);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 8);
            return PgDateTimes.fromPostgresMicros(in.readLong()).atOffset(ZoneOffset.UTC);
        }
    },
    NUMERIC(1700, "numeric", -1) {
        @Override
        public String encodeText(Object value)
        {
            return ((BigDecimal) value).toPlainString();
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            PgNumerics.write(out, (BigDecimal) value);
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            return new BigDecimal(text.strip());
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            return PgNumerics.read(in, length);
        }
    },
    UUID(2950, "uuid", 16) {
        @Override
        public String encodeText(Object value)
        {
            return value.toString();
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            java.util.UUID uuid = (java.util.UUID) value;
            out.writeLong(uuid.getMostSignificantBits());
            out.writeLong(uuid.getLeastSignificantBits());
        }

        @Override
        Object parseText(String text, ZoneId zone)
        {
            String value = text.strip();
            if (value.length() != 36) {
                throw invalid(text);
            }
            return java.util.UUID.fromString(value);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            checkLength(length, 16);
            return new UUID(in.readLong(), in.readLong());
        }
    };

    private final int oid;
    private final String displayName;
    private final int typlen;

    PgType(int oid, String displayName, int typlen)
    {
        this.oid = oid;
        this.displayName = displayName;
        this.typlen = typlen;
    }

    @Override
    public int oid()
    {
        return oid;
    }

    /** {@code pg_type.typlen}: the fixed width in bytes, or -1 for variable width. */
    @Override
    public int typlen()
    {
        return typlen;
    }

    /** The name PostgreSQL uses in messages, e.g. {@code integer}. */
    @Override
    public String displayName()
    {
        return displayName;
    }

    /** The value as PostgreSQL prints it. */
    @Override
    public String encodeText(Object value)
    {
        return value.toString();
    }

    /** Writes the value's binary form (without the length prefix). */
    @Override
    public void writeBinary(ByteBuf out, Object value)
    {
        ByteBufUtil.writeUtf8(out, encodeText(value));
    }

    /**
     * Reads a parameter value in text form.
     *
     * @param zone the session's time zone, for timestamps with time zone written without an offset
     * @throws QueryException 22P02 when the text is not a value of this type
     */
    @Override
    public Object decodeText(String text, ZoneId zone)
    {
        try {
            return parseText(text, zone);
        }
        catch (QueryException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw invalid(text);
        }
    }

    /**
     * Reads a parameter value in binary form: {@code length} bytes from {@code in}.
     *
     * @throws QueryException 22P03 when the bytes are not a value of this type
     */
    @Override
    public Object decodeBinary(ByteBuf in, int length)
    {
        try {
            return readBinary(in, length);
        }
        catch (QueryException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw new QueryException("22P03", "incorrect binary data format in bind parameter of type " + displayName);
        }
    }

    Object parseText(String text, ZoneId zone)
    {
        return text;
    }

    Object readBinary(ByteBuf in, int length)
    {
        return in.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }

    QueryException invalid(String text)
    {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + displayName + ": \"" + shown + "\"");
    }

    void checkLength(int length, int expected)
    {
        if (length != expected) {
            throw new QueryException("22P03", "incorrect binary data format in bind parameter of type " + displayName
                    + ": expected " + expected + " bytes, got " + length);
        }
    }

    private static double parseDouble(String text)
    {
        String value = text.strip();
        switch (value.toLowerCase(Locale.ROOT)) {
            case "nan":
                return Double.NaN;
            case "infinity", "+infinity", "inf", "+inf":
                return Double.POSITIVE_INFINITY;
            case "-infinity", "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                if (!value.isEmpty() && Character.isLetter(value.charAt(value.length() - 1))) {
                    throw new NumberFormatException(value);
                }
                return Double.parseDouble(value);
        }
    }

    private static byte[] parseEscapedBytea(String text)
    {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\\') {
                out.write(bytes[i]);
            }
            else if (i + 1 < bytes.length && bytes[i + 1] == '\\') {
                out.write('\\');
                i++;
            }
            else if (i + 3 < bytes.length && isOctal(bytes[i + 1]) && isOctal(bytes[i + 2]) && isOctal(bytes[i + 3])) {
                out.write((bytes[i + 1] - '0') * 64 + (bytes[i + 2] - '0') * 8 + (bytes[i + 3] - '0'));
                i += 3;
            }
            else {
                throw BYTEA.invalid(text);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(byte b)
    {
        return b >= '0' && b <= '7';
    }
}
