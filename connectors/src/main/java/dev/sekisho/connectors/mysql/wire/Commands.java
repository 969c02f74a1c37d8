package dev.sekisho.connectors.mysql.wire;

import dev.sekisho.planner.spi.ColumnType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The command packets' payloads: COM_QUIT, COM_QUERY, COM_STMT_PREPARE, COM_STMT_EXECUTE and COM_STMT_CLOSE.
 * A parameter goes with the MySQL type and encoding Connector/J's server-side prepared statement
 * gives the setter {@code JdbcParameters.bind} uses for its kind (so comparisons and collations
 * behave the same): {@code setBoolean} TINY, {@code setShort} SHORT, {@code setInt} LONG,
 * {@code setLong} LONGLONG, {@code setBigDecimal} NEWDECIMAL (its plain text), {@code setString}
 * VAR_STRING (UTF-8, {@code characterEncoding}), {@code setNull} NULL.
 */
final class Commands
{
    static final int COM_QUIT = 0x01;
    static final int COM_QUERY = 0x03;
    static final int COM_STMT_PREPARE = 0x16;
    static final int COM_STMT_EXECUTE = 0x17;
    static final int COM_STMT_CLOSE = 0x19;

    private Commands() {}

    static byte[] quit()
    {
        return new byte[] {COM_QUIT};
    }

    static byte[] query(String sql)
    {
        return new Packets.Writer().u8(COM_QUERY).bytes(sql.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    static byte[] prepare(String sql)
    {
        return new Packets.Writer().u8(COM_STMT_PREPARE).bytes(sql.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    static byte[] close(long statementId)
    {
        return new Packets.Writer().u8(COM_STMT_CLOSE).u32(statementId).toByteArray();
    }

    /** Whether {@link #execute} encodes parameters of {@code kind}. */
    static boolean encodes(ColumnType.Kind kind)
    {
        return switch (kind) {
            case BOOLEAN, SMALLINT, INTEGER, BIGINT, DECIMAL, CHAR, VARCHAR, TEXT -> true;
            default -> false;
        };
    }

    /**
     * COM_STMT_EXECUTE without a cursor, the parameters' types sent every time.
     *
     * @throws WireProtocolException when a value's class does not fit its kind (the JDBC path reports that)
     */
    static byte[] execute(long statementId, List<Object> values, List<ColumnType> types)
            throws WireProtocolException
    {
        Packets.Writer writer = new Packets.Writer().u8(COM_STMT_EXECUTE).u32(statementId).u8(0).u32(1);
        int count = values.size();
        if (count == 0) {
            return writer.toByteArray();
        }
        byte[] nulls = new byte[(count + 7) / 8];
        for (int i = 0; i < count; i++) {
            if (values.get(i) == null) {
                nulls[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        writer.bytes(nulls).u8(1);
        for (int i = 0; i < count; i++) {
            writer.u8(values.get(i) == null ? ColumnDefinition.TYPE_NULL : typeOf(types.get(i).kind())).u8(0);
        }
        for (int i = 0; i < count; i++) {
            Object value = values.get(i);
            if (value != null) {
                encode(writer, value, types.get(i).kind());
            }
        }
        return writer.toByteArray();
    }

    private static int typeOf(ColumnType.Kind kind)
            throws WireProtocolException
    {
        return switch (kind) {
            case BOOLEAN -> ColumnDefinition.TYPE_TINY;
            case SMALLINT -> ColumnDefinition.TYPE_SHORT;
            case INTEGER -> ColumnDefinition.TYPE_LONG;
            case BIGINT -> ColumnDefinition.TYPE_LONGLONG;
            case DECIMAL -> ColumnDefinition.TYPE_NEWDECIMAL;
            case CHAR, VARCHAR, TEXT -> ColumnDefinition.TYPE_VAR_STRING;
            default -> throw new WireProtocolException("no binary encoding for a " + kind + " parameter");
        };
    }

    private static void encode(Packets.Writer writer, Object value, ColumnType.Kind kind)
            throws WireProtocolException
    {
        switch (kind) {
            case BOOLEAN -> {
                if (!(value instanceof Boolean bool)) {
                    throw mismatch(kind, value);
                }
                writer.u8(bool ? 1 : 0);
            }
            case SMALLINT -> writer.u16(number(kind, value).shortValue());
            case INTEGER -> writer.u32(number(kind, value).intValue());
            case BIGINT -> writer.u64(number(kind, value).longValue());
            case DECIMAL -> {
                BigDecimal decimal = value instanceof BigDecimal exact ? exact : new BigDecimal(number(kind, value).toString());
                writer.lengthEncodedBytes(decimal.toPlainString().getBytes(StandardCharsets.US_ASCII));
            }
            case CHAR, VARCHAR, TEXT -> {
                if (!(value instanceof String text)) {
                    throw mismatch(kind, value);
                }
                writer.lengthEncodedBytes(text.getBytes(StandardCharsets.UTF_8));
            }
            default -> throw new WireProtocolException("no binary encoding for a " + kind + " parameter");
        }
    }

    private static Number number(ColumnType.Kind kind, Object value)
            throws WireProtocolException
    {
        if (!(value instanceof Number number)) {
            throw mismatch(kind, value);
        }
        return number;
    }

    private static WireProtocolException mismatch(ColumnType.Kind kind, Object value)
    {
        return new WireProtocolException("a " + kind + " parameter's value is a " + value.getClass().getSimpleName());
    }
}
