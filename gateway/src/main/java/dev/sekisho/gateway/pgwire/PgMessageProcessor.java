package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.PortalReadAhead;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.gateway.execution.StatementRun;
import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.TransactionStatus;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Handles the messages of an authenticated connection, one at a time, on a worker thread: each
 * message is decoded already, calls the {@link ClientSession} once and writes the reply; a
 * statement's rows go out through a {@link PgRowSink}. Owns the "after an error in the extended
 * protocol, skip everything until Sync" rule. Streaming rows may pause for backpressure; the
 * {@link SessionWorkQueue} then calls {@link #resume()} when the channel is writable.
 *
 * <p>When an Execute suspends its portal at the client's row count (a fetch size), the portal's
 * next rows are read ahead while no message waits ({@link #readAhead()}, up to that many rows and
 * {@code readAheadBytes}), and its next Execute sends them first ({@link PortalReadAhead}); rows
 * kept for a portal that closed are freed after the message that closed it.
 */
final class PgMessageProcessor
        implements SessionWorkQueue.Worker<FrontendMessage>
{
    private final ClientSession session;
    private final PgOutput out;
    private final Runnable closeConnection;
    private final Runnable readyForQuerySent;
    private final PgParameters parameters;
    /** The column encodings of the last statement whose rows went out: the next run of it reuses them. */
    private final PgColumnEncodings.Memo encodings = new PgColumnEncodings.Memo();
    /** The most bytes of rows read ahead of a suspended portal's next Execute; 0: no reading ahead. */
    private final long readAheadBytes;
    /** The bytes of rows read ahead that all sessions may keep together. */
    private final ReadAheadBudget readAheadBudget;
    /** Rows read ahead, by portal name (a portal that closed had its rows freed). */
    private final Map<String, PortalReadAhead> readAheads = new HashMap<>();
    /** The portal whose rows are read ahead while nothing waits: the last one suspended; null when none is. */
    private PortalReadAhead reading;
    /** After {@link #readAhead()} stopped for rows the source had not delivered: when to look again; 0 otherwise. */
    private long readingPauseNanos;
    private boolean ignoreUntilSync;
    private Step paused;
    /** Batches answered on the event loop: what they checked there, which the messages use instead of checking again. */
    private final PgEventLoopAnswers eventLoopAnswers;

    /** A piece of work that may pause for backpressure; returns true when finished. */
    private interface Step
    {
        boolean run();
    }

    PgMessageProcessor(ClientSession session, PgOutput out, Runnable closeConnection)
    {
        this(session, out, closeConnection, () -> {});
    }

    /** @param readyForQuerySent called after each ReadyForQuery went out (the connection arms its idle timeout) */
    PgMessageProcessor(ClientSession session, PgOutput out, Runnable closeConnection, Runnable readyForQuerySent)
    {
        this(session, out, closeConnection, readyForQuerySent, 0, ReadAheadBudget.NONE);
    }

    /**
     * @param readAheadBytes the most bytes of a suspended portal's rows read ahead of its next Execute; 0: none
     * @param readAheadBudget the bytes of rows read ahead that all sessions may keep together
     */
    PgMessageProcessor(ClientSession session, PgOutput out, Runnable closeConnection, Runnable readyForQuerySent, long readAheadBytes,
            ReadAheadBudget readAheadBudget)
    {
        this.readAheadBudget = requireNonNull(readAheadBudget, "readAheadBudget is null");
        if (readAheadBytes < 0) {
            throw new IllegalArgumentException("readAheadBytes must not be negative: " + readAheadBytes);
        }
        this.readAheadBytes = readAheadBytes;
        this.session = requireNonNull(session, "session is null");
        this.out = requireNonNull(out, "out is null");
        this.closeConnection = requireNonNull(closeConnection, "closeConnection is null");
        this.readyForQuerySent = requireNonNull(readyForQuerySent, "readyForQuerySent is null");
        this.parameters = new PgParameters(session.settings());
        this.eventLoopAnswers = new PgEventLoopAnswers(session, parameters, () -> paused == null && !ignoreUntilSync);
    }

    /** The entry points of batches answered on the event loop instead of a worker (result-cache hits, statements run at their source there). */
    PgEventLoopAnswers eventLoopAnswers()
    {
        return eventLoopAnswers;
    }

    /** Handles one message; returns false when it paused for backpressure (call {@link #resume()}). */
    @Override
    public boolean handle(FrontendMessage message)
    {
        boolean finished = handleMessage(message);
        if (finished) {
            dropClosedReadAheads();
        }
        return finished;
    }

    private boolean handleMessage(FrontendMessage message)
    {
        if (paused != null) {
            throw new IllegalStateException("a paused message must be resumed first");
        }
        if (ignoreUntilSync && !(message instanceof FrontendMessage.Sync) && !(message instanceof FrontendMessage.Terminate)) {
            if (message instanceof FrontendMessage.Query || message instanceof FrontendMessage.Execute) {
                session.statementSkipped();
            }
            return true;
        }
        try {
            if (message instanceof FrontendMessage.Query query) {
                session.statementStarted();
                return run(new SimpleQuery(query.sql(), eventLoopAnswers.isAnsweredQuery(query) ? eventLoopAnswers.answering() : null));
            }
            if (message instanceof FrontendMessage.Parse parse) {
                parse(parse);
            }
            else if (message instanceof FrontendMessage.Bind bind) {
                bind(bind);
            }
            else if (message instanceof FrontendMessage.Describe describe) {
                describe(describe);
            }
            else if (message instanceof FrontendMessage.Execute execute) {
                session.statementStarted();
                return run(new ExecuteStep(execute.portalName(), execute.maxRows()));
            }
            else if (message instanceof FrontendMessage.Sync) {
                ignoreUntilSync = false;
                readyForQuery();
                out.flush();
                readyForQuerySent.run();
            }
            else if (message instanceof FrontendMessage.Flush) {
                out.flush();
            }
            else if (message instanceof FrontendMessage.Close close) {
                if (close.target() == 'S') {
                    parameters.forget(close.name());
                    session.closeStatement(close.name());
                }
                else {
                    session.closePortal(close.name());
                }
                BackendMessages.closeComplete(out.buffer());
            }
            else if (message instanceof FrontendMessage.Terminate) {
                out.flush();
                closeConnection.run();
            }
            else if (message instanceof FrontendMessage.Unsupported unsupported) {
                if (unsupported.type() == 'F') {
                    BackendMessages.errorResponse(out.buffer(), PgError.error(SqlStates.FEATURE_NOT_SUPPORTED,
                            "the FunctionCall message is not supported by Sekisho"));
                    BackendMessages.readyForQuery(out.buffer(), session.transactionStatus().code());
                    out.flush();
                }
                // CopyData, CopyDone and CopyFail outside COPY are ignored, as PostgreSQL does
            }
            else {
                throw new PgProtocolException("unexpected message " + message.getClass().getSimpleName() + " after authentication");
            }
        }
        catch (RuntimeException | Error e) {
            StatementFailures.rethrowIfFatal(e);
            extendedError(e);
        }
        return true;
    }

    /**
     * The connection is gone: releases the replies gathered since the last Sync or Flush (a client
     * that drops the connection between Parse and Sync left them in a direct buffer nobody freed).
     */
    @Override
    public void closed()
    {
        out.discard();
        reading = null;
        readAheads.values().forEach(PortalReadAhead::release);
        readAheads.clear();
    }

    /** Continues a paused message; returns false when it paused again. */
    @Override
    public boolean resume()
    {
        Step step = paused;
        paused = null;
        boolean finished = step == null || run(step);
        if (finished) {
            dropClosedReadAheads();
        }
        return finished;
    }

    /**
     * Reads a chunk of the last suspended portal's rows ahead of its next Execute, unless a message
     * is paused, an error is being skipped to Sync, or the transaction failed (its Executes fail).
     */
    @Override
    public boolean readAhead()
    {
        if (reading == null) {
            return false;
        }
        readingPauseNanos = 0;
        if (paused != null || ignoreUntilSync || session.transactionStatus() == TransactionStatus.FAILED) {
            // on again when a portal suspends next
            reading = null;
            dropClosedReadAheads();
            return false;
        }
        if (!reading.readSome()) {
            readingPauseNanos = reading.waitForSourceNanos();
            if (readingPauseNanos == 0) {
                // on again when a portal suspends next
                reading = null;
                dropClosedReadAheads();
            }
            return false;
        }
        return true;
    }

    /** The source had not delivered the suspended portal's next row: look again after this pause ({@link PortalReadAhead#waitForSourceNanos()}). */
    @Override
    public long readAheadPauseNanos()
    {
        return reading == null ? 0 : readingPauseNanos;
    }

    /** No portal's rows are being read ahead ({@link #readAhead()} would return false at once): always so with read-ahead off. */
    @Override
    public boolean mayReadAhead()
    {
        return reading != null;
    }

    /** Frees the rows kept for portals that closed (Close, the end of the transaction, a Bind of the name, an Execute that failed). */
    private void dropClosedReadAheads()
    {
        if (readAheads.isEmpty()) {
            return;
        }
        for (Iterator<PortalReadAhead> iterator = readAheads.values().iterator(); iterator.hasNext(); ) {
            PortalReadAhead readAhead = iterator.next();
            if (readAhead.isPortalClosed()) {
                iterator.remove();
                readAhead.release();
                if (reading == readAhead) {
                    reading = null;
                }
            }
        }
    }

    /** The run of {@code portalName} suspended: its next rows are read ahead of the next Execute, if they may be. */
    private void suspended(String portalName, StatementRun run)
    {
        if (readAheadBytes == 0 || !readAheadBudget.isEnabled()) {
            return;
        }
        Optional<PortalReadAhead> readAhead = run.readAhead(readAheadBytes, readAheadBudget);
        PortalReadAhead previous = readAhead.isPresent() ? readAheads.put(portalName, readAhead.get()) : readAheads.remove(portalName);
        if (previous != null && previous != readAhead.orElse(null)) {
            previous.release();
        }
        reading = readAhead.orElse(null);
    }

    private boolean run(Step step)
    {
        boolean finished = false;
        try {
            finished = step.run();
        }
        finally {
            if (finished) {
                session.statementFinished();
            }
        }
        if (!finished) {
            paused = step;
            out.flush();
        }
        return finished;
    }

    /** Ends the implicit transaction if any and writes ReadyForQuery (after settings a rollback put back). */
    private void readyForQuery()
    {
        char status = session.sync().code();
        Map<String, String> changes = session.takeParameterChanges();
        if (!changes.isEmpty()) {
            for (Map.Entry<String, String> change : changes.entrySet()) {
                BackendMessages.parameterStatus(out.buffer(), change.getKey(), change.getValue());
            }
        }
        BackendMessages.readyForQuery(out.buffer(), status);
    }

    private void parse(FrontendMessage.Parse parse)
    {
        ClientSession.CheckedAnswer answering = eventLoopAnswers.answering();
        if (answering != null && eventLoopAnswers.isAnsweredParse(parse)) {
            // the statement checked for this Parse on the event loop: kept as it was checked, not planned here
            session.prepareChecked(answering.statement());
            parameters.declared(parse.statementName(), parse.parameterOids());
            BackendMessages.parseComplete(out.buffer());
            return;
        }
        session.prepare(parse.statementName(), parse.sql(), parameters.declaredTypes(parse.parameterOids()));
        parameters.declared(parse.statementName(), parse.parameterOids());
        BackendMessages.parseComplete(out.buffer());
    }

    private void bind(FrontendMessage.Bind bind)
    {
        ClientSession.CheckedAnswer answering = eventLoopAnswers.answering();
        if (answering != null) {
            // checked with the statement as it was then: not decoded, checked or planned again
            session.bindChecked(bind.portalName(), answering, eventLoopAnswers.answeringValues(), bind.resultFormats());
            BackendMessages.bindComplete(out.buffer());
            return;
        }
        PreparedStatement statement = session.describeStatement(bind.statementName());
        List<Object> values = parameters.decode(bind, statement);
        checkResultFormats(bind, statement);
        session.bind(bind.portalName(), bind.statementName(), values, bind.resultFormats());
        BackendMessages.bindComplete(out.buffer());
    }

    /** Fails a Bind whose result formats the statement's columns do not allow. */
    static void checkResultFormats(FrontendMessage.Bind bind, PreparedStatement statement)
    {
        List<Integer> resultFormats = bind.resultFormats();
        for (int resultFormat : resultFormats) {
            PgParameters.checkFormat(resultFormat);
        }
        int columnCount = statement.columns().map(List::size).orElse(0);
        if (resultFormats.size() > 1 && resultFormats.size() != columnCount) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message has " + resultFormats.size() + " result formats but query has "
                    + columnCount + " columns");
        }
    }

    private void describe(FrontendMessage.Describe describe)
    {
        if (describe.target() == 'S') {
            PreparedStatement statement = session.describeStatement(describe.name());
            BackendMessages.parameterDescription(out.buffer(), parameters.oids(describe.name(), statement));
            PgRowSink.writeRowDescription(out.buffer(), statement.columns().orElse(null), List.of());
        }
        else {
            Portal portal = session.describePortal(describe.name());
            PgRowSink.writeRowDescription(out.buffer(), portal.columns().orElse(null), portal.resultFormats());
        }
    }

    private void extendedError(Throwable e)
    {
        PgError error = PgErrors.toError(e);
        BackendMessages.errorResponse(out.buffer(), error);
        if (error.severity() == PgError.Severity.FATAL) {
            out.flush();
            closeConnection.run();
            return;
        }
        session.fail();
        ignoreUntilSync = true;
    }

    /** Closes a portal after its statement failed; a failure to close is logged, never reported over the first one. */
    private void closePortalQuietly(String name)
    {
        try {
            session.closePortal(name);
        }
        catch (RuntimeException | Error e) {
            StatementFailures.rethrowIfFatal(e);
            StatementFailures.internal(e);
        }
    }

    /** Execute: runs a portal, streaming up to {@code maxRows} rows (0 = all). */
    private final class ExecuteStep
            implements Step
    {
        private final String portalName;
        private final int maxRows;
        private StatementRun run;

        ExecuteStep(String portalName, int maxRows)
        {
            this.portalName = portalName;
            this.maxRows = maxRows;
        }

        @Override
        public boolean run()
        {
            try {
                if (run == null) {
                    PortalReadAhead readAhead = readAheads.get(portalName);
                    ClientSession.CheckedAnswer answering = eventLoopAnswers.answering();
                    if (answering != null) {
                        run = session.execute(portalName, maxRows, PgRowSink.forExecuteWithoutPausing(out, session.settings(), encodings), answering);
                    }
                    else if (readAhead != null) {
                        run = session.execute(portalName, maxRows, PgRowSink.forExecute(out, session.settings(), encodings), readAhead);
                    }
                    else {
                        run = session.execute(portalName, maxRows, PgRowSink.forExecute(out, session.settings(), encodings));
                    }
                }
                StatementRun.Outcome outcome = run.proceed();
                if (outcome == StatementRun.Outcome.SUSPENDED) {
                    suspended(portalName, run);
                }
                return outcome != StatementRun.Outcome.PAUSED;
            }
            catch (RuntimeException | Error e) {
                // the run closed the portal already, and a cancelled statement's failure is 57014
                StatementFailures.rethrowIfFatal(e);
                extendedError(e);
                return true;
            }
        }
    }

    /** A simple Query: each statement in turn, then one ReadyForQuery; an error stops the rest. */
    private final class SimpleQuery
            implements Step
    {
        private final String sql;
        /** The answer checked for this Query on the event loop ({@link PgEventLoopAnswers#isAnsweredQuery}); null on a worker. */
        private final ClientSession.CheckedAnswer checked;
        private List<SqlStatement> statements;
        private int index;
        private StatementRun run;

        SimpleQuery(String sql, ClientSession.CheckedAnswer checked)
        {
            this.sql = sql;
            this.checked = checked;
        }

        @Override
        public boolean run()
        {
            try {
                if (statements == null) {
                    // a Query answered on the event loop is the one statement checked with it: not lexed again
                    statements = checked != null ? List.of(checked.statement().statement()) : session.splitStatements(sql);
                    if (statements.isEmpty()) {
                        BackendMessages.emptyQueryResponse(out.buffer());
                    }
                    session.setImplicitTransactionBlock(statements.size() > 1);
                }
                while (index < statements.size()) {
                    if (run == null && checked != null) {
                        // kept, bound and run as checked on the event loop: not planned here, its rows already arrived
                        parameters.forget("");
                        session.prepareChecked(checked.statement());
                        session.bindChecked("", checked, List.of(), List.of());
                        run = session.execute("", 0, PgRowSink.forSimpleQueryWithoutPausing(out, session.settings(), encodings), checked);
                    }
                    if (run == null) {
                        parameters.forget("");
                        if (statements.size() == 1) {
                            // the text is this statement: through the shape memo, as a Parse of it
                            session.prepareWhole("", sql, statements.get(0));
                        }
                        else {
                            session.prepare("", statements.get(index), List.of());
                        }
                        session.bind("", "", List.of(), List.of());
                        run = session.execute("", 0, PgRowSink.forSimpleQuery(out, session.settings(), encodings));
                    }
                    if (run.proceed() == StatementRun.Outcome.PAUSED) {
                        return false;
                    }
                    run = null;
                    index++;
                }
            }
            catch (RuntimeException | Error e) {
                StatementFailures.rethrowIfFatal(e);
                PgError error = PgErrors.toError(e);
                BackendMessages.errorResponse(out.buffer(), error);
                if (error.severity() == PgError.Severity.FATAL) {
                    out.flush();
                    closeConnection.run();
                    return true;
                }
                closePortalQuietly("");
                session.fail();
            }
            session.setImplicitTransactionBlock(false);
            session.closeStatement("");
            readyForQuery();
            out.flush();
            readyForQuerySent.run();
            return true;
        }
    }
}
