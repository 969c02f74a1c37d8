package dev.sekisho.gateway.execution;

import dev.sekisho.planner.spi.QueryException;

import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The admission a session's run is waiting for, if any: a cancel or the end of the session must
 * reach a statement that waits in a resource group's queue, and a permit granted to a session that
 * is gone must be given back. One per session; safe from any thread.
 */
final class AdmissionWait
{
    private CompletableFuture<Admission.Permit> waiting;

    /** The session's run waits for {@code admission}. */
    synchronized void waitFor(CompletableFuture<Admission.Permit> admission)
    {
        waiting = requireNonNull(admission, "admission is null");
    }

    /** The run took its admission (or its refusal): nothing waits any more. */
    synchronized void taken()
    {
        waiting = null;
    }

    /** The admission the run waits for, if it has not completed yet; null otherwise. */
    synchronized CompletableFuture<Admission.Permit> pending()
    {
        return waiting == null || waiting.isDone() ? null : waiting;
    }

    /**
     * Ends the wait with {@code failure}: the run fails with it when it goes on. With
     * {@code sessionEnds}, a permit granted already and not taken is given back (the run never goes on).
     *
     * @return whether a run was waiting
     */
    boolean abandon(QueryException failure, boolean sessionEnds)
    {
        CompletableFuture<Admission.Permit> admission;
        synchronized (this) {
            admission = waiting;
        }
        if (admission == null) {
            return false;
        }
        if (!admission.completeExceptionally(failure)) {
            if (!sessionEnds) {
                return false;
            }
            admission.thenAccept(Admission.Permit::close);
            synchronized (this) {
                if (waiting == admission) {
                    waiting = null;
                }
            }
            return false;
        }
        return true;
    }
}
