package dev.sekisho.gateway.execution;

/**
 * Rows of a suspended portal read before its next run asked for them, kept encoded as the front
 * door's {@link RowSink} writes them (for the Postgres wire protocol, DataRow messages), so that the
 * next run sends them on by a copy. Made by {@link RowSink#rowKeeper()}; used by one thread at a
 * time (the session's), like the sink.
 */
public interface RowKeeper
{
    /** Encodes and keeps one row; throwing keeps nothing of it. */
    void keep(ResultRow row);

    /** How many rows are kept and not sent yet. */
    int rows();

    /** How many bytes the kept rows take. */
    long bytes();

    /**
     * Sends the first kept rows on, in order, into the output of the run that writes to it now:
     * at most {@code maxRows} (at least one) and, beyond the first, no more than about one batch
     * of bytes, so that the run's backpressure check comes between batches.
     *
     * @return how many rows were sent
     */
    int send(long maxRows);

    /** Frees what is kept (the portal closed, or the session ended); nothing is sent after it. */
    void release();
}
