package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FormatCodes;
import dev.sekisho.gateway.pgwire.types.PgType;
import dev.sekisho.gateway.pgwire.types.PgTypes;
import dev.sekisho.gateway.pgwire.types.PgWireType;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Streams a portal's rows as DataRow messages with backpressure: rows are encoded into batches of
 * about {@code flushBytes}; when the channel is above its high water mark the streamer stops with
 * {@link Outcome#PAUSED} (without blocking any thread), and {@link #run()} continues where it left
 * off once the channel is writable again.
 */
final class RowStreamer
{
    /** How a run ended. */
    enum Outcome
    {
        /** No more rows: the portal is exhausted. */
        COMPLETED,
        /** The Execute's row limit was reached; the portal stays open. */
        SUSPENDED,
        /** The client is not reading fast enough; call {@link #run()} again when the channel is writable. */
        PAUSED
    }

    private final Session session;
    private final Portal portal;
    private final long maxRows;
    private final PgOutput out;
    private final PgWireType[] types;
    private final boolean[] binary;
    private final boolean[] zoned;
    private final ZoneId zone;
    private long sent;

    RowStreamer(Session session, Portal portal, long maxRows, PgOutput out)
    {
        this.session = requireNonNull(session, "session is null");
        this.portal = requireNonNull(portal, "portal is null");
        this.maxRows = maxRows;
        this.out = requireNonNull(out, "out is null");
        List<ResultColumn> columns = portal.columns().orElseThrow();
        this.types = new PgWireType[columns.size()];
        this.binary = new boolean[columns.size()];
        this.zoned = new boolean[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            types[i] = PgTypes.of(columns.get(i));
            binary[i] = FormatCodes.format(portal.resultFormats(), i) == FormatCodes.BINARY;
            zoned[i] = types[i] == PgType.TIMESTAMPTZ;
            if (binary[i] && !types[i].hasBinary()) {
                throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "no binary output function available for type " + types[i].displayName()
                        + " (column \"" + columns.get(i).name() + "\"); request text format for this column");
            }
        }
        this.zone = session.settings().timeZone();
    }

    /** Rows sent by this streamer so far. */
    long sent()
    {
        return sent;
    }

    Outcome run()
    {
        ResultStream stream = portal.stream();
        int columnCount = types.length;
        while (maxRows <= 0 || sent < maxRows) {
            if (out.flushIfFull() && !out.isWritable()) {
                return Outcome.PAUSED;
            }
            if (!stream.next()) {
                session.completed(portal);
                return Outcome.COMPLETED;
            }
            ByteBuf buffer = out.buffer();
            int rowStart = buffer.writerIndex();
            try {
                writeRow(buffer, stream, columnCount);
            }
            catch (RuntimeException e) {
                // no half-written DataRow before the ErrorResponse
                buffer.writerIndex(rowStart);
                throw e;
            }
            sent++;
        }
        return Outcome.SUSPENDED;
    }

    private void writeRow(ByteBuf buffer, ResultStream stream, int columnCount)
    {
        int start = BackendMessages.beginDataRow(buffer, columnCount);
        for (int i = 0; i < columnCount; i++) {
            Object value = stream.value(i);
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
}
