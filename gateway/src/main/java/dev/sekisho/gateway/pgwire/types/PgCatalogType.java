package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.pg.catalog.PgTypeInfo;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The scalar PostgreSQL types of catalog columns and catalog functions that Sekisho's
 * {@link dev.sekisho.planner.spi.ColumnType}s do not name: {@code name}, {@code "char"}, the OID
 * types and the {@code int2vector} / {@code oidvector} types. Values are held as the catalog
 * emulation produces them: OIDs as {@link Long}, the others as their text form.
 */
public enum PgCatalogType
        implements PgWireType
{
    /** {@code name}: text of at most 63 bytes; binary is the UTF-8 bytes. */
    NAME(PgTypeInfo.NAME) {
        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            ByteBufUtil.writeUtf8(out, value.toString());
        }

        @Override
        Object parseText(String text)
        {
            return truncateName(text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            return truncateName(in.readCharSequence(length, StandardCharsets.UTF_8).toString());
        }
    },
    /** {@code "char"}: a single byte; text prints bytes above 127 as {@code \ooo}, binary is the byte. */
    CHAR(PgTypeInfo.CHAR) {
        @Override
        public String encodeText(Object value)
        {
            int b = charByte(value);
            if (b == 0) {
                return "";
            }
            if (b >= 0x80) {
                return "\\" + (b >> 6) + ((b >> 3) & 7) + (b & 7);
            }
            return String.valueOf((char) b);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            out.writeByte(charByte(value));
        }

        @Override
        Object parseText(String text)
        {
            return charValue(charByte(text));
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            if (length != 1) {
                throw new QueryException("22P03", "incorrect binary data format in value of type \"char\": expected 1 byte, got " + length);
            }
            return charValue(in.readByte() & 0xff);
        }
    },
    OID(PgTypeInfo.OID),
    XID(PgTypeInfo.XID),
    CID(29),
    REGPROC(PgTypeInfo.REGPROC),
    REGCLASS(PgTypeInfo.REGCLASS),
    REGTYPE(PgTypeInfo.REGTYPE),
    REGNAMESPACE(4089),
    /** {@code int2vector}: text is space-separated; binary is an {@code int2} array with lower bound 0. */
    INT2VECTOR(PgTypeInfo.INT2VECTOR) {
        @Override
        public String encodeText(Object value)
        {
            return vectorText(PgType.INT2, value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            writeVector(out, PgType.INT2, value);
        }

        @Override
        Object parseText(String text)
        {
            return parseVector(PgType.INT2, text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            return readVector(PgType.INT2, in, length, this);
        }
    },
    /** {@code oidvector}: text is space-separated; binary is an {@code oid} array with lower bound 0. */
    OIDVECTOR(PgTypeInfo.OIDVECTOR) {
        @Override
        public String encodeText(Object value)
        {
            return vectorText(OID, value);
        }

        @Override
        public void writeBinary(ByteBuf out, Object value)
        {
            writeVector(out, OID, value);
        }

        @Override
        Object parseText(String text)
        {
            return parseVector(OID, text);
        }

        @Override
        Object readBinary(ByteBuf in, int length)
        {
            return readVector(OID, in, length, this);
        }
    };

    /** PostgreSQL's NAMEDATALEN - 1: the most bytes a {@code name} holds. */
    private static final int MAX_NAME_BYTES = 63;

    private final int oid;
    private final int typlen;
    private final String displayName;

    PgCatalogType(int oid)
    {
        PgTypeInfo info = PgTypeInfo.byOid(oid).orElseThrow(() -> new IllegalArgumentException("unknown type OID " + oid));
        this.oid = oid;
        this.typlen = info.length();
        this.displayName = info.displayName();
    }

    @Override
    public int oid()
    {
        return oid;
    }

    @Override
    public int typlen()
    {
        return typlen;
    }

    @Override
    public String displayName()
    {
        return displayName;
    }

    /** Text of an OID type: unsigned decimal for numbers, else the text as given (a {@code regclass} name). */
    @Override
    public String encodeText(Object value)
    {
        if (value instanceof Number number) {
            return Long.toString(number.longValue() & 0xFFFF_FFFFL);
        }
        return value.toString();
    }

    /** Binary of an OID type: {@code uint32}. */
    @Override
    public void writeBinary(ByteBuf out, Object value)
    {
        if (value instanceof Number number) {
            out.writeInt((int) number.longValue());
            return;
        }
        String text = value.toString();
        if (text.matches("[0-9]+")) {
            out.writeInt((int) parseOid(text));
            return;
        }
        throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "cannot send " + displayName + " value \"" + text
                + "\" in binary format because Sekisho only knows its name; request text format for this column");
    }

    @Override
    public Object decodeText(String text, ZoneId zone)
    {
        try {
            return parseText(text);
        }
        catch (QueryException e) {
            throw e;
        }
        catch (RuntimeException e) {
            throw invalid(text);
        }
    }

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
            throw new QueryException("22P03", "incorrect binary data format in value of type " + displayName);
        }
    }

    /** Whether values of this type are OIDs ({@code oid}, {@code xid}, {@code regclass}, ...). */
    public boolean isOid()
    {
        return typlen == 4;
    }

    Object parseText(String text)
    {
        String value = text.strip();
        if (this != OID && this != XID && this != CID && (value.isEmpty() || !Character.isDigit(value.charAt(0)))) {
            // a regclass / regtype / regproc written as a name: kept as text
            return value;
        }
        return parseOid(value);
    }

    Object readBinary(ByteBuf in, int length)
    {
        if (length != 4) {
            throw new QueryException("22P03", "incorrect binary data format in value of type " + displayName + ": expected 4 bytes, got " + length);
        }
        return in.readInt() & 0xFFFF_FFFFL;
    }

    QueryException invalid(String text)
    {
        String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
        return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + displayName + ": \"" + shown + "\"");
    }

    /** {@code oidin}: a decimal in [-2^31, 2^32 - 1], negative values wrapping around as PostgreSQL does. */
    private long parseOid(String text)
    {
        long value;
        try {
            value = Long.parseLong(text);
        }
        catch (NumberFormatException e) {
            throw text.matches("-?[0-9]+") ? outOfRange(text) : invalid(text);
        }
        if (value < Integer.MIN_VALUE || value > 0xFFFF_FFFFL) {
            throw outOfRange(text);
        }
        return value & 0xFFFF_FFFFL;
    }

    private QueryException outOfRange(String text)
    {
        return new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "value \"" + text + "\" is out of range for type " + displayName);
    }

    private static String truncateName(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_NAME_BYTES) {
            return text;
        }
        int end = MAX_NAME_BYTES;
        // cut before a UTF-8 continuation byte so that no character is split
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The byte of a {@code "char"} value: its text form ({@code \ooo} for octal) or a number. */
    private static int charByte(Object value)
    {
        if (value instanceof Number number) {
            return number.intValue() & 0xff;
        }
        if (value instanceof Character character) {
            return character & 0xff;
        }
        String text = value.toString();
        if (text.isEmpty()) {
            return 0;
        }
        if (text.length() == 4 && text.charAt(0) == '\\' && isOctal(text.charAt(1)) && isOctal(text.charAt(2)) && isOctal(text.charAt(3))) {
            return ((text.charAt(1) - '0') << 6 | (text.charAt(2) - '0') << 3 | (text.charAt(3) - '0')) & 0xff;
        }
        char first = text.charAt(0);
        // like charin: the first byte of the text; a char up to U+00FF stands for that byte (as charValue makes it)
        return first <= 0xff ? first : text.getBytes(StandardCharsets.UTF_8)[0] & 0xff;
    }

    private static String charValue(int b)
    {
        return b == 0 ? "" : String.valueOf((char) b);
    }

    private static boolean isOctal(char c)
    {
        return c >= '0' && c <= '7';
    }

    private static String vectorText(PgWireType element, Object value)
    {
        if (value instanceof String text) {
            return text;
        }
        List<String> texts = new ArrayList<>();
        for (Object item : vectorItems(value)) {
            texts.add(item instanceof String text ? text : element.encodeText(item));
        }
        return String.join(" ", texts);
    }

    private static List<?> vectorItems(Object value)
    {
        if (value instanceof String text) {
            String stripped = text.strip();
            return stripped.isEmpty() ? List.of() : Arrays.asList(stripped.split("\\s+"));
        }
        if (value instanceof List<?> list) {
            return list;
        }
        if (value instanceof Object[] array) {
            return Arrays.asList(array);
        }
        if (value instanceof short[] shorts) {
            List<Object> items = new ArrayList<>();
            for (short item : shorts) {
                items.add(item);
            }
            return items;
        }
        throw new IllegalArgumentException("not a vector value: " + value.getClass().getName());
    }

    private static void writeVector(ByteBuf out, PgWireType element, Object value)
    {
        PgArrayType.write(out, element, 0, vectorItems(value), true);
    }

    private static String parseVector(PgWireType element, String text)
    {
        List<String> texts = new ArrayList<>();
        for (Object item : vectorItems(text)) {
            texts.add(element.encodeText(element.decodeText((String) item, ZoneOffset.UTC)));
        }
        return String.join(" ", texts);
    }

    private static String readVector(PgWireType element, ByteBuf in, int length, PgCatalogType vector)
    {
        PgArrayType.Read read = PgArrayType.read(in, length, element, vector.displayName());
        List<String> texts = new ArrayList<>();
        for (Object item : read.values()) {
            if (item == null) {
                throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, vector.displayName() + " values cannot contain NULL");
            }
            texts.add(element.encodeText(item));
        }
        return String.join(" ", texts);
    }
}
