package dev.sekisho.gateway.execution;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Hook point of the statement pipeline: decides whether a statement may run now, after it was
 * planned and before it reaches a source. Resource groups (a bounded number of statements at
 * once per group) and budgets (the plan's estimate against a principal's limits) plug in here;
 * the default admits everything. Called on the worker thread that runs the statement, once per
 * run (each Execute of a portal, each statement of a simple Query).
 *
 * <p>A statement that has to wait for a slot never holds a worker thread while it waits:
 * {@link #request} answers with a future, the run pauses, and the session goes on, on a worker
 * again, once the future completes (see {@link SessionWorkQueue}). A flood of queued statements
 * therefore cannot take the workers that other groups' statements need.
 */
@FunctionalInterface
public interface Admission
{
    /** Admits every statement at once. */
    Admission ADMIT_ALL = new Admission()
    {
        @Override
        public Permit admit(StatementInfo statement)
        {
            return Permit.NONE;
        }

        @Override
        public Optional<Permit> admitAtOnce(StatementInfo statement)
        {
            return Optional.of(Permit.NONE);
        }
    };

    /**
     * Admits {@code statement}, or refuses it by throwing a
     * {@link dev.sekisho.planner.spi.QueryException} whose SQLSTATE and message the client gets.
     *
     * @return what the statement holds while it runs; closed when the run ends, however it ends
     */
    Permit admit(StatementInfo statement);

    /**
     * Admits {@code statement} now or later: the future completes with the permit, or with the
     * refusal (a {@link dev.sekisho.planner.spi.QueryException}). It must not block; the default
     * asks {@link #admit} at once.
     */
    default CompletableFuture<Permit> request(StatementInfo statement)
    {
        try {
            return CompletableFuture.completedFuture(admit(statement));
        }
        catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Admits {@code statement} when that needs no estimate, no ledger and no queue: called on a
     * front door's I/O thread, which must not block, for a statement the result cache answers (see
     * {@link ClientSession#answerFromCache}). Empty when the statement needs more than that; nothing
     * is reserved or recorded then, and it is admitted by {@link #request} on a worker as usual.
     * The default: always empty.
     */
    default Optional<Permit> admitAtOnce(StatementInfo statement)
    {
        return Optional.empty();
    }

    /**
     * What the audit trail records of a statement's admission.
     *
     * @param estimatedBytes the bytes its sources' estimates said it would read (BigQuery's dry runs)
     * @param billedBytes the bytes its sources billed
     * @param resourceGroup the resource group that admitted it
     * @param queueWait how long it waited in that group's queue
     */
    record Accounting(OptionalLong estimatedBytes, OptionalLong billedBytes, Optional<String> resourceGroup, Optional<Duration> queueWait)
    {
        public static final Accounting NONE = new Accounting(OptionalLong.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty());

        public Accounting
        {
            requireNonNull(estimatedBytes, "estimatedBytes is null");
            requireNonNull(billedBytes, "billedBytes is null");
            requireNonNull(resourceGroup, "resourceGroup is null");
            requireNonNull(queueWait, "queueWait is null");
        }
    }

    /** What an admitted statement holds until its run ends (a slot in its resource group, say). */
    @FunctionalInterface
    interface Permit
            extends AutoCloseable
    {
        /** Holds nothing. */
        Permit NONE = () -> {};

        /** Rows the statement may return; a run that would send more fails (54000). */
        default OptionalLong maxRows()
        {
            return OptionalLong.empty();
        }

        /** The most bytes the sources may bill the statement for (the remaining allowance); empty: no cap. */
        default OptionalLong maximumBytesBilled()
        {
            return OptionalLong.empty();
        }

        /**
         * Whether the statement was admitted without an estimate because the result cache holds
         * every source read it makes: a read the cache no longer answers when it runs then fails.
         */
        default boolean admittedAsCacheHit()
        {
            return false;
        }

        /** A source billed the statement {@code bytes} (may be called from the source's thread). */
        default void billed(long bytes) {}

        /** What admission decided and the sources billed, for the audit trail; read when the run ends. */
        default Accounting accounting()
        {
            return Accounting.NONE;
        }

        /** Why a run that reached {@link #maxRows()} fails. */
        default String maxRowsMessage()
        {
            return "the statement returned more rows than it may";
        }

        /**
         * The statement reached its sources: {@code cancel} cancels it with the reason given
         * (a statement timeout, say). Called at most once, on the run's thread.
         */
        default void started(Consumer<String> cancel) {}

        /** Gives back what the run held; must not throw. */
        @Override
        void close();
    }
}
