package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.Portal;

/**
 * Where one run of a statement goes: the front door's encoder (DataRow messages for the Postgres
 * wire protocol, an Avatica frame for JDBC over HTTP). {@link StatementRun} calls it from the
 * thread that runs the statement, in this order:
 * <pre>
 *   start  (isReady write)*  then one of: completed | suspended | (nothing: the run threw)
 * </pre>
 * A sink that answers {@link #isReady()} with false pauses the run; the front door continues it
 * with {@link StatementRun#proceed()} when its consumer has caught up, and the calls go on where
 * they stopped. No thread waits in between.
 */
public interface RowSink
{
    /**
     * The statement has run: a command is done, or its rows are open and follow. Writes what goes
     * before them (notices, changed settings, a description of the columns). Throwing fails the
     * statement, e.g. for a column the encoder cannot write in the format the client asked for.
     */
    void start(Portal portal);

    /**
     * Backpressure, asked before each row is read from its source: whether the sink takes another
     * row now. A sink may hand on what it has gathered while answering. False pauses the run
     * without blocking any thread.
     */
    boolean isReady();

    /** Writes one row. */
    void write(ResultRow row);

    /** The run's row limit was reached and rows remain: the portal stays open for the next run. */
    void suspended();

    /**
     * The statement is done: every row was written, or it returned none.
     *
     * @param commandTag what it did, as PostgreSQL names it ({@code SELECT 5}, {@code SET}, {@code BEGIN})
     */
    void completed(String commandTag);

    /**
     * Where rows of the portal may be kept when they are read before its next run asks for them
     * ({@link PortalReadAhead}), encoded as this sink writes them; null when this sink's rows may
     * not be read ahead (the front door does not keep rows, or their encoding depends on a session
     * setting that may change before the next run, such as TimeZone for timestamptz). Asked after
     * the run suspended.
     */
    default RowKeeper rowKeeper()
    {
        return null;
    }
}
