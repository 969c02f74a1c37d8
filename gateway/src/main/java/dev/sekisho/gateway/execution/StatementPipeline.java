package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.policies.sql.SqlStatement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * The one path every statement takes, whichever front door it came through, with the hook points
 * where resource groups, budgets and the audit trail plug in:
 * <pre>
 *   stage      where                                   hook
 *   plan       {@link ClientSession#prepare} (Parse):     {@link StatementListener#prepared}
 *              the session reads the statement and the
 *              planner plans it (again at Bind when the
 *              policy or search_path changed since)
 *   admission  {@link StatementRun}, before a source       {@link StatementListener#started}, then
 *              is reached                                {@link Admission#admit}
 *   execute    the session runs the portal: a command
 *              is done, or the sources open its rows
 *   stream     rows into the front door's {@link RowSink},
 *              with backpressure and a row limit
 *   end        completed, suspended or failed            {@link StatementListener#finished} /
 *                                                        {@link StatementListener#suspended};
 *                                                        the admission permit is closed
 *   close      a suspended portal closed before its      {@link StatementListener#closedEarly}
 *              rows ran out (Close, Sync, session end)
 * </pre>
 * Immutable; one pipeline serves every session of the gateway.
 */
public final class StatementPipeline
{
    private static final Logger log = LoggerFactory.getLogger(StatementPipeline.class);

    private final Admission admission;
    private final StatementListener listener;

    public StatementPipeline(Admission admission, StatementListener listener)
    {
        this.admission = requireNonNull(admission, "admission is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    /** Every statement admitted, nobody listening. */
    public static StatementPipeline defaults()
    {
        return new StatementPipeline(Admission.ADMIT_ALL, StatementListener.NONE);
    }

    /** Plan: the session reads and plans the statement and keeps it under {@code name}. */
    void prepare(Session session, SessionInfo info, String name, String sql, List<ColumnType> parameterTypes)
    {
        try {
            session.parse(name, sql, parameterTypes);
        }
        catch (RuntimeException e) {
            notifying(() -> listener.prepareFailed(info, sql, StatementFailures.toQueryException(e)));
            throw e;
        }
        prepared(session, name);
    }

    void prepare(Session session, SessionInfo info, String name, SqlStatement sql, List<ColumnType> parameterTypes)
    {
        try {
            session.parse(name, sql, parameterTypes);
        }
        catch (RuntimeException e) {
            notifying(() -> listener.prepareFailed(info, sql.text(), StatementFailures.toQueryException(e)));
            throw e;
        }
        prepared(session, name);
    }

    /** The one statement of a simple Query whose text holds only it ({@code Session.parseWhole}). */
    void prepareWhole(Session session, SessionInfo info, String name, String sql, SqlStatement lexed)
    {
        try {
            session.parseWhole(name, sql, lexed);
        }
        catch (RuntimeException e) {
            notifying(() -> listener.prepareFailed(info, lexed.text(), StatementFailures.toQueryException(e)));
            throw e;
        }
        prepared(session, name);
    }

    /** Keeps a statement checked without planning ({@code Session.parsedWithoutPlanning}) as a Parse of it would. */
    void prepareChecked(Session session, PreparedStatement statement)
    {
        session.parseChecked(statement);
        prepared(session, statement.name());
    }

    private void prepared(Session session, String name)
    {
        PreparedStatement statement = session.describeStatement(name);
        notifying(() -> listener.prepared(session.principal(), statement));
    }

    /** A run of portal {@code portal} of {@code session}, not started yet: {@link StatementRun#proceed()} starts it. */
    StatementRun run(Session session, SessionInfo info, AdmissionWait admissionWait, String portal, int maxRows, RowSink sink)
    {
        return new StatementRun(this, session, info, admissionWait, portal, maxRows, sink);
    }

    /** A run of portal {@code portal}, not started yet, that sends the rows {@code readAhead} kept first (null: none). */
    StatementRun run(Session session, SessionInfo info, AdmissionWait admissionWait, String portal, int maxRows, RowSink sink, PortalReadAhead readAhead)
    {
        return new StatementRun(this, session, info, admissionWait, portal, maxRows, sink, null, readAhead);
    }

    /** A run of portal {@code portal} admitted already ({@link #admitAtOnce}). */
    StatementRun run(Session session, SessionInfo info, AdmissionWait admissionWait, String portal, int maxRows, RowSink sink, Admitted admitted)
    {
        return new StatementRun(this, session, info, admissionWait, portal, maxRows, sink, requireNonNull(admitted, "admitted is null"));
    }

    /**
     * A run admitted before it started ({@link #admitAtOnce}): its permit, the run as admission was
     * told of it (the listeners hear of this one), the source statement checked for it, and that
     * statement's rows when they arrived already on a front door's I/O thread (only with a fragment).
     */
    record Admitted(Admission.Permit permit, StatementInfo statement, Optional<BackendQuery> fragment, Optional<ResultStream> arrivedRows)
    {
        Admitted
        {
            requireNonNull(permit, "permit is null");
            requireNonNull(statement, "statement is null");
            requireNonNull(fragment, "fragment is null");
            requireNonNull(arrivedRows, "arrivedRows is null");
            if (arrivedRows.isPresent() && fragment.isEmpty()) {
                throw new IllegalArgumentException("rows arrived for no checked source statement");
            }
        }

        Admitted(Admission.Permit permit, StatementInfo statement, Optional<BackendQuery> fragment)
        {
            this(permit, statement, fragment, Optional.empty());
        }
    }

    /** Asks for admission: the future completes with the permit, or with the refusal; it may wait in a queue. */
    CompletableFuture<Admission.Permit> admit(StatementInfo statement)
    {
        try {
            listener.started(statement);
        }
        catch (RuntimeException e) {
            listenerFailed(e);
        }
        return requireNonNull(admission.request(statement), "admission returned no answer");
    }

    /** {@link Admission#admitAtOnce}: a permit when admitting the statement needs no estimate, ledger or queue. */
    Optional<Admission.Permit> admitAtOnce(StatementInfo statement)
    {
        return admission.admitAtOnce(statement);
    }

    /** A run admitted already ({@link #admitAtOnce}) starts: the listeners hear of it as of any other. */
    CompletableFuture<Admission.Permit> admitted(StatementInfo statement, Admission.Permit permit)
    {
        try {
            listener.started(statement);
        }
        catch (RuntimeException e) {
            listenerFailed(e);
        }
        return CompletableFuture.completedFuture(permit);
    }

    void suspended(StatementInfo statement, Admission.Permit permit, long rows)
    {
        release(permit);
        try {
            listener.suspended(statement, accounting(permit), rows);
        }
        catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    /** Every statement ends here: called directly, without a lambda per statement. */
    void finished(StatementInfo statement, Admission.Permit permit, long rows, Optional<Throwable> failure)
    {
        release(permit);
        try {
            listener.finished(statement, accounting(permit), rows, failure);
        }
        catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private static Admission.Accounting accounting(Admission.Permit permit)
    {
        try {
            return permit.accounting();
        }
        catch (RuntimeException e) {
            log.warn("Reading what admission decided for a statement failed", e);
            return Admission.Accounting.NONE;
        }
    }

    /** A portal that a run left suspended was closed before its rows ran out: its statement ends here. */
    void closedEarly(StatementInfo statement)
    {
        notifying(() -> listener.closedEarly(statement));
    }

    private static void release(Admission.Permit permit)
    {
        try {
            permit.close();
        }
        catch (RuntimeException e) {
            log.warn("Giving back an admission permit failed", e);
        }
    }

    /** Hooks observe; a failing one is logged and never fails the statement. */
    private static void notifying(Runnable call)
    {
        try {
            call.run();
        }
        catch (RuntimeException e) {
            listenerFailed(e);
        }
    }

    private static void listenerFailed(RuntimeException failure)
    {
        log.warn("A statement listener failed", failure);
    }
}
