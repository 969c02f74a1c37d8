package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.PortalReadAhead;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.execution.SourceAnswer;
import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.gateway.execution.StatementRun;
import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.TransactionStatus;
import dev.sekisho.planner.spi.EventLoopIo;
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
    /** The checked answer whose batch is being handled on the event loop ({@link #answerOnEventLoop}, {@link #answerArrived}); null on a worker. */
    private ClientSession.CheckedAnswer answering;
    /** Its Bind's parameter values, decoded when the batch was checked. */
    private List<Object> answeringValues;
    /** The Parse of the batch being answered that was checked with it ({@link #startOnEventLoop}): it keeps the checked statement; null if none. */
    private FrontendMessage.Parse answeringParse;

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
                return run(new SimpleQuery(query.sql()));
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
     * Handles a batch of messages on the calling thread (the event loop) when it is a result-cache
     * hit that runs there without blocking; returns false, having changed nothing, when it is not:
     * the batch then goes to a worker whole. Call only while the session's work queue is idle
     * ({@link SessionWorkQueue#isIdle()}), so that its replies come after every earlier one.
     *
     * <p>Answered here, exactly: {@code Bind, Execute, Sync} or {@code Bind, Describe (portal),
     * Execute, Sync} of the unnamed portal, Execute of all rows, of a prepared statement (named or
     * unnamed) while no error is being skipped and nothing paused, when
     * {@link ClientSession#answerFromCache} says so (auto-commit outside a transaction block, a
     * query its one source runs whole, planned under the current policy and search_path, a stored
     * entry of at most {@link ClientSession#MAX_ANSWER_BYTES}, admission that needs no estimate,
     * ledger or queue). A Parse (planning), a simple Query, a miss, or anything else goes to a
     * worker. The messages are then handled by {@link #handle} as on a worker: the same replies,
     * audit and metrics events, cancellation bracket and ReadyForQuery, so an error in the batch
     * is reported and skipped to Sync as there.
     *
     * @param worker handles each message ({@link #handle}, or the connection's counting wrapper of it)
     */
    boolean answerOnEventLoop(List<FrontendMessage> batch, SessionWorkQueue.Worker<FrontendMessage> worker)
    {
        Optional<FrontendMessage.Bind> bind = answerableBind(batch);
        if (bind.isEmpty()) {
            return false;
        }
        Optional<ClientSession.CachedAnswer> answer;
        List<Object> values;
        try {
            PreparedStatement statement = session.describeStatement(bind.get().statementName());
            values = parameters.decode(bind.get(), statement);
            checkResultFormats(bind.get(), statement);
            answer = session.answerFromCache(statement, values);
        }
        catch (RuntimeException e) {
            // a Bind that fails is reported by a worker, as always
            return false;
        }
        if (answer.isEmpty()) {
            return false;
        }
        answer(batch, worker, answer.get(), values);
        return true;
    }

    /**
     * The Bind of a batch that may be answered on the event loop, by its shape alone: {@code Bind,
     * Execute, Sync} or {@code Bind, Describe (portal), Execute, Sync} of the unnamed portal, Execute
     * of all rows, while no error is being skipped and nothing paused.
     */
    private Optional<FrontendMessage.Bind> answerableBind(List<FrontendMessage> batch)
    {
        if (paused != null || ignoreUntilSync || batch.size() < 3 || batch.size() > 4
                || !(batch.get(0) instanceof FrontendMessage.Bind bind) || !bind.portalName().isEmpty()
                || !(batch.get(batch.size() - 2) instanceof FrontendMessage.Execute execute) || !execute.portalName().isEmpty() || execute.maxRows() != 0
                || !(batch.get(batch.size() - 1) instanceof FrontendMessage.Sync)) {
            return Optional.empty();
        }
        if (batch.size() == 4 && !(batch.get(1) instanceof FrontendMessage.Describe describe && describe.target() == 'P' && describe.name().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(bind);
    }

    /** Handles {@code batch} on the calling thread as on a worker, with {@code held}'s checked statement and rows; closes {@code held}. */
    private void answer(List<FrontendMessage> batch, SessionWorkQueue.Worker<FrontendMessage> worker, ClientSession.CheckedAnswer held, List<Object> values)
    {
        try (held) {
            answering = held;
            answeringValues = values;
            for (FrontendMessage message : batch) {
                if (!worker.handle(message)) {
                    throw new IllegalStateException("a statement answered on the event loop paused");
                }
            }
        }
        finally {
            answering = null;
            answeringValues = null;
        }
    }

    /**
     * Starts the statement of a batch at its source on the calling thread, the event loop
     * {@code io}, when its rows can be read there without blocking ({@link ClientSession#startWithoutWorker});
     * empty, having changed and sent nothing, when not: the batch then goes to a worker whole. The
     * batch's shape is a cache hit's ({@link #answerOnEventLoop}). Call only while the session's
     * work queue is idle; once the source's run completed, handle the batch with
     * {@link #answerArrived} (or, when it declined, close the start and give the batch to a worker).
     */
    Optional<SourceStart> startOnEventLoop(List<FrontendMessage> batch, EventLoopIo io)
    {
        if (!batch.isEmpty() && batch.get(0) instanceof FrontendMessage.Parse parse) {
            return startParsedOnEventLoop(parse, batch, io);
        }
        Optional<FrontendMessage.Bind> bind = answerableBind(batch);
        if (bind.isEmpty()) {
            return Optional.empty();
        }
        PreparedStatement statement;
        List<Object> values;
        try {
            statement = session.describeStatement(bind.get().statementName());
            values = parameters.decode(bind.get(), statement);
            checkResultFormats(bind.get(), statement);
        }
        catch (RuntimeException e) {
            // a Bind that fails is reported by a worker, as always
            return Optional.empty();
        }
        return session.startWithoutWorker(statement, values, io).map(answer -> new SourceStart(answer, values));
    }

    /**
     * Like {@link #startOnEventLoop} for a batch that parses its statement first: {@code Parse,
     * Bind, [Describe (portal),] Execute, Sync} of one statement (pgjdbc's plain {@code Statement},
     * e.g. a Redash-style lookup whose literals and annotation change with every call), when the
     * Parse needs no planning ({@link ClientSession#parsedWithoutPlanning}: the text is of a shape
     * the session parsed last and the plan of its folded form is cached), declares no parameter
     * types, and the Bind sends no values. The statement is kept only when the batch is answered
     * (its Parse then keeps the statement checked here, see {@link #parse}).
     */
    private Optional<SourceStart> startParsedOnEventLoop(FrontendMessage.Parse parse, List<FrontendMessage> batch, EventLoopIo io)
    {
        if (!parse.parameterOids().isEmpty()) {
            return Optional.empty();
        }
        Optional<FrontendMessage.Bind> bind = answerableBind(batch.subList(1, batch.size()));
        if (bind.isEmpty() || !bind.get().statementName().equals(parse.statementName()) || !bind.get().parameters().isEmpty()) {
            return Optional.empty();
        }
        PreparedStatement statement;
        List<Object> values;
        try {
            Optional<PreparedStatement> parsed = session.parsedWithoutPlanning(parse.statementName(), parse.sql(), List.of());
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            statement = parsed.get();
            values = parameters.decode(bind.get(), statement);
            checkResultFormats(bind.get(), statement);
        }
        catch (RuntimeException e) {
            // a Parse or Bind that fails is reported by a worker, as always
            return Optional.empty();
        }
        return session.startWithoutWorker(statement, values, io).map(answer -> new SourceStart(answer, values, Optional.of(parse)));
    }

    /**
     * Handles a batch whose statement {@link #startOnEventLoop} started, now that its rows arrived
     * (or its cancel's 57014): on the calling thread, as on a worker (the same replies, audit and
     * metrics events, ReadyForQuery). Closes the start.
     */
    void answerArrived(List<FrontendMessage> batch, SessionWorkQueue.Worker<FrontendMessage> worker, SourceStart start)
    {
        answeringParse = start.parse().orElse(null);
        try {
            answer(batch, worker, start.answer(), start.values());
        }
        finally {
            answeringParse = null;
        }
    }

    /**
     * A batch's statement started at its source on the event loop: the session's answer, the Bind's
     * values as decoded then, and the batch's Parse when the statement was parsed for it (checked
     * without planning).
     */
    record SourceStart(SourceAnswer answer, List<Object> values, Optional<FrontendMessage.Parse> parse)
    {
        SourceStart
        {
            requireNonNull(answer, "answer is null");
            requireNonNull(values, "values is null");
            requireNonNull(parse, "parse is null");
        }

        SourceStart(SourceAnswer answer, List<Object> values)
        {
            this(answer, values, Optional.empty());
        }
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
        if (answering != null && parse == answeringParse) {
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
        if (answering != null) {
            // checked with the statement as it was then: not decoded, checked or planned again
            session.bindChecked(bind.portalName(), answering, answeringValues, bind.resultFormats());
            BackendMessages.bindComplete(out.buffer());
            return;
        }
        PreparedStatement statement = session.describeStatement(bind.statementName());
        List<Object> values = parameters.decode(bind, statement);
        checkResultFormats(bind, statement);
        session.bind(bind.portalName(), bind.statementName(), values, bind.resultFormats());
        BackendMessages.bindComplete(out.buffer());
    }

    private static void checkResultFormats(FrontendMessage.Bind bind, PreparedStatement statement)
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
        private List<SqlStatement> statements;
        private int index;
        private StatementRun run;

        SimpleQuery(String sql)
        {
            this.sql = sql;
        }

        @Override
        public boolean run()
        {
            try {
                if (statements == null) {
                    statements = session.splitStatements(sql);
                    if (statements.isEmpty()) {
                        BackendMessages.emptyQueryResponse(out.buffer());
                    }
                    session.setImplicitTransactionBlock(statements.size() > 1);
                }
                while (index < statements.size()) {
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
