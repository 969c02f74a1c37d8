package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.policies.Principal;

import java.util.List;
import java.util.Optional;

/**
 * Hook point of the statement pipeline: hears what every statement does, whichever front door it
 * came through. The audit trail (one event per statement: who, what, rows, duration, outcome) and
 * metrics plug in here; every method does nothing by default. Called on the thread that runs the
 * statement; a listener that throws is logged and otherwise ignored, so it can never fail a
 * statement.
 */
public interface StatementListener
{
    /** Hears nothing. */
    StatementListener NONE = new StatementListener() {};

    /** A statement was read and, when it goes to the sources, planned ({@link PreparedStatement#query()}). */
    default void prepared(Principal principal, PreparedStatement statement) {}

    /**
     * A statement could not be read or planned (a syntax error, an unknown or hidden table, a
     * write): it never runs, but the audit trail records it.
     *
     * @param sql the statement's text as the client sent it
     * @param failure what the client is told
     */
    default void prepareFailed(SessionInfo session, String sql, Throwable failure) {}

    /** A run starts: next come admission, execution and streaming. One of the two methods below ends it. */
    default void started(StatementInfo statement) {}

    /** The run reached its row limit with rows left; the next run of the portal goes on from there. */
    default void suspended(StatementInfo statement, long rows) {}

    /**
     * A portal that a run left {@link #suspended} was closed before its rows ran out (the client
     * closed its cursor or result set early, its transaction ended, or the session closed): the
     * statement ends here, having sent the rows of its earlier runs. Each statement ends once:
     * with {@link #finished} or with this. May be called on the thread that closes the session.
     *
     * @param statement the last run of the statement
     */
    default void closedEarly(StatementInfo statement) {}

    /**
     * The run ended: the statement completed, or failed (refused by {@link Admission}, or failed
     * while it executed or its rows streamed).
     *
     * @param rows the rows this run sent
     * @param failure what the client is told, when the statement failed
     */
    default void finished(StatementInfo statement, long rows, Optional<Throwable> failure) {}

    /** {@link #suspended(StatementInfo, long)} with what admission decided for the run; the pipeline calls this one. */
    default void suspended(StatementInfo statement, Admission.Accounting accounting, long rows)
    {
        suspended(statement, rows);
    }

    /**
     * {@link #finished(StatementInfo, long, Optional)} with what admission decided for the run and
     * what its sources billed ({@link Admission.Accounting#NONE} for a refused run); the pipeline calls this one.
     */
    default void finished(StatementInfo statement, Admission.Accounting accounting, long rows, Optional<Throwable> failure)
    {
        finished(statement, rows, failure);
    }

    /**
     * Tells each of {@code listeners} in turn; one that throws does not stop the others. Called for
     * every statement: a plain loop over an array, no lambda or iterator per call.
     */
    static StatementListener all(List<StatementListener> listeners)
    {
        StatementListener[] copy = List.copyOf(listeners).toArray(new StatementListener[0]);
        return new StatementListener()
        {
            @Override
            public void prepared(Principal principal, PreparedStatement statement)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.prepared(principal, statement);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void prepareFailed(SessionInfo session, String sql, Throwable failure)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.prepareFailed(session, sql, failure);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void started(StatementInfo statement)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.started(statement);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void suspended(StatementInfo statement, long rows)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.suspended(statement, rows);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void closedEarly(StatementInfo statement)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.closedEarly(statement);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void finished(StatementInfo statement, long rows, Optional<Throwable> failure)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.finished(statement, rows, failure);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void suspended(StatementInfo statement, Admission.Accounting accounting, long rows)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.suspended(statement, accounting, rows);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }

            @Override
            public void finished(StatementInfo statement, Admission.Accounting accounting, long rows, Optional<Throwable> failure)
            {
                for (StatementListener listener : copy) {
                    try {
                        listener.finished(statement, accounting, rows, failure);
                    }
                    catch (RuntimeException e) {
                        Hooks.failed(e);
                    }
                }
            }
        };
    }
}
