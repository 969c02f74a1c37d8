package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

/**
 * What a CancelRequest may cancel, and when. A front door brackets each message that runs
 * statements with {@link #statementStarted()} and {@link #statementFinished()}; inside that bracket
 * a cancel reaches the statement at its sources ({@link #activate}), or, while none is there yet
 * (planning, or between the statements of one Query), waits for the next one that gets there.
 * Outside it a cancel does nothing, as in PostgreSQL, unless such a message has arrived and waits
 * for a worker ({@link #statementReceived()}): PostgreSQL would be running it already, so the cancel
 * is kept for it (under load the wait can outlast a client's cancel, which was then lost and the
 * statement ran to its end at the source). A {@code statement_timeout} is a cancel that
 * a timer asks for when the bracket lasts too long (57014, "due to statement timeout"); the timer
 * goes when the bracket ends. Thread-safe.
 */
final class StatementCancellation
{
    static final String USER_CANCEL = "canceling statement due to user request";
    static final String STATEMENT_TIMEOUT = "canceling statement due to statement timeout";

    private final Object lock = new Object();
    // guarded by lock
    private boolean statementActive;
    /** The reason of a cancel waiting for the statement to reach its sources; null when none waits. */
    private String pendingReason;
    private SessionExecutionContext activeContext;
    /** Messages that run statements, received from the client and not yet started or skipped. */
    private int waiting;
    /** Counts brackets, so that a late timer never cancels the bracket after its own. */
    private long bracket;
    private ScheduledFuture<?> timer;
    /** The statement whose rows are being read ahead while nothing runs (a suspended portal's); null when none is. */
    private SessionExecutionContext readingAhead;

    /** A message that runs statements (Query, Execute) arrived and waits for a worker: a cancel now is kept for it. */
    void statementReceived()
    {
        synchronized (lock) {
            waiting++;
        }
    }

    /** A message that {@link #statementReceived()} announced is dropped without running (after an error, until Sync). */
    void statementSkipped()
    {
        synchronized (lock) {
            waiting = Math.max(0, waiting - 1);
            if (waiting == 0 && !statementActive) {
                pendingReason = null;
            }
        }
    }

    /** A message that runs statements starts: from now on a cancel counts. */
    void statementStarted()
    {
        statementStarted(Duration.ZERO);
    }

    /**
     * A message that runs statements starts: from now on a cancel counts, and after {@code timeout}
     * (unless zero) its statement is cancelled.
     */
    void statementStarted(Duration timeout)
    {
        synchronized (lock) {
            waiting = Math.max(0, waiting - 1);
            statementActive = true;
            // a cancel that came while this message waited for a worker stays pending for it
            activeContext = null;
            stopTimer();
            long current = ++bracket;
            if (!timeout.isZero()) {
                timer = CancelScheduler.schedule(() -> timedOut(current), timeout);
            }
        }
    }

    /** The message that {@link #statementStarted()} announced is done; later cancels do nothing. */
    void statementFinished()
    {
        synchronized (lock) {
            statementActive = false;
            pendingReason = null;
            activeContext = null;
            stopTimer();
        }
    }

    private void stopTimer()
    {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void timedOut(long timedBracket)
    {
        synchronized (lock) {
            if (timedBracket != bracket) {
                return;
            }
        }
        cancel(STATEMENT_TIMEOUT);
    }

    /**
     * Cancels the statement running now: its work at the sources, or, if it has not reached them
     * yet, as soon as it does.
     *
     * @return whether a statement was running
     */
    boolean cancel()
    {
        return cancel(USER_CANCEL);
    }

    /** Cancels the statement running now for {@code reason} (the message of its 57014). */
    boolean cancel(String reason)
    {
        SessionExecutionContext context;
        synchronized (lock) {
            if (!statementActive) {
                if (waiting == 0) {
                    return false;
                }
                // the message is here but waits for a worker: cancel it when it gets to its sources
                if (pendingReason == null) {
                    pendingReason = reason;
                }
                // it may wait behind rows read ahead that the source is slow to give: that read is cancelled too
                context = readingAhead;
                if (context == null) {
                    return true;
                }
            }
            else {
                context = activeContext;
            }
            if (context == null) {
                // not at the source yet (planning, or between statements of one Query): cancel when it gets there
                if (pendingReason == null) {
                    pendingReason = reason;
                }
                return true;
            }
        }
        context.cancel(reason);
        return true;
    }

    /**
     * Rows of the statement of {@code context} are read ahead now, while nothing runs (null: no
     * longer). A cancel that comes for a message waiting meanwhile cancels that read too, so the
     * message does not wait for a row the source may never give; a cancel that waits already
     * applies at once.
     */
    void readingAhead(SessionExecutionContext context)
    {
        String reason;
        synchronized (lock) {
            readingAhead = context;
            reason = context != null && !statementActive && waiting > 0 ? pendingReason : null;
        }
        if (reason != null) {
            context.cancel(reason);
        }
    }

    /** Makes {@code context} what a cancel cancels now; a cancel that was waiting for it applies at once. */
    void activate(SessionExecutionContext context)
    {
        if (context == null) {
            return;
        }
        String reason;
        synchronized (lock) {
            if (!statementActive) {
                return;
            }
            activeContext = context;
            reason = pendingReason;
            pendingReason = null;
        }
        if (reason != null) {
            context.cancel(reason);
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
