package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

/**
 * The statement that the local engine is running on this thread, for the functions that must
 * notice a cancel while they run ({@code pg_sleep}). Bound by {@link PgCatalog#bind} around
 * everything that evaluates a local plan.
 */
public final class PgExecution
{
    /** PostgreSQL's message for a statement cancelled by a CancelRequest. */
    public static final String USER_CANCEL = "canceling statement due to user request";
    private static final ThreadLocal<ExecutionContext> CURRENT = new ThreadLocal<>();

    private PgExecution() {}

    /** Makes {@code context} the current one on this thread until the binding is closed; null binds nothing. */
    static PgCatalog.Binding bind(ExecutionContext context)
    {
        ExecutionContext previous = CURRENT.get();
        CURRENT.set(context);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        };
    }

    /** A session setting of the statement running on this thread ({@link ExecutionContext#setting}). */
    static java.util.Optional<String> setting(String name)
    {
        ExecutionContext context = CURRENT.get();
        return context == null ? java.util.Optional.empty() : context.setting(name);
    }

    /** Throws PostgreSQL's 57014 if the statement running on this thread was cancelled. */
    public static void checkCancelled()
    {
        checkCancelled(CURRENT.get());
    }

    /** Throws PostgreSQL's 57014 if {@code context} (may be null) was cancelled. */
    public static void checkCancelled(ExecutionContext context)
    {
        if (context != null && context.isCancelled()) {
            throw new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(USER_CANCEL), null, null);
        }
    }

    /** Sleeps {@code millis} in short slices, stopping with 57014 as soon as the statement is cancelled. */
    static void sleep(long millis)
    {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (true) {
            checkCancelled();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            try {
                Thread.sleep(Math.min(20, Math.max(1, left / 1_000_000L)));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new QueryException(SqlStates.QUERY_CANCELED, USER_CANCEL, null, e);
            }
        }
    }
}
