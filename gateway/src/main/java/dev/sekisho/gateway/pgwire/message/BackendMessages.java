package dev.sekisho.gateway.pgwire.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Writes backend messages into a buffer, one method per message; each method's Javadoc shows the
 * wire layout. {@code str} is a NUL-terminated UTF-8 string; lengths include themselves but not the
 * type byte.
 */
public final class BackendMessages
{
    private BackendMessages() {}

    /** {@code 'N'}: the single-byte answer to SSLRequest and GSSENCRequest ("not supported"). */
    public static void encryptionRefused(ByteBuf out)
    {
        out.writeByte('N');
    }

    /** {@code 'R' | int32 8 | int32 0}. */
    public static void authenticationOk(ByteBuf out)
    {
        out.writeByte('R').writeInt(8).writeInt(0);
    }

    /** {@code 'R' | int32 len | int32 10 | (str mechanism)* | 0}. */
    public static void authenticationSasl(ByteBuf out, List<String> mechanisms)
    {
        int start = begin(out, 'R');
        out.writeInt(10);
        for (String mechanism : mechanisms) {
            writeString(out, mechanism);
        }
        out.writeByte(0);
        end(out, start);
    }

    /** {@code 'R' | int32 len | int32 11 | byte[] server-first-message}. */
    public static void authenticationSaslContinue(ByteBuf out, byte[] data)
    {
        out.writeByte('R').writeInt(8 + data.length).writeInt(11).writeBytes(data);
    }

    /** {@code 'R' | int32 len | int32 12 | byte[] server-final-message}. */
    public static void authenticationSaslFinal(ByteBuf out, byte[] data)
    {
        out.writeByte('R').writeInt(8 + data.length).writeInt(12).writeBytes(data);
    }

    /** {@code 'S' | int32 len | str name | str value}. */
    public static void parameterStatus(ByteBuf out, String name, String value)
    {
        int start = begin(out, 'S');
        writeString(out, name);
        writeString(out, value);
        end(out, start);
    }

    /** {@code 'K' | int32 12 | int32 pid | int32 secret}. */
    public static void backendKeyData(ByteBuf out, int processId, int secretKey)
    {
        out.writeByte('K').writeInt(12).writeInt(processId).writeInt(secretKey);
    }

    /** {@code 'v' | int32 len | int32 newest-minor | int32 n | (str option)[n]}. */
    public static void negotiateProtocolVersion(ByteBuf out, int newestMinor, List<String> unrecognizedOptions)
    {
        int start = begin(out, 'v');
        out.writeInt(newestMinor);
        out.writeInt(unrecognizedOptions.size());
        for (String option : unrecognizedOptions) {
            writeString(out, option);
        }
        end(out, start);
    }

    /** {@code 'Z' | int32 5 | byte status}: 'I' idle, 'T' in a transaction block, 'E' in a failed one. */
    public static void readyForQuery(ByteBuf out, char transactionStatus)
    {
        out.writeByte('Z').writeInt(5).writeByte(transactionStatus);
    }

    /**
     * {@code 'T' | int32 len | int16 n | (str name | int32 tableOid | int16 attnum | int32 typeOid |
     * int16 typlen | int32 typmod | int16 format)[n]}.
     */
    public static void rowDescription(ByteBuf out, List<FieldDescription> fields)
    {
        int start = beginRowDescription(out, fields.size());
        for (FieldDescription field : fields) {
            rowDescriptionField(out, field.name(), field.tableOid(), field.attributeNumber(), field.typeOid(), field.typlen(), field.typmod(), field.format());
        }
        end(out, start);
    }

    /**
     * Starts a RowDescription of {@code fieldCount} fields: write each with
     * {@link #rowDescriptionField}, then call {@link #end(ByteBuf, int)} with the returned index
     * (a Describe per call, as a literal statement's client sends it, then needs no record per field).
     */
    public static int beginRowDescription(ByteBuf out, int fieldCount)
    {
        int start = begin(out, 'T');
        out.writeShort(fieldCount);
        return start;
    }

    /** One field of a RowDescription begun with {@link #beginRowDescription}: what {@link FieldDescription} holds. */
    public static void rowDescriptionField(ByteBuf out, String name, int tableOid, int attributeNumber, int typeOid, int typlen, int typmod, int format)
    {
        writeString(out, name);
        out.writeInt(tableOid);
        out.writeShort(attributeNumber);
        out.writeInt(typeOid);
        out.writeShort(typlen);
        out.writeInt(typmod);
        out.writeShort(format);
    }

    /**
     * Starts {@code 'D' | int32 len | int16 n | (int32 len | byte[len])[n]} (length -1 = NULL);
     * write the columns, then call {@link #end(ByteBuf, int)} with the returned index.
     */
    public static int beginDataRow(ByteBuf out, int columnCount)
    {
        int start = begin(out, 'D');
        out.writeShort(columnCount);
        return start;
    }

    /** Writes one column of a DataRow as UTF-8 text. */
    public static void dataRowText(ByteBuf out, CharSequence value)
    {
        int lengthIndex = out.writerIndex();
        out.writeInt(0);
        int written = ByteBufUtil.writeUtf8(out, value);
        out.setInt(lengthIndex, written);
    }

    /** Writes one column of a DataRow whose bytes are ready (text already in UTF-8, or binary). */
    public static void dataRowBytes(ByteBuf out, byte[] value)
    {
        out.writeInt(value.length);
        out.writeBytes(value);
    }

    /** Writes a NULL column of a DataRow. */
    public static void dataRowNull(ByteBuf out)
    {
        out.writeInt(-1);
    }

    /** {@code 'C' | int32 len | str tag}, e.g. {@code SELECT 5}, {@code SET}, {@code BEGIN}. */
    public static void commandComplete(ByteBuf out, String tag)
    {
        int start = begin(out, 'C');
        writeString(out, tag);
        end(out, start);
    }

    /** {@code 'I' | int32 4}. */
    public static void emptyQueryResponse(ByteBuf out)
    {
        out.writeByte('I').writeInt(4);
    }

    /**
     * {@code 'E' | int32 len | (byte code | str value)* | 0} with fields S (severity), V (severity,
     * not localized), C (SQLSTATE), M (message), and when present D (detail), H (hint), P (position).
     */
    public static void errorResponse(ByteBuf out, PgError error)
    {
        writeFields(out, 'E', error);
    }

    /** {@code 'N' | int32 len | (byte code | str value)* | 0}: same fields as ErrorResponse. */
    public static void noticeResponse(ByteBuf out, PgError notice)
    {
        writeFields(out, 'N', notice);
    }

    /** {@code '1' | int32 4}. */
    public static void parseComplete(ByteBuf out)
    {
        out.writeByte('1').writeInt(4);
    }

    /** {@code '2' | int32 4}. */
    public static void bindComplete(ByteBuf out)
    {
        out.writeByte('2').writeInt(4);
    }

    /** {@code '3' | int32 4}. */
    public static void closeComplete(ByteBuf out)
    {
        out.writeByte('3').writeInt(4);
    }

    /** {@code 'n' | int32 4}: the statement or portal returns no rows. */
    public static void noData(ByteBuf out)
    {
        out.writeByte('n').writeInt(4);
    }

    /** {@code 't' | int32 len | int16 n | int32 oid[n]}. */
    public static void parameterDescription(ByteBuf out, List<Integer> typeOids)
    {
        out.writeByte('t').writeInt(6 + 4 * typeOids.size()).writeShort(typeOids.size());
        for (int oid : typeOids) {
            out.writeInt(oid);
        }
    }

    /** {@code 's' | int32 4}: Execute reached its row limit; the portal can be executed again. */
    public static void portalSuspended(ByteBuf out)
    {
        out.writeByte('s').writeInt(4);
    }

    private static void writeFields(ByteBuf out, char type, PgError error)
    {
        int start = begin(out, type);
        writeField(out, 'S', error.severity().name());
        writeField(out, 'V', error.severity().name());
        writeField(out, 'C', error.sqlState());
        writeField(out, 'M', error.message());
        if (error.detail() != null) {
            writeField(out, 'D', error.detail());
        }
        if (error.hint() != null) {
            writeField(out, 'H', error.hint());
        }
        if (error.position() > 0) {
            writeField(out, 'P', Integer.toString(error.position()));
        }
        out.writeByte(0);
        end(out, start);
    }

    private static void writeField(ByteBuf out, char code, String value)
    {
        out.writeByte(code);
        writeString(out, value);
    }

    private static int begin(ByteBuf out, char type)
    {
        out.writeByte(type);
        int start = out.writerIndex();
        out.writeInt(0);
        return start;
    }

    /** Fills in the length word of a message started at {@code start}. */
    public static void end(ByteBuf out, int start)
    {
        out.setInt(start, out.writerIndex() - start);
    }

    private static void writeString(ByteBuf out, String value)
    {
        // a NUL inside would end the string early on the client side
        ByteBufUtil.writeUtf8(out, value.indexOf('\0') < 0 ? value : value.replace('\0', ' '));
        out.writeByte(0);
    }

    /**
     * One column of a RowDescription.
     *
     * @param format 0 text, 1 binary
     */
    public record FieldDescription(String name, int tableOid, int attributeNumber, int typeOid, int typlen, int typmod, int format) {}
}
