package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.planner.spi.ResultStream;

import static java.util.Objects.requireNonNull;

/**
 * The rows of a suspended portal read while the session waits for the client's next Execute (a
 * client with a fetch size reads its batch meanwhile), so that the next run answers from what is
 * ready instead of the client and the statement taking turns. Bounded: at most the rows of one
 * run (the last Execute's row count) and {@code maxBytes}, and only bytes reserved from the
 * gateway-wide {@link ReadAheadBudget} (reserved before rows are kept, given back as they are sent
 * or dropped: when it is used up, nothing is read ahead); read in small chunks between the
 * session's messages ({@link SessionWorkQueue.Worker#readAhead()}), never while a message waits.
 *
 * <p>Only rows the source has delivered already are read ({@link ResultStream#nextRowArrived()}):
 * reading ahead never waits on the source, so a message that arrives meanwhile (a Close, a Sync,
 * a Query) waits at most for the chunk's rows at hand, never for a row a slow source has not
 * produced yet. A source that cannot tell without blocking is not read ahead at all.
 *
 * <p>What a run would have seen is kept in order: the rows, then the end of the rows or the failure
 * that reading the next row raised. The next run of the portal ({@link StatementRun}) sends the
 * kept rows first, and reports the end or the failure only when it reaches that row, at the
 * Execute that PostgreSQL would report it on. A run that stops at its row count leaves the rest
 * kept for the run after it. If the portal closes first (Close, the end of its transaction, the
 * session's end), the kept rows are dropped with it ({@link #release()}).
 *
 * <p>When the source has not delivered the next row yet, reading stops for now and
 * {@link #waitForSourceNanos()} says when to look again: 50 µs, doubling at each look that finds
 * nothing new, up to 8 looks (about 13 ms in all); a look that finds rows starts over at 50 µs.
 * A source that keeps the session waiting longer is not looked at again until the portal's next
 * run, so a quiet source costs a few wake-ups per suspension, not a steady poll.
 *
 * <p>Reading ahead stops for the rest of the wait once a chunk's rows took over 20 ms to come,
 * looked at every 8 rows (a source that produces rows slowly gains little from it and would hold up
 * the session's next message).
 * Used by the session's thread only.
 */
public final class PortalReadAhead
{
    /** Rows read per call of {@link #readSome()}: the session's next message waits for at most this many. */
    static final int CHUNK_ROWS = 128;
    /** A chunk that took longer than this stops the reading ahead until the portal's next run. */
    private static final long SLOW_CHUNK_NANOS = 20_000_000;
    /** The time is looked at after every 8th row of a chunk: a message waits for at most about 20 ms of rows at hand. */
    private static final int SLOW_CHECK_MASK = 7;
    /** The first pause before looking again for rows the source had not delivered. */
    static final long FIRST_SOURCE_WAIT_NANOS = 50_000;
    /** Looks in a row that find nothing new before reading stops until the portal's next run. */
    static final int MAX_SOURCE_WAITS = 8;
    /** Bytes reserved from the budget at a time (or what is left of {@code maxBytes}): a few reservations per batch, not one per row. */
    static final long RESERVE_BYTES = 64 * 1024;

    private final Portal portal;
    private final Session session;
    private final RowKeeper kept;
    private final long maxBytes;
    private final ReadAheadBudget budget;
    private final ResultRow row;
    /** Bytes reserved from the budget: at least what is kept, while rows are read; exactly what is kept between reads. */
    private long reserved;
    /** The rows of one run: the last run's row count. */
    private long maxRows;
    private boolean ended;
    private Throwable failure;
    /** Reading stopped until the next run (a slow chunk). */
    private boolean stopped;
    /** The last read stopped because the source had not delivered the next row. */
    private boolean waitingForSource;
    /** Looks in a row that found no delivered row (reset by one that reads a row, and by the next run). */
    private int emptyLooks;

    PortalReadAhead(Portal portal, Session session, RowKeeper kept, long maxBytes, ReadAheadBudget budget)
    {
        this.budget = requireNonNull(budget, "budget is null");
        this.portal = requireNonNull(portal, "portal is null");
        this.session = requireNonNull(session, "session is null");
        this.kept = requireNonNull(kept, "kept is null");
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.row = new StreamRow(portal.stream());
    }

    /** The portal's run suspended after {@code runRows} rows: read at most as many ahead for the next run. */
    void suspendedAfter(long runRows)
    {
        maxRows = runRows;
        stopped = false;
        emptyLooks = 0;
    }

    /**
     * After {@link #readSome()} returned false: in how many nanoseconds to call it again, because
     * it stopped only for a row the source had not delivered yet; 0 when it has nothing to do until
     * the portal's next run (the bounds are reached, the rows ended or failed, the source kept it
     * waiting {@link #MAX_SOURCE_WAITS} times in a row).
     */
    public long waitForSourceNanos()
    {
        if (!waitingForSource || stopped || ended || failure != null || emptyLooks >= MAX_SOURCE_WAITS || !portal.isOpen()) {
            return 0;
        }
        return FIRST_SOURCE_WAIT_NANOS << emptyLooks;
    }

    /** Whether these are the rows of {@code portal} (not of a portal that closed and had the same name). */
    public boolean isFor(Portal portal)
    {
        return this.portal == portal;
    }

    /** Whether the portal closed: what is kept will never be sent (release it). */
    public boolean isPortalClosed()
    {
        return !portal.isOpen();
    }

    /**
     * Reads up to {@link #CHUNK_ROWS} rows ahead. A failure to read or encode a row is kept for the
     * run that reaches it, not thrown.
     *
     * @return whether to call again: rows are left to read within the bounds
     */
    public boolean readSome()
    {
        waitingForSource = false;
        if (ended || failure != null || stopped || !portal.isOpen()) {
            return false;
        }
        ResultStream rows = portal.stream();
        long started = budget.nanoTime();
        // a cancel for a message that arrives meanwhile reaches this read
        session.readingAhead(portal);
        try {
            for (int i = 0; i < CHUNK_ROWS; i++) {
                if (kept.rows() >= maxRows || kept.bytes() >= maxBytes) {
                    return false;
                }
                if (kept.bytes() >= reserved && !reserveMore()) {
                    // the gateway's budget is used up: no reading ahead now (the next Execute reads from the source)
                    return false;
                }
                if (!rows.nextRowArrived()) {
                    // the source has not delivered the next row: reading it would wait for the source
                    waitingForSource = true;
                    emptyLooks = i == 0 ? emptyLooks + 1 : 0;
                    return false;
                }
                try {
                    if (!rows.next()) {
                        ended = true;
                        return false;
                    }
                    kept.keep(row);
                }
                catch (RuntimeException | Error e) {
                    StatementFailures.rethrowIfFatal(e);
                    failure = e;
                    return false;
                }
                finally {
                    // a row longer than what was left of the reservation is counted all the same
                    long keptBytes = kept.bytes();
                    if (keptBytes > reserved) {
                        budget.reserveKept(keptBytes - reserved);
                        reserved = keptBytes;
                    }
                }
                if ((i & SLOW_CHECK_MASK) == SLOW_CHECK_MASK && budget.nanoTime() - started > SLOW_CHUNK_NANOS) {
                    stopped = true;
                    return false;
                }
            }
        }
        finally {
            session.readingAhead(null);
            // what was reserved and not filled goes back: between reads a portal holds what it keeps
            releaseDownTo(kept.bytes());
        }
        return true;
    }

    /** Reserves the next bytes from the budget; false when it has none left. */
    private boolean reserveMore()
    {
        long bytes = Math.min(RESERVE_BYTES, maxBytes - reserved);
        if (bytes <= 0 || !budget.tryReserve(bytes)) {
            return false;
        }
        reserved += bytes;
        return true;
    }

    /** Gives back to the budget what is reserved beyond {@code bytes}. */
    private void releaseDownTo(long bytes)
    {
        if (reserved > bytes) {
            budget.release(reserved - bytes);
            reserved = bytes;
        }
    }

    /** Whether kept rows wait to be sent. */
    boolean holdsRows()
    {
        return kept.rows() > 0;
    }

    /** Sends up to {@code maxRows} kept rows on (see {@link RowKeeper#send}); returns how many. */
    int send(long maxRows)
    {
        int sent = kept.send(maxRows);
        releaseDownTo(kept.bytes());
        return sent;
    }

    /** Whether reading ahead reached the end of the rows (report it once the kept rows are sent). */
    boolean hasEnded()
    {
        return ended;
    }

    /** Throws what reading the row after the kept ones raised, if anything did. */
    void throwFailure()
    {
        Throwable raised = failure;
        if (raised instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (raised instanceof Error error) {
            throw error;
        }
    }

    /** Frees the kept rows and gives their bytes back to the budget; may be called more than once. */
    public void release()
    {
        kept.release();
        releaseDownTo(0);
    }
}
