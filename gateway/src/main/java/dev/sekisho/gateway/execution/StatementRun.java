package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.resultcache.CachingConnector;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.spi.ResultStream;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static java.util.Objects.requireNonNull;

/**
 * One run of a portal through the {@link StatementPipeline}: admission, execution, then its rows
 * into a {@link RowSink}, up to a row limit. A run that pauses for backpressure keeps its place and
 * {@link #proceed()} continues it. However the run ends, what it holds is given back: the admission
 * permit, and after a failure the portal, with what its statement held at the sources. Used by one
 * thread at a time (the session's).
 */
public final class StatementRun
{
    /** Where a call to {@link #proceed()} left the run. */
    public enum Outcome
    {
        /** The statement is done; the sink was told {@link RowSink#completed}. */
        COMPLETED,
        /** The row limit was reached with rows left; the portal stays open for its next run. */
        SUSPENDED,
        /**
         * The sink is not ready for more rows, or the statement waits in its resource group's
         * queue ({@link ClientSession#pendingAdmission()}): call {@link #proceed()} again when the
         * sink is ready, or the admission completed.
         */
        PAUSED
    }

    private final StatementPipeline pipeline;
    private final Session session;
    private final SessionInfo info;
    private final String portalName;
    private final int maxRows;
    private final RowSink sink;
    private final AdmissionWait admissionWait;
    /** How the run was admitted before it started (a statement answered from the result cache without a worker); null: ask for a permit. */
    private final StatementPipeline.Admitted admittedAlready;
    private StatementInfo statement;
    private CompletableFuture<Admission.Permit> admission;
    private Admission.Permit permit = Admission.Permit.NONE;
    /** The executed portal; null until the session ran it. */
    private Portal portal;
    /** Rows of the portal read ahead of this run (sent first); null when none were. */
    private PortalReadAhead readAhead;
    private long sent;
    private boolean ended;

    StatementRun(StatementPipeline pipeline, Session session, SessionInfo info, AdmissionWait admissionWait, String portalName, int maxRows, RowSink sink)
    {
        this(pipeline, session, info, admissionWait, portalName, maxRows, sink, null);
    }

    /** @param admittedAlready how the run was admitted already ({@link StatementPipeline#admitAtOnce}); null: ask for a permit */
    StatementRun(StatementPipeline pipeline, Session session, SessionInfo info, AdmissionWait admissionWait, String portalName, int maxRows, RowSink sink,
            StatementPipeline.Admitted admittedAlready)
    {
        this(pipeline, session, info, admissionWait, portalName, maxRows, sink, admittedAlready, null);
    }

    /**
     * @param readAhead rows of the portal read ahead of this run, sent before any read now; null when none were.
     *         Used only if it is the portal's when the run starts
     */
    StatementRun(StatementPipeline pipeline, Session session, SessionInfo info, AdmissionWait admissionWait, String portalName, int maxRows, RowSink sink,
            StatementPipeline.Admitted admittedAlready, PortalReadAhead readAhead)
    {
        this.readAhead = readAhead;
        this.admittedAlready = admittedAlready;
        this.admissionWait = requireNonNull(admissionWait, "admissionWait is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.session = requireNonNull(session, "session is null");
        this.info = requireNonNull(info, "info is null");
        this.portalName = requireNonNull(portalName, "portalName is null");
        this.maxRows = maxRows;
        this.sink = requireNonNull(sink, "sink is null");
    }

    /**
     * Starts the run, or continues it after a pause. A failure is thrown as the error the client
     * gets (57014 for a cancelled statement), after the portal was closed.
     */
    public Outcome proceed()
    {
        if (ended) {
            throw new IllegalStateException("the run of portal \"" + portalName + "\" has ended");
        }
        try {
            if (portal == null) {
                if (!execute()) {
                    return Outcome.PAUSED;
                }
                if (!portal.returnsRows() || portal.isExhausted()) {
                    sink.completed(portal.commandTag(0));
                    end(Outcome.COMPLETED, Optional.empty());
                    return Outcome.COMPLETED;
                }
            }
            return stream();
        }
        catch (RuntimeException | Error e) {
            throw fail(e);
        }
    }

    /**
     * Admission, then execution: the session does the command or opens the rows (blocking until
     * the sources answer). False while the statement waits for admission: no thread waits with it.
     */
    private boolean execute()
    {
        if (admission == null) {
            Portal bound = session.portal(portalName);
            if (admittedAlready != null && admittedAlready.statement().statement() == bound.statement() && admittedAlready.statement().portal().equals(portalName)) {
                // the run admission was told of a moment ago, on this thread: not described again
                statement = admittedAlready.statement();
            }
            else {
                statement = new StatementInfo(session.principalFor(bound.statement().annotation()), session.principal(), portalName, bound.statement(),
                        bound.parameters(), Instant.now(), info, session.settings().show("application_name").filter(name -> !name.isEmpty()),
                        session.settings().show(CachingConnector.SESSION_SETTING));
            }
            admission = admittedAlready != null ? pipeline.admitted(statement, admittedAlready.permit()) : pipeline.admit(statement);
            if (!admission.isDone()) {
                admissionWait.waitFor(admission);
                if (!admission.isDone()) {
                    return false;
                }
            }
        }
        if (!admission.isDone()) {
            return false;
        }
        admissionWait.taken();
        try {
            permit = admission.join();
        }
        catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        // this run ends the statement (or suspends it again): an earlier run's wait for an early close is over
        session.portal(portalName).whenClosedEarly(null);
        portal = session.execute(portalName, maxRows, permit.maximumBytesBilled(), permit::billed, permit.admittedAsCacheHit(),
                admittedAlready != null ? admittedAlready.fragment() : Optional.empty(), admittedAlready != null ? admittedAlready.arrivedRows() : Optional.empty());
        if (readAhead != null && !readAhead.isFor(portal)) {
            readAhead = null;
        }
        Portal started = portal;
        permit.started(reason -> session.cancelStatement(started, reason));
        sink.start(portal);
        return true;
    }

    private Outcome stream()
    {
        ResultStream rows = portal.stream();
        ResultRow row = new StreamRow(rows);
        // the permit's limit is fixed for the run: read once, not per row
        OptionalLong rowLimit = permit.maxRows();
        while (maxRows <= 0 || sent < maxRows) {
            if (!sink.isReady()) {
                return Outcome.PAUSED;
            }
            boolean more;
            if (readAhead != null && readAhead.holdsRows()) {
                // rows read before this run: as if read now (a cancel or timeout of this run stops them too)
                session.checkNotCancelled(portal);
                if (rowLimit.isPresent() && sent >= rowLimit.getAsLong()) {
                    throw rowLimitExceeded();
                }
                long wanted = maxRows <= 0 ? Long.MAX_VALUE : maxRows - sent;
                if (rowLimit.isPresent()) {
                    wanted = Math.min(wanted, rowLimit.getAsLong() - sent);
                }
                sent += readAhead.send(wanted);
                continue;
            }
            if (readAhead != null) {
                // what reading ahead found after its rows: a failure or the end, reported now that the run reached it
                readAhead.throwFailure();
                more = !readAhead.hasEnded() && rows.next();
            }
            else {
                more = rows.next();
            }
            if (!more) {
                session.completed(portal);
                sink.completed(portal.commandTag(sent));
                end(Outcome.COMPLETED, Optional.empty());
                return Outcome.COMPLETED;
            }
            if (rowLimit.isPresent() && sent >= rowLimit.getAsLong()) {
                throw rowLimitExceeded();
            }
            sink.write(row);
            sent++;
        }
        sink.suspended();
        end(Outcome.SUSPENDED, Optional.empty());
        return Outcome.SUSPENDED;
    }

    private QueryException rowLimitExceeded()
    {
        return new QueryException(SqlStates.PROGRAM_LIMIT_EXCEEDED, permit.maxRowsMessage(),
                "Add a WHERE clause or a LIMIT, or aggregate the rows in the statement.", null);
    }

    /**
     * After the run suspended: the portal's rows to read ahead of its next run, at most this run's
     * row count and {@code maxBytes} (those this run was given and did not send, with more read
     * after them), within what {@code budget} has left; empty when the sink keeps no rows for it
     * ({@link RowSink#rowKeeper()}).
     */
    public Optional<PortalReadAhead> readAhead(long maxBytes, ReadAheadBudget budget)
    {
        if (!ended || portal == null || maxRows <= 0 || sent < maxRows) {
            throw new IllegalStateException("the run of portal \"" + portalName + "\" did not suspend");
        }
        if (readAhead == null) {
            if (portal.kind() != StatementKind.QUERY && portal.kind() != StatementKind.OTHER) {
                // a FETCH's rows move its cursor as they are read, SHOW's are at hand: only the rows of a statement the planner ran are read ahead
                return Optional.empty();
            }
            RowKeeper keeper = sink.rowKeeper();
            if (keeper == null) {
                return Optional.empty();
            }
            readAhead = new PortalReadAhead(portal, session, keeper, maxBytes, budget);
        }
        readAhead.suspendedAfter(maxRows);
        return Optional.of(readAhead);
    }

    private RuntimeException fail(Throwable e)
    {
        StatementFailures.rethrowIfFatal(e);
        Throwable failure = session.translateFailure(portal, e);
        if (portal != null) {
            closePortalQuietly();
        }
        end(null, Optional.of(failure));
        if (failure instanceof Error error) {
            throw error;
        }
        return (RuntimeException) failure;
    }

    /** Closes the portal after its statement failed; a failure to close is logged, never reported over the first one. */
    private void closePortalQuietly()
    {
        try {
            session.closePortal(portalName);
        }
        catch (RuntimeException | Error e) {
            StatementFailures.rethrowIfFatal(e);
            StatementFailures.internal(e);
        }
    }

    private void end(Outcome outcome, Optional<Throwable> failure)
    {
        ended = true;
        if (statement == null) {
            // the portal does not exist: the run never started
            return;
        }
        if (outcome == Outcome.SUSPENDED) {
            StatementInfo paused = statement;
            portal.whenClosedEarly(() -> pipeline.closedEarly(paused));
            pipeline.suspended(statement, permit, sent);
        }
        else {
            pipeline.finished(portal != null && portal.answeredFromCache() ? statement.withAnsweredFromCache() : statement, permit, sent, failure);
        }
    }
}
