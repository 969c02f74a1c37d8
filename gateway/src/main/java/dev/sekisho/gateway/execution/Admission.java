package dev.sekisho.gateway.execution;

/**
 * Hook point of the statement pipeline: decides whether a statement may run now, after it was
 * planned and before it reaches a source. Resource groups (a bounded number of statements at
 * once per group) and budgets (the plan's estimate against a principal's limits) plug in here;
 * the default admits everything. Called on the worker thread that runs the statement, once per
 * run (each Execute of a portal, each statement of a simple Query).
 */
@FunctionalInterface
public interface Admission
{
    /** Admits every statement at once. */
    Admission ADMIT_ALL = statement -> Permit.NONE;

    /**
     * Admits {@code statement}, or refuses it by throwing a
     * {@link dev.sekisho.planner.spi.QueryException} whose SQLSTATE and message the client gets.
     *
     * @return what the statement holds while it runs; closed when the run ends, however it ends
     */
    Permit admit(StatementInfo statement);

    /** What an admitted statement holds until its run ends (a slot in its resource group, say). */
    @FunctionalInterface
    interface Permit
            extends AutoCloseable
    {
        /** Holds nothing. */
        Permit NONE = () -> {};

        /** Gives back what the run held; must not throw. */
        @Override
        void close();
    }
}
