package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.ResultRow;
import dev.sekisho.gateway.execution.RowKeeper;
import dev.sekisho.gateway.execution.RowSink;
import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FormatCodes;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.types.PgType;
import dev.sekisho.gateway.pgwire.types.PgTypes;
import dev.sekisho.gateway.pgwire.types.PgWireType;
import dev.sekisho.gateway.session.Notice;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.SessionSettings;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One statement's output as backend messages: NoticeResponse and ParameterStatus first (and, in a
 * simple Query, the RowDescription), then a DataRow per row, then CommandComplete or
 * PortalSuspended (an Execute of an empty statement gets EmptyQueryResponse instead). Rows are
 * encoded into batches of about {@code flushBytes}; when the channel is above its high water mark
 * the sink is not ready, and the statement pauses without blocking any thread until the channel is
 * writable again.
 */
final class PgRowSink
        implements RowSink
{
    /** The largest array kept for putting the next source-text row together. */
    private static final int MAX_KEPT_ROW_BYTES = 64 * 1024;
    /** The largest array a row is put together in at once; a larger row is copied value by value. */
    private static final int MAX_ROW_ARRAY = 64 * 1024 * 1024;

    private final PgOutput out;
    private final SessionSettings settings;
    /** A simple Query's statement: a RowDescription goes before the rows (an Execute's client described the portal before). */
    private final boolean simpleQuery;
    /** Whether the statement pauses when the channel is above its high water mark (not for a bounded result answered on the event loop). */
    private final boolean pauses;
    /** The connection's last column encodings (a statement run again is not looked up again). */
    private final PgColumnEncodings.Memo encodings;
    private boolean emptyQuery;
    private PgWireType[] types;
    private boolean[] binary;
    private boolean[] zoned;
    /** Per column, whether the source's text is the DataRow's bytes; worked out at the first row. */
    private boolean[] sourceText;
    /** Whether every column's source text is its DataRow bytes: rows are put together in {@link #rowBytes}. */
    private boolean allSourceText;
    /** The DataRow being put together when every column is source text (grows for a wide row). */
    private byte[] rowBytes;
    private ZoneId zone;

    private PgRowSink(PgOutput out, SessionSettings settings, boolean simpleQuery, boolean pauses, PgColumnEncodings.Memo encodings)
    {
        this.encodings = requireNonNull(encodings, "encodings is null");
        this.out = requireNonNull(out, "out is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.simpleQuery = simpleQuery;
        this.pauses = pauses;
    }

    /** For an Execute message. */
    static PgRowSink forExecute(PgOutput out, SessionSettings settings, PgColumnEncodings.Memo encodings)
    {
        return new PgRowSink(out, settings, false, true, encodings);
    }

    /**
     * For an Execute answered on the event loop from a small cached result: it never pauses (a
     * paused statement would have to go on on a worker); the result's size is bounded instead
     * ({@link dev.sekisho.gateway.execution.ClientSession#MAX_ANSWER_BYTES}).
     */
    static PgRowSink forExecuteWithoutPausing(PgOutput out, SessionSettings settings, PgColumnEncodings.Memo encodings)
    {
        return new PgRowSink(out, settings, false, false, encodings);
    }

    /** For a simple Query answered on the event loop (see {@link #forExecuteWithoutPausing}). */
    static PgRowSink forSimpleQueryWithoutPausing(PgOutput out, SessionSettings settings, PgColumnEncodings.Memo encodings)
    {
        return new PgRowSink(out, settings, true, false, encodings);
    }

    /** For one statement of a simple Query. */
    static PgRowSink forSimpleQuery(PgOutput out, SessionSettings settings, PgColumnEncodings.Memo encodings)
    {
        return new PgRowSink(out, settings, true, true, encodings);
    }

    @Override
    public void start(Portal portal)
    {
        if (!simpleQuery && portal.isEmptyQuery()) {
            BackendMessages.emptyQueryResponse(out.buffer());
            emptyQuery = true;
            return;
        }
        for (Notice notice : portal.notices()) {
            BackendMessages.noticeResponse(out.buffer(), PgError.warning(notice.sqlState(), notice.message()));
        }
        for (Map.Entry<String, String> change : portal.parameterChanges().entrySet()) {
            BackendMessages.parameterStatus(out.buffer(), change.getKey(), change.getValue());
        }
        if (!portal.returnsRows() || portal.isExhausted()) {
            return;
        }
        List<ResultColumn> columns = portal.columns().orElseThrow();
        if (simpleQuery) {
            writeRowDescription(out.buffer(), columns, portal.resultFormats());
        }
        // shared with the connection's other statements of these columns: read here, never written
        PgColumnEncodings encoding = encodings.of(columns, portal.resultFormats());
        types = encoding.types;
        binary = encoding.binary;
        zoned = encoding.zoned;
        zone = settings.timeZone();
    }

    /** RowDescription for {@code columns} in {@code formats}, or NoData when there are no columns (null). */
    static void writeRowDescription(ByteBuf buffer, List<ResultColumn> columns, List<Integer> formats)
    {
        if (columns == null) {
            BackendMessages.noData(buffer);
            return;
        }
        int start = BackendMessages.beginRowDescription(buffer, columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ResultColumn column = columns.get(i);
            PgWireType type = PgTypes.of(column);
            BackendMessages.rowDescriptionField(buffer, column.name(), 0, 0, type.oid(), type.typlen(), PgTypes.typmod(column), FormatCodes.format(formats, i));
        }
        BackendMessages.end(buffer, start);
    }

    @Override
    public boolean isReady()
    {
        return !(out.flushIfFull() && pauses && !out.isWritable());
    }

    @Override
    public void write(ResultRow row)
    {
        writeRow(out.buffer(), row);
    }

    /** Writes {@code row} as a DataRow into {@code buffer}; on failure nothing of it stays there. */
    void writeRow(ByteBuf buffer, ResultRow row)
    {
        int rowStart = buffer.writerIndex();
        try {
            writeRow(buffer, row, types.length);
        }
        catch (RuntimeException | Error e) {
            // no half-written DataRow before the ErrorResponse
            buffer.writerIndex(rowStart);
            throw e;
        }
    }

    /**
     * Rows read ahead of the portal's next Execute are kept as this sink encodes them, unless a
     * column's text depends on a setting that may change before that Execute (timestamptz: TimeZone).
     */
    @Override
    public RowKeeper rowKeeper()
    {
        if (types == null) {
            return null;
        }
        for (boolean zone : zoned) {
            if (zone) {
                return null;
            }
        }
        return new PgKeptRows(this, out, out.allocator(), out.flushBytes());
    }

    @Override
    public void suspended()
    {
        BackendMessages.portalSuspended(out.buffer());
    }

    @Override
    public void completed(String commandTag)
    {
        if (!emptyQuery) {
            BackendMessages.commandComplete(out.buffer(), commandTag);
        }
    }

    /**
     * Whether a column's text-format output is {@code String.valueOf(value)} in UTF-8 (integers and
     * strings), so that the source's text of the value, where it has it, is the column's bytes.
     */
    private static boolean writesValueText(PgWireType type)
    {
        return type == PgType.INT2 || type == PgType.INT4 || type == PgType.INT8 || type == PgType.TEXT || type == PgType.VARCHAR;
    }

    private void writeRow(ByteBuf buffer, ResultRow row, int columnCount)
    {
        if (sourceText == null) {
            sourceText = new boolean[columnCount];
            allSourceText = columnCount > 0;
            for (int i = 0; i < columnCount; i++) {
                sourceText[i] = !binary[i] && writesValueText(types[i]) && row.hasText(i);
                allSourceText &= sourceText[i];
            }
        }
        if (allSourceText && writeSourceTextRow(buffer, row, columnCount)) {
            return;
        }
        int start = BackendMessages.beginDataRow(buffer, columnCount);
        for (int i = 0; i < columnCount; i++) {
            if (sourceText[i]) {
                int length = row.textLength(i);
                if (length >= 0) {
                    // copied through the kept array (not in use here), never into an array of its own
                    byte[] scratch = rowBytes == null || rowBytes.length < length ? new byte[Math.max(length, 256)] : rowBytes;
                    row.copyText(i, scratch, 0);
                    buffer.writeInt(length);
                    buffer.writeBytes(scratch, 0, length);
                    rowBytes = scratch.length <= MAX_KEPT_ROW_BYTES ? scratch : rowBytes;
                    continue;
                }
            }
            Object value = row.value(i);
            if (value == null) {
                BackendMessages.dataRowNull(buffer);
                continue;
            }
            if (binary[i]) {
                int lengthIndex = buffer.writerIndex();
                buffer.writeInt(0);
                types[i].writeBinary(buffer, value);
                buffer.setInt(lengthIndex, buffer.writerIndex() - lengthIndex - 4);
            }
            else if (value instanceof String text && types[i] instanceof PgType) {
                BackendMessages.dataRowText(buffer, text);
            }
            else {
                if (zoned[i] && value instanceof OffsetDateTime timestamp) {
                    value = timestamp.atZoneSameInstant(zone).toOffsetDateTime();
                }
                BackendMessages.dataRowText(buffer, types[i].encodeText(value));
            }
        }
        BackendMessages.end(buffer, start);
    }

    /**
     * A row whose every value is the source's text or NULL (a long scan of integers and strings):
     * the DataRow is put together in an array and copied into the buffer once, where a write per
     * value into the pooled buffer costs a bounds-checked copy each. The bytes are those of the
     * general path ({@code 'D'}, length, column count, then each value's length and bytes, -1 for
     * NULL). False, with nothing written, when a value is neither (its text is not exactly the
     * value's), so that the general path writes the row.
     */
    private boolean writeSourceTextRow(ByteBuf buffer, ResultRow row, int columnCount)
    {
        byte[] bytes = rowBytes == null ? new byte[256] : rowBytes;
        int position = row.copyTextRow(bytes, 7);
        while (position == -2) {
            // the row is larger than the array: a larger one, as large as a row can be
            if (bytes.length >= MAX_ROW_ARRAY) {
                position = -1;
                break;
            }
            bytes = Arrays.copyOf(bytes, (int) Math.min(MAX_ROW_ARRAY, 2L * bytes.length));
            position = row.copyTextRow(bytes, 7);
        }
        if (position >= 0) {
            return finishSourceTextRow(buffer, bytes, position, columnCount);
        }
        position = 7;
        for (int i = 0; i < columnCount; i++) {
            int length = row.textLength(i);
            if (length < 0) {
                if (row.value(i) != null) {
                    return false;
                }
                length = -1;
            }
            int needed = position + 4 + Math.max(length, 0);
            if (needed > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(needed, 2 * bytes.length));
            }
            putInt(bytes, position, length);
            position += 4;
            if (length > 0) {
                row.copyText(i, bytes, position);
                position += length;
            }
        }
        return finishSourceTextRow(buffer, bytes, position, columnCount);
    }

    private boolean finishSourceTextRow(ByteBuf buffer, byte[] bytes, int position, int columnCount)
    {
        bytes[0] = 'D';
        putInt(bytes, 1, position - 1);
        bytes[5] = (byte) (columnCount >>> 8);
        bytes[6] = (byte) columnCount;
        buffer.writeBytes(bytes, 0, position);
        // a very wide row's array is not kept for the rows after it
        rowBytes = bytes.length <= MAX_KEPT_ROW_BYTES ? bytes : null;
        return true;
    }

    private static void putInt(byte[] bytes, int index, int value)
    {
        bytes[index] = (byte) (value >>> 24);
        bytes[index + 1] = (byte) (value >>> 16);
        bytes[index + 2] = (byte) (value >>> 8);
        bytes[index + 3] = (byte) value;
    }
}
