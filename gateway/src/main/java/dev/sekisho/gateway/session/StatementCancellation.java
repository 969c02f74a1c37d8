package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

/**
 * What a CancelRequest may cancel, and when. A front door brackets each message that runs
 * statements with {@link #statementStarted()} and {@link #statementFinished()}; inside that bracket
 * a cancel reaches the statement at its sources ({@link #activate}), or, while none is there yet
 * (planning, or between the statements of one Query), waits for the next one that gets there.
 * Outside it a cancel does nothing, as in PostgreSQL. Thread-safe.
 */
final class StatementCancellation
{
    static final String USER_CANCEL = "canceling statement due to user request";

    private final Object lock = new Object();
    // guarded by lock
    private boolean statementActive;
    private boolean cancelPending;
    private SessionExecutionContext activeContext;

    /** A message that runs statements starts: from now on a cancel counts. */
    void statementStarted()
    {
        synchronized (lock) {
            statementActive = true;
            cancelPending = false;
            activeContext = null;
        }
    }

    /** The message that {@link #statementStarted()} announced is done; later cancels do nothing. */
    void statementFinished()
    {
        synchronized (lock) {
            statementActive = false;
            cancelPending = false;
            activeContext = null;
        }
    }

    /**
     * Cancels the statement running now: its work at the sources, or, if it has not reached them
     * yet, as soon as it does.
     *
     * @return whether a statement was running
     */
    boolean cancel()
    {
        SessionExecutionContext context;
        synchronized (lock) {
            if (!statementActive) {
                return false;
            }
            context = activeContext;
            if (context == null) {
                // not at the source yet (planning, or between statements of one Query): cancel when it gets there
                cancelPending = true;
                return true;
            }
        }
        context.cancel(USER_CANCEL);
        return true;
    }

    /** Makes {@code context} what a cancel cancels now; a cancel that was waiting for it applies at once. */
    void activate(SessionExecutionContext context)
    {
        if (context == null) {
            return;
        }
        boolean cancelNow;
        synchronized (lock) {
            if (!statementActive) {
                return;
            }
            activeContext = context;
            cancelNow = cancelPending;
            cancelPending = false;
        }
        if (cancelNow) {
            context.cancel(USER_CANCEL);
        }
    }

    /** The error to report for {@code failure} of the statement of {@code context}: 57014 when it was cancelled, whatever the source said. */
    static Throwable cancelled(SessionExecutionContext context, Throwable failure)
    {
        if (!context.isCancelled() || failure instanceof QueryException query && query.sqlState().equals(SqlStates.QUERY_CANCELED)) {
            return failure;
        }
        return new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(USER_CANCEL), null, failure);
    }

    /** {@code failure}, known to be a RuntimeException or an Error, to throw as it is. */
    static RuntimeException unchecked(Throwable failure)
    {
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }
}
