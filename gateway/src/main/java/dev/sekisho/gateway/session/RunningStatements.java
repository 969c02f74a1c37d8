package dev.sekisho.gateway.session;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static dev.sekisho.gateway.session.StatementCancellation.cancelled;
import static dev.sekisho.gateway.session.StatementCancellation.unchecked;
import static java.util.Objects.requireNonNull;

/**
 * The session's statements that hold something at the sources: each runs under its own
 * {@link SessionExecutionContext}, from the moment its rows are opened until
 * {@link #finish(SessionExecutionContext)} (however it ends: rows read, portal closed, failure,
 * session closed). {@link #terminate()} may come from any thread.
 */
final class RunningStatements
{
    private final String user;
    private final SessionSettings settings;
    private final StatementCancellation cancellation;
    private final SessionLimits limits;
    private final Set<SessionExecutionContext> running = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    RunningStatements(String user, SessionSettings settings, StatementCancellation cancellation, SessionLimits limits)
    {
        this.user = requireNonNull(user, "user is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.cancellation = requireNonNull(cancellation, "cancellation is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    /**
     * Runs the portal's query at its sources and gives the portal its rows (blocking until the
     * sources answer). On failure whatever the plan opened is released, and a cancelled statement
     * fails with 57014.
     */
    void open(Portal portal, int fetchSizeHint)
    {
        open(portal, fetchSizeHint, java.util.OptionalLong.empty(), bytes -> {});
    }

    /** Like {@link #open(Portal, int)}, with the cost guard's cap on billed bytes and where they are reported. */
    void open(Portal portal, int fetchSizeHint, java.util.OptionalLong maximumBytesBilled, java.util.function.LongConsumer billed)
    {
        open(portal, fetchSizeHint, maximumBytesBilled, billed, false);
    }

    /** Like {@link #open(Portal, int, java.util.OptionalLong, java.util.function.LongConsumer)}, for a statement admitted as a result-cache hit. */
    void open(Portal portal, int fetchSizeHint, java.util.OptionalLong maximumBytesBilled, java.util.function.LongConsumer billed, boolean admittedAsCacheHit)
    {
        open(portal, fetchSizeHint, maximumBytesBilled, billed, admittedAsCacheHit, java.util.Optional.empty());
    }

    /** Like {@link #open(Portal, int, java.util.OptionalLong, java.util.function.LongConsumer, boolean)}, with the source statement checked before the run. */
    void open(Portal portal, int fetchSizeHint, java.util.OptionalLong maximumBytesBilled, java.util.function.LongConsumer billed, boolean admittedAsCacheHit,
            java.util.Optional<dev.sekisho.planner.spi.BackendQuery> checkedFragment)
    {
        open(portal, fetchSizeHint, maximumBytesBilled, billed, admittedAsCacheHit, checkedFragment, java.util.Optional.empty());
    }

    /**
     * Like {@link #open(Portal, int, java.util.OptionalLong, java.util.function.LongConsumer, boolean, java.util.Optional)},
     * for a statement whose rows of the checked fragment arrived already on a front door's I/O thread
     * ({@code arrivedRows}): the plan reads those instead of sending the statement.
     */
    void open(Portal portal, int fetchSizeHint, java.util.OptionalLong maximumBytesBilled, java.util.function.LongConsumer billed, boolean admittedAsCacheHit,
            java.util.Optional<dev.sekisho.planner.spi.BackendQuery> checkedFragment, java.util.Optional<dev.sekisho.planner.spi.ResultStream> arrivedRows)
    {
        SessionExecutionContext context = new SessionExecutionContext(user, fetchSizeHint, settings::show)
                .describedAs(portal.statement().sql())
                .billedTo(maximumBytesBilled, billed)
                .admittedAsCacheHit(admittedAsCacheHit)
                .checkedFragment(checkedFragment)
                .arrivedRows(arrivedRows);
        running.add(context);
        try {
            cancellation.activate(context);
            if (closed) {
                context.cancel("terminating connection");
            }
            portal.startRows(ResultLimit.of(portal.statement().query().orElseThrow().execute(portal.parameters(), context),
                    portal.columns().map(List::size).orElse(0), user, limits), context);
        }
        catch (RuntimeException | Error e) {
            // whatever the plan opened before it failed goes back to its source now
            finish(context);
            throw unchecked(cancelled(context, e));
        }
    }

    /** A portal whose rows are open runs again (the next Execute or FETCH): a cancel now reaches it. */
    void resume(SessionExecutionContext context)
    {
        cancellation.activate(context);
    }

    /** The statement of {@code context} ended: what it still holds at its sources is released. */
    void finish(SessionExecutionContext context)
    {
        running.remove(context);
        context.finish();
    }

    /** Whether any statement holds something at its sources now; safe from any thread. */
    boolean any()
    {
        return !running.isEmpty();
    }

    /** Cancels everything the session has open at its sources (the connection went away); safe from any thread. */
    void terminate()
    {
        for (SessionExecutionContext context : running) {
            context.cancel("terminating connection");
        }
    }

    /** From now on a statement that gets to its sources is cancelled at once; what runs now is cancelled. */
    void closing()
    {
        closed = true;
        terminate();
    }

    /** Releases what is left (after every portal is closed). */
    void finishAll()
    {
        for (SessionExecutionContext context : List.copyOf(running)) {
            finish(context);
        }
    }
}
