package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.resultcache.CachingConnector;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.session.CancelScheduler;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.gateway.session.SessionSettings;
import dev.sekisho.gateway.session.StatementText;
import dev.sekisho.gateway.session.TransactionStatus;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.Principal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static java.util.Objects.requireNonNull;

/**
 * One client's session as every front door drives it, whatever its protocol: opened by
 * {@link Sessions#open} for an authenticated principal, then
 * {@code prepare -> bind -> execute (rows into a RowSink, up to a row limit) -> sync}, with
 * {@link #cancel()} from any thread and {@link #close()} at the end. Every statement runs through
 * the gateway's {@link StatementPipeline}. Errors are thrown as
 * {@link dev.sekisho.planner.spi.QueryException} (see {@link StatementFailures} for the rest); after
 * one the front door reports it and calls {@link #fail()}.
 *
 * <p>Not thread-safe, except {@link #cancel()} and {@link #terminate()}: every other call comes from
 * the session's one task at a time (see {@link SessionWorkQueue}), on a worker thread, or, for a
 * result-cache hit that {@link #answerFromCache} found answerable without blocking, or a statement
 * whose rows {@link #startWithoutWorker} had its source send to that thread, on the front door's
 * I/O thread while the session's work queue is idle.
 */
public final class ClientSession
        implements AutoCloseable
{
    /** The largest stored result answered without a worker: its rows go out in one write that backpressure need not pause. */
    public static final long MAX_ANSWER_BYTES = 16 * 1024;

    private final Session session;
    private final StatementPipeline pipeline;
    private final Sessions sessions;
    private final Sessions.CancelKey cancelKey;
    private final AdmissionWait admissionWait = new AdmissionWait();
    private final ConnectionLimits.Slot slot;
    private final SessionInfo info;
    private final Optional<ResultCache> resultCache;
    /** The sources by name, as the planner reaches them, whose statements {@link #startWithoutWorker} may start on a front door's I/O thread. */
    private final Map<String, Connector> sources;

    ClientSession(Session session, StatementPipeline pipeline, Sessions sessions, Sessions.CancelKey cancelKey, ConnectionLimits.Slot slot, SessionInfo info)
    {
        this(session, pipeline, sessions, cancelKey, slot, info, Optional.empty());
    }

    /** @param resultCache the gateway's result cache, whose hits {@link #answerFromCache} answers without a worker */
    ClientSession(Session session, StatementPipeline pipeline, Sessions sessions, Sessions.CancelKey cancelKey, ConnectionLimits.Slot slot, SessionInfo info,
            Optional<ResultCache> resultCache)
    {
        this(session, pipeline, sessions, cancelKey, slot, info, resultCache, Map.of());
    }

    /** @param sources the sources by name as the planner reaches them (behind the result cache when there is one), for {@link #startWithoutWorker} */
    ClientSession(Session session, StatementPipeline pipeline, Sessions sessions, Sessions.CancelKey cancelKey, ConnectionLimits.Slot slot, SessionInfo info,
            Optional<ResultCache> resultCache, Map<String, Connector> sources)
    {
        this.sources = Map.copyOf(sources);
        this.resultCache = requireNonNull(resultCache, "resultCache is null");
        this.session = requireNonNull(session, "session is null");
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.cancelKey = requireNonNull(cancelKey, "cancelKey is null");
        this.slot = requireNonNull(slot, "slot is null");
        this.info = requireNonNull(info, "info is null");
    }

    /** The session as operations see it (audit, metrics, the admin endpoint). */
    public SessionInfo info()
    {
        return info;
    }

    /** What a client presents, on another connection, to cancel this session's statement. */
    public Sessions.CancelKey cancelKey()
    {
        return cancelKey;
    }

    public Principal principal()
    {
        return session.principal();
    }

    /** The session's settings (SET, SHOW, the startup parameters). */
    public SessionSettings settings()
    {
        return session.settings();
    }

    public TransactionStatus transactionStatus()
    {
        return session.transactionStatus();
    }

    /** The statements of a text that may hold several (a simple Query), trimmed; empty ones are dropped. */
    public List<SqlStatement> splitStatements(String text)
    {
        return StatementText.split(text);
    }

    /**
     * The statements about to run came in one text with several statements, which run in one
     * implicit transaction block (as PostgreSQL runs a simple Query).
     */
    public void setImplicitTransactionBlock(boolean implicitTransactionBlock)
    {
        session.setImplicitTransactionBlock(implicitTransactionBlock);
    }

    /**
     * Reads and plans a statement and keeps it under {@code name} (empty: the unnamed statement,
     * which each prepare replaces).
     *
     * @param parameterTypes types the client declared for $1..$n; null entries where unspecified
     */
    public void prepare(String name, String sql, List<ColumnType> parameterTypes)
    {
        pipeline.prepare(session, info, name, sql, parameterTypes);
    }

    /**
     * Parses and plans the one statement of a simple Query whose text {@code sql} holds only it,
     * lexed already ({@link #splitStatements}): as a Parse of {@code sql} would, through the
     * session's shape memo, so that a later text of its shape may run without planning.
     */
    public void prepareWhole(String name, String sql, SqlStatement lexed)
    {
        pipeline.prepareWhole(session, info, name, sql, lexed);
    }

    /** Parses and plans one statement of a text already split ({@link #splitStatements}): it is not lexed again. */
    public void prepare(String name, SqlStatement statement, List<ColumnType> parameterTypes)
    {
        pipeline.prepare(session, info, name, statement, parameterTypes);
    }

    /**
     * The statement {@link #prepare(String, String, List)} would keep for a Parse of {@code sql},
     * when nothing needs to be planned for it (a text of a shape the session parsed last, whose
     * folded plan is cached); nothing is kept. Never blocks: for a front door's I/O thread.
     */
    public Optional<PreparedStatement> parsedWithoutPlanning(String name, String sql, List<ColumnType> parameterTypes)
    {
        return session.parsedWithoutPlanning(name, sql, parameterTypes);
    }

    /** Keeps {@code statement}, which {@link #parsedWithoutPlanning} returned, under its name: the Parse it was checked for, as {@link #prepare} would (the same notifications). */
    public void prepareChecked(PreparedStatement statement)
    {
        pipeline.prepareChecked(session, statement);
    }

    /** A prepared statement: its parameter types and result columns. */
    public PreparedStatement describeStatement(String name)
    {
        return session.describeStatement(name);
    }

    /**
     * Makes a portal from a prepared statement and its parameter values (Java values of the
     * parameter types); {@code portalName} empty is the unnamed portal, which each bind replaces.
     *
     * @param resultFormats the front end's output formats, kept with the portal
     */
    public Portal bind(String portalName, String statementName, List<Object> parameters, List<Integer> resultFormats)
    {
        return session.bind(portalName, statementName, parameters, resultFormats);
    }

    /** A portal: its columns and result formats. */
    public Portal describePortal(String name)
    {
        return session.portal(name);
    }

    /**
     * A run of portal {@code portalName}: its rows go to {@code sink}, at most {@code maxRows} of
     * them (0: all; the rest wait for the portal's next run). Nothing happens until
     * {@link StatementRun#proceed()}, which blocks until the sources answer: call it on a worker.
     */
    public StatementRun execute(String portalName, int maxRows, RowSink sink)
    {
        return pipeline.run(session, info, admissionWait, portalName, maxRows, sink);
    }

    /**
     * Like {@link #execute(String, int, RowSink)}, for a portal whose rows were read ahead of this
     * run ({@link StatementRun#readAhead}): the run sends those first, and reports the end of the
     * rows or a failure that reading ahead found when it gets there.
     */
    public StatementRun execute(String portalName, int maxRows, RowSink sink, PortalReadAhead readAhead)
    {
        return pipeline.run(session, info, admissionWait, portalName, maxRows, sink, requireNonNull(readAhead, "readAhead is null"));
    }

    /**
     * Like {@link #execute(String, int, RowSink)}, for the portal that {@code answer}'s Bind made:
     * admitted already, its rows read from the entry {@code answer} pinned. Call on the thread that
     * holds the pin.
     */
    public StatementRun execute(String portalName, int maxRows, RowSink sink, CheckedAnswer answer)
    {
        StatementPipeline.Admitted admitted = answer instanceof CachedAnswer cached ? cached.takeAdmitted() : ((SourceAnswer) answer).takeAdmitted();
        return pipeline.run(session, info, admissionWait, portalName, maxRows, sink, admitted);
    }

    /**
     * Whether the gateway has a result cache at all: without one {@link #answerFromCache} is always
     * empty, and the front door need not decode a batch's values on its I/O thread to ask.
     */
    public boolean mayAnswerFromCache()
    {
        return resultCache.isPresent();
    }

    /**
     * A statement that the result cache answers now and that can run on the calling thread without
     * blocking it, checked before anything of it runs: Bind of prepared statement
     * {@code statementName} with {@code values}, then Execute. Empty unless all of this holds:
     * the session is idle outside a transaction block (nothing to roll back, no failed block);
     * the statement is a query planned for the session as it is now (no re-plan: a policy edit or a
     * new search_path sends it to a worker), which its one source runs whole; the result cache
     * would answer that source statement from a stored entry of at most
     * {@link #MAX_ANSWER_BYTES} (the same checks as a read on a worker: the session's
     * {@code sekisho.cache}, cacheable tables and SQL, the source's own check); and admission
     * needs no estimate, ledger or queue ({@link Admission#admitAtOnce}). The entry is pinned on
     * the calling thread until the answer is closed, so the read cannot miss and reach a source.
     * Never blocks and changes nothing when empty.
     */
    public Optional<CachedAnswer> answerFromCache(PreparedStatement statement, List<Object> values)
    {
        if (resultCache.isEmpty()) {
            return Optional.empty();
        }
        Optional<BackendQuery> checked = soleFragment(statement, values);
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        BackendQuery fragment = checked.get();
        Optional<String> cacheSetting = session.settings().show(CachingConnector.SESSION_SETTING);
        Optional<ResultCache.Entry> entry = resultCache.get().peek(fragment, cacheSetting);
        if (entry.isEmpty() || entry.get().bytes() > MAX_ANSWER_BYTES) {
            return Optional.empty();
        }
        StatementInfo run = runOf(statement, values, cacheSetting);
        Optional<Admission.Permit> permit = pipeline.admitAtOnce(run);
        if (permit.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CachedAnswer(statement, run, fragment, permit.get(), resultCache.get().pin(entry.get())));
    }

    /**
     * The one source statement of a Bind of {@code statement} with {@code values} then Execute, when
     * it may be answered on the calling thread (a front door's I/O thread): the session is idle
     * outside a transaction block, the statement is a query planned for the session as it is now,
     * and its one source runs it whole. Never blocks; empty otherwise.
     */
    private Optional<BackendQuery> soleFragment(PreparedStatement statement, List<Object> values)
    {
        if (session.transactionStatus() != TransactionStatus.IDLE || statement.kind() != StatementKind.QUERY
                || statement.query().isEmpty() || statement.command().isPresent() || values.size() != statement.parameterTypes().size()) {
            return Optional.empty();
        }
        PreparedQuery query = statement.query().get();
        if (!query.isFullyPushedDown() || !session.isCurrent(statement)) {
            return Optional.empty();
        }
        List<BackendQuery> fragments = query.fragments(values);
        return fragments.size() == 1 ? Optional.of(fragments.get(0)) : Optional.empty();
    }

    private StatementInfo runOf(PreparedStatement statement, List<Object> values, Optional<String> cacheSetting)
    {
        return new StatementInfo(session.principalFor(statement.annotation()), session.principal(), "", statement, values, Instant.now(), info,
                session.settings().show("application_name").filter(name -> !name.isEmpty()), cacheSetting);
    }

    /**
     * Whether the gateway has sources at all that {@link #startWithoutWorker} may ask: without them
     * it is always empty, and the front door need not decode a batch's values on its I/O thread to ask.
     */
    public boolean mayStartWithoutWorker()
    {
        return !sources.isEmpty();
    }

    /**
     * Sends the statement of a Bind of {@code statement} with {@code values} then Execute to its
     * source on the front door's I/O thread {@code io} ({@link Connector#startWithoutBlocking}),
     * checked before anything of it runs, as {@link #answerFromCache} checks a hit: the session is
     * idle outside a transaction block; the statement is a query planned for the session as it is
     * now, which its one source runs whole; the result cache, when there is one, would not keep its
     * rows (a statement it keeps goes to a worker, which loads the entry); admission needs no
     * estimate, ledger or queue ({@link Admission#admitAtOnce}); and the source's connector runs it
     * that way. Empty, having sent and kept nothing, otherwise. Never blocks; call on {@code io}'s
     * thread, while the session's work queue is idle and a received Execute waits for this.
     */
    public Optional<SourceAnswer> startWithoutWorker(PreparedStatement statement, List<Object> values, EventLoopIo io)
    {
        Optional<BackendQuery> checked = soleFragment(statement, values);
        if (checked.isEmpty()) {
            return Optional.empty();
        }
        BackendQuery fragment = checked.get();
        Connector source = sources.get(fragment.source());
        Optional<String> cacheSetting = session.settings().show(CachingConnector.SESSION_SETTING);
        if (source == null || resultCache.map(cache -> cache.wouldKeep(fragment, cacheSetting)).orElse(false)) {
            return Optional.empty();
        }
        StatementInfo run = runOf(statement, values, cacheSetting);
        Optional<Admission.Permit> permit = pipeline.admitAtOnce(run);
        if (permit.isEmpty()) {
            return Optional.empty();
        }
        Optional<NonBlockingRun> started;
        try {
            started = source.startWithoutBlocking(fragment, io);
        }
        catch (RuntimeException | Error e) {
            permit.get().close();
            throw e;
        }
        if (started.isEmpty()) {
            permit.get().close();
            return Optional.empty();
        }
        return Optional.of(SourceAnswer.waitFor(statement, run, fragment, permit.get(), started.get(), io, session));
    }

    /**
     * A statement checked for an answer on a front door's I/O thread, without a worker: a
     * result-cache hit ({@link CachedAnswer}) or rows that arrived from the source there
     * ({@link SourceAnswer}). Bind it with {@link #bindChecked}, run it with
     * {@link #execute(String, int, RowSink, CheckedAnswer)}, and close it when the statement's
     * messages were handled.
     */
    public sealed interface CheckedAnswer
            extends AutoCloseable
            permits CachedAnswer, SourceAnswer
    {
        /** The statement as it was checked: bind this one, not a new plan. */
        PreparedStatement statement();

        @Override
        void close();
    }

    /**
     * A statement {@link #answerFromCache} found answerable without a worker: the statement as it
     * was checked, the run as admission saw it, the source statement it reads, its admission
     * permit, and the pinned entry. The run is not described or planned again: it is this run.
     * Close it when the statement's messages were handled: the pin ends, and a permit no run took
     * is given back.
     */
    public static final class CachedAnswer
            implements CheckedAnswer
    {
        private final PreparedStatement statement;
        private final StatementInfo run;
        private final Optional<BackendQuery> fragment;
        private final ResultCache.Pin pin;
        private Admission.Permit permit;

        private CachedAnswer(PreparedStatement statement, StatementInfo run, BackendQuery fragment, Admission.Permit permit, ResultCache.Pin pin)
        {
            this.statement = statement;
            this.run = run;
            this.fragment = Optional.of(fragment);
            this.permit = permit;
            this.pin = pin;
        }

        /** The statement as it was checked: bind this one ({@link #bindChecked}), not a new plan. */
        @Override
        public PreparedStatement statement()
        {
            return statement;
        }

        private StatementPipeline.Admitted takeAdmitted()
        {
            Admission.Permit taken = permit;
            if (taken == null) {
                throw new IllegalStateException("the statement answered from the cache ran already");
            }
            permit = null;
            return new StatementPipeline.Admitted(taken, run, fragment);
        }

        @Override
        public void close()
        {
            pin.close();
            Admission.Permit left = permit;
            permit = null;
            if (left != null) {
                left.close();
            }
        }
    }

    /** Bind of {@code answer}'s statement as {@link #answerFromCache} or {@link #startWithoutWorker} checked it: it is not planned again. */
    public Portal bindChecked(String portalName, CheckedAnswer answer, List<Object> parameters, List<Integer> resultFormats)
    {
        return session.bindChecked(portalName, answer.statement(), parameters, resultFormats);
    }

    /** Closes a prepared statement; closing one that does not exist is not an error. */
    public void closeStatement(String name)
    {
        session.closeStatement(name);
    }

    /** Closes a portal (cancelling what it runs at the sources); closing one that does not exist is not an error. */
    public void closePortal(String name)
    {
        session.closePortal(name);
    }

    /** The statement the front door just reported an error for failed: a transaction block becomes failed. */
    public void fail()
    {
        session.fail();
    }

    /**
     * The client is in step again (Sync): outside a transaction block the implicit transaction
     * ends, and with it the portals.
     *
     * @return the transaction status to tell the client
     */
    public TransactionStatus sync()
    {
        return session.sync();
    }

    /** Reported settings that changed outside a statement's own result (a rollback put them back); clears them. */
    public Map<String, String> takeParameterChanges()
    {
        return session.takeParameterChanges();
    }

    /**
     * The front door received a request that runs statements and queued it for a worker (on the
     * thread that reads the client): a {@link #cancel()} from now on is kept for it, as PostgreSQL
     * would be running it already. Each is followed by {@link #statementStarted()} or {@link #statementSkipped()}.
     */
    public void statementReceived()
    {
        session.statementReceived();
    }

    /** A request that {@link #statementReceived()} announced is dropped without running (after an error, until Sync). */
    public void statementSkipped()
    {
        session.statementSkipped();
    }

    /**
     * The front door starts a request that runs statements (one Execute, or one simple Query with
     * all its statements): until {@link #statementFinished()} a {@link #cancel()} cancels what runs.
     */
    public void statementStarted()
    {
        session.statementStarted();
    }

    /** The request that {@link #statementStarted()} announced is done; later cancels do nothing. */
    public void statementFinished()
    {
        session.statementFinished();
    }

    /**
     * Cancels the statement running now: its work at the sources stops and it fails with 57014.
     * Does nothing when no statement runs, as in PostgreSQL. Safe from any thread.
     *
     * @return whether a statement was running
     */
    public boolean cancel()
    {
        if (admissionWait.abandon(new QueryException(SqlStates.QUERY_CANCELED, "canceling statement due to user request (it was waiting in its resource group's queue)"),
                false)) {
            return true;
        }
        return session.cancel();
    }

    /** The admission the session's run waits for (in a resource group's queue), or null: the session goes on when it completes. */
    CompletableFuture<Admission.Permit> pendingAdmission()
    {
        return admissionWait.pending();
    }

    /** Whether a statement of the session holds something at its sources now (a suspended portal's rows, say). Safe from any thread. */
    public boolean holdsSourceConnections()
    {
        return session.holdsSourceConnections();
    }

    /**
     * Cancels everything the session has open at its sources (the client went away). Safe from any
     * thread, and returns at once: the cancels run on their own threads, because a source's cancel
     * may wait on the network and this is called from a front door's I/O thread.
     */
    public void terminate()
    {
        CancelScheduler.execute(session::terminate);
    }

    /**
     * How long the session may now wait for its next request before the front door closes it
     * ({@code idle_session_timeout} outside a transaction block,
     * {@code idle_in_transaction_session_timeout} inside one); zero: forever.
     */
    public Duration idleTimeout()
    {
        return session.idleTimeout();
    }

    /** Ends the session: it can no longer be cancelled by key; every portal closes and releases what it holds at the sources. */
    @Override
    public void close()
    {
        admissionWait.abandon(new QueryException(SqlStates.QUERY_CANCELED, "the session ended while its statement waited in its resource group's queue"), true);
        sessions.unregister(this);
        try {
            session.close();
        }
        finally {
            slot.close();
        }
    }
}
