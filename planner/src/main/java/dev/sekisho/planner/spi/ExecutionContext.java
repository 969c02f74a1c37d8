package dev.sekisho.planner.spi;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a connector needs to know about the statement's caller while it runs.
 * Thread-safe: {@link #cancel()} is called from another thread than the one executing.
 */
public interface ExecutionContext
{
    /** The user on whose behalf the statement runs, for the source's own logs and labels. */
    String user();

    /**
     * Whether the statement's source SQL carries a policy's row filter. A source may evaluate the
     * caller's own conditions on rows the filter then drops (MariaDB merges the filtered derived
     * table), so a warning it raises may come from a row the caller may not see: such warnings
     * must not become errors, or their presence would tell the caller about hidden rows.
     */
    default boolean rowsHiddenByPolicy()
    {
        return false;
    }

    /** How many rows the consumer wants per round trip; a hint. */
    default int fetchSizeHint()
    {
        return 1000;
    }

    /**
     * Registers what to do when the statement is cancelled (e.g. {@code Statement::cancel}). If the
     * context is already cancelled, runs it at once. Returns a handle that unregisters it.
     */
    Registration onCancel(Runnable action);

    /**
     * The value of a client session setting as {@code SHOW} answers it ({@code current_setting}),
     * if the session has one of that name; names are case-insensitive.
     */
    default Optional<String> setting(String name)
    {
        return Optional.empty();
    }

    /**
     * Ties a resource the statement holds (a source connection, a job) to the statement's end: when
     * the statement ends, however it ends (rows all read, an error anywhere, a cancel, the client
     * gone, the session closed), every resource still registered is closed. The owner unregisters
     * it through the returned handle once it released the resource itself; closing twice must be
     * harmless. If the statement has ended already, the resource is closed at once.
     *
     * <p>This is what keeps a plan that forgets to close what it opened (an engine failing half-way)
     * from leaking a source's connections. The default keeps nothing: contexts of callers that end
     * nothing (tests, one-off tools) close their resources themselves.
     */
    default Registration closeWithStatement(AutoCloseable resource)
    {
        return () -> {};
    }

    /** Whether the statement has ended: a resource still held for it after that is a leak. */
    default boolean isFinished()
    {
        return false;
    }

    /**
     * The statement for messages about what it holds (a leaked connection's log line): its text,
     * shortened, without bound values; empty if unknown.
     */
    default String description()
    {
        return "";
    }

    /**
     * The most bytes the source may bill this statement for: the cost guard's remaining allowance
     * of the person and team it runs for. A source that bills bytes (BigQuery) sets its job's
     * {@code maximumBytesBilled} to no more than this; empty: the guard sets no cap.
     */
    default OptionalLong maximumBytesBilled()
    {
        return OptionalLong.empty();
    }

    /**
     * The source billed the statement {@code bytes} (BigQuery's {@code totalBytesBilled}): the cost
     * guard charges these to the ledger instead of the estimate it reserved.
     */
    default void billed(long bytes) {}

    /**
     * Told by what answered one of the statement's source reads from the gateway's result cache
     * instead of the source, so that the statement's audit event can say so. The default ignores it.
     */
    default void answeredFromCache()
    {
    }

    /**
     * Whether the cost guard admitted the statement without estimating it, because the result
     * cache held every source read it makes: a read the cache no longer answers (its entry was
     * dropped since) must then fail rather than reach the source unestimated.
     */
    default boolean admittedAsCacheHit()
    {
        return false;
    }

    /**
     * The source statement the caller computed for this run already ({@code PreparedQuery.fragments}
     * of the same plan and values) and checked against the result cache, when it did: a plan about
     * to send an equal statement sends this instance instead of building it again, so the cache
     * recognises the read of the entry it pinned by identity. Empty: the plan builds its statements.
     */
    default Optional<BackendQuery> checkedFragment()
    {
        return Optional.empty();
    }

    /**
     * The rows of {@link #checkedFragment()}, read already on a front door's I/O thread by
     * {@link Connector#startWithoutBlocking}: a plan about to send that statement reads these
     * instead, once. Empty: the plan sends its statements itself.
     */
    default Optional<ResultStream> arrivedRows()
    {
        return Optional.empty();
    }

    /** Whether a cancel was requested. */
    boolean isCancelled();

    /** Why the statement was cancelled, if it was (e.g. "canceling statement due to user request"). */
    Optional<String> cancelReason();

    /**
     * A context for work that nobody cancels and that ends its resources itself: tools such as
     * {@code sekisho policy explain}, tests, one-off reads.
     */
    static ExecutionContext uncancellable(String user)
    {
        java.util.Objects.requireNonNull(user, "user is null");
        return new ExecutionContext()
        {
            @Override
            public String user()
            {
                return user;
            }

            @Override
            public Registration onCancel(Runnable action)
            {
                return () -> {};
            }

            @Override
            public boolean isCancelled()
            {
                return false;
            }

            @Override
            public Optional<String> cancelReason()
            {
                return Optional.empty();
            }
        };
    }

    /** A registered cancel action; closing it unregisters the action. */
    interface Registration
            extends AutoCloseable
    {
        @Override
        void close();
    }
}
