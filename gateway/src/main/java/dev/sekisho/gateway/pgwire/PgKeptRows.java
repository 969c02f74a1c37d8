package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.ResultRow;
import dev.sekisho.gateway.execution.RowKeeper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import static java.util.Objects.requireNonNull;

/**
 * A suspended portal's rows read ahead of its next Execute, kept as the DataRow messages its
 * {@link PgRowSink} wrote (the same bytes, so the Execute sends them on by a copy) in one buffer
 * of the connection's allocator, freed once they are all sent. Sending walks the messages' lengths
 * to find where the rows end.
 */
final class PgKeptRows
        implements RowKeeper
{
    private final PgRowSink encoder;
    private final PgOutput out;
    private final ByteBufAllocator allocator;
    /** The largest run of kept rows copied into the output at once (beyond the first row). */
    private final int batchBytes;
    private ByteBuf kept;
    private int rows;

    PgKeptRows(PgRowSink encoder, PgOutput out, ByteBufAllocator allocator, int batchBytes)
    {
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.out = requireNonNull(out, "out is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.batchBytes = batchBytes;
    }

    @Override
    public void keep(ResultRow row)
    {
        if (kept == null) {
            kept = allocator.buffer(batchBytes);
        }
        int start = kept.writerIndex();
        try {
            encoder.writeRow(kept, row);
        }
        catch (RuntimeException | Error e) {
            // nothing of a row that failed to encode stays (its bytes would be counted and never sent)
            kept.writerIndex(start);
            throw e;
        }
        rows++;
    }

    @Override
    public int rows()
    {
        return rows;
    }

    @Override
    public long bytes()
    {
        return kept == null ? 0 : kept.readableBytes();
    }

    @Override
    public int send(long maxRows)
    {
        if (rows == 0 || maxRows < 1) {
            return 0;
        }
        int start = kept.readerIndex();
        int end = start;
        int count = 0;
        // whole DataRow messages: 'D', then a length that counts itself
        while (count < rows && count < maxRows && (count == 0 || end - start < batchBytes)) {
            end += 1 + kept.getInt(end + 1);
            count++;
        }
        out.buffer().writeBytes(kept, start, end - start);
        kept.readerIndex(end);
        rows -= count;
        if (rows == 0) {
            // a portal waiting for its client holds no memory: the next rows read ahead take a buffer again
            kept.release();
            kept = null;
        }
        else {
            // rows sent are not kept for long: the buffer holds about what is kept, not all that passed through it
            kept.discardSomeReadBytes();
        }
        return count;
    }

    @Override
    public void release()
    {
        rows = 0;
        if (kept != null) {
            kept.release();
            kept = null;
        }
    }
}
