package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.execution.SourceAnswer;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.planner.spi.EventLoopIo;

import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The event-loop entry points of one connection's {@link PgMessageProcessor}: a batch answered on
 * the Netty event loop instead of a worker, either a result-cache hit ({@link #answerOnEventLoop})
 * or a statement run at its source there without blocking ({@link #startOnEventLoop}, then
 * {@link #answerArrived}). Checks the batch's shape and the session's state, and while the batch
 * is handled keeps what was checked for it (the answer, the Bind's values, the Parse), which the
 * processor's Parse, Bind and Execute then use instead of checking, decoding or planning again.
 * Event loop only; while it answers nothing else of the session runs.
 */
final class PgEventLoopAnswers
{
    private final ClientSession session;
    private final PgParameters parameters;
    /** Whether the processor may take a batch: nothing paused and no error being skipped until Sync. */
    private final BooleanSupplier processorIdle;
    /** The checked answer whose batch is being handled on the event loop ({@link #answerOnEventLoop}, {@link #answerArrived}); null on a worker. */
    private ClientSession.CheckedAnswer answering;
    /** Its Bind's parameter values, decoded when the batch was checked. */
    private List<Object> answeringValues;
    /** The Parse of the batch being answered that was checked with it ({@link #startOnEventLoop}): it keeps the checked statement; null if none. */
    private FrontendMessage.Parse answeringParse;
    /** The simple Query being answered whose statement was checked with it ({@link #startOnEventLoop}); null if none. */
    private FrontendMessage.Query answeringQuery;

    /**
     * @param parameters the connection's decoder of Bind values (and memory of declared types)
     * @param processorIdle whether the processor has nothing paused and skips no error until Sync
     */
    PgEventLoopAnswers(ClientSession session, PgParameters parameters, BooleanSupplier processorIdle)
    {
        this.session = requireNonNull(session, "session is null");
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.processorIdle = requireNonNull(processorIdle, "processorIdle is null");
    }

    /** The checked answer whose batch is being handled on the event loop now; null otherwise (on a worker). */
    ClientSession.CheckedAnswer answering()
    {
        return answering;
    }

    /** The Bind values decoded with {@link #answering()}. */
    List<Object> answeringValues()
    {
        return answeringValues;
    }

    /** Whether {@code query} is the simple Query being answered, its statement checked with it: it keeps that statement rather than plan. */
    boolean isAnsweredQuery(FrontendMessage.Query query)
    {
        return answering != null && query == answeringQuery;
    }

    /** Whether {@code parse} is the Parse of the batch being answered, checked with it: it keeps the checked statement rather than plan. */
    boolean isAnsweredParse(FrontendMessage.Parse parse)
    {
        return answering != null && parse == answeringParse;
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
     * worker. The messages are then handled by {@link PgMessageProcessor#handle} as on a worker: the same replies,
     * audit and metrics events, cancellation bracket and ReadyForQuery, so an error in the batch
     * is reported and skipped to Sync as there.
     *
     * @param worker handles each message ({@link PgMessageProcessor#handle}, or the connection's counting wrapper of it)
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
            PgMessageProcessor.checkResultFormats(bind.get(), statement);
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
        if (!processorIdle.getAsBoolean() || batch.size() < 3 || batch.size() > 4
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
        if (batch.size() == 1 && batch.get(0) instanceof FrontendMessage.Query query) {
            return startQueryOnEventLoop(query, io);
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
            PgMessageProcessor.checkResultFormats(bind.get(), statement);
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
     * (its Parse then keeps the statement checked here, see {@link #isAnsweredParse}).
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
            PgMessageProcessor.checkResultFormats(bind.get(), statement);
        }
        catch (RuntimeException e) {
            // a Parse or Bind that fails is reported by a worker, as always
            return Optional.empty();
        }
        return session.startWithoutWorker(statement, values, io).map(answer -> new SourceStart(answer, values, Optional.of(parse)));
    }

    /**
     * Like {@link #startParsedOnEventLoop} for a simple Query of one statement (what psycopg2, and
     * so Redash, sends): its text is of a shape the session ran last, as a Parse or a simple Query,
     * and the plan of its folded form is cached ({@link ClientSession#parsedWithoutPlanning}). The
     * statement is kept only when the Query is answered (see {@link #isAnsweredQuery}).
     */
    private Optional<SourceStart> startQueryOnEventLoop(FrontendMessage.Query query, EventLoopIo io)
    {
        if (!processorIdle.getAsBoolean()) {
            return Optional.empty();
        }
        Optional<PreparedStatement> parsed;
        try {
            parsed = session.parsedWithoutPlanning("", query.sql(), List.of());
        }
        catch (RuntimeException e) {
            // whatever it is, a worker reports it, as always
            return Optional.empty();
        }
        if (parsed.isEmpty() || !parsed.get().parameterTypes().isEmpty()) {
            return Optional.empty();
        }
        return session.startWithoutWorker(parsed.get(), List.of(), io).map(answer -> new SourceStart(answer, List.of(), Optional.empty(), Optional.of(query)));
    }

    /**
     * Handles a batch whose statement {@link #startOnEventLoop} started, now that its rows arrived
     * (or its cancel's 57014): on the calling thread, as on a worker (the same replies, audit and
     * metrics events, ReadyForQuery). Closes the start.
     */
    void answerArrived(List<FrontendMessage> batch, SessionWorkQueue.Worker<FrontendMessage> worker, SourceStart start)
    {
        answeringParse = start.parse().orElse(null);
        answeringQuery = start.query().orElse(null);
        try {
            answer(batch, worker, start.answer(), start.values());
        }
        finally {
            answeringParse = null;
            answeringQuery = null;
        }
    }

    /**
     * A batch's statement started at its source on the event loop: the session's answer, the Bind's
     * values as decoded then, and the batch's Parse, or its simple Query, when the statement was
     * parsed for it (checked without planning).
     */
    record SourceStart(SourceAnswer answer, List<Object> values, Optional<FrontendMessage.Parse> parse, Optional<FrontendMessage.Query> query)
    {
        SourceStart
        {
            requireNonNull(answer, "answer is null");
            requireNonNull(values, "values is null");
            requireNonNull(parse, "parse is null");
            requireNonNull(query, "query is null");
            if (parse.isPresent() && query.isPresent()) {
                throw new IllegalArgumentException("a batch has a Parse or a simple Query, not both");
            }
        }

        SourceStart(SourceAnswer answer, List<Object> values)
        {
            this(answer, values, Optional.empty(), Optional.empty());
        }

        SourceStart(SourceAnswer answer, List<Object> values, Optional<FrontendMessage.Parse> parse)
        {
            this(answer, values, parse, Optional.empty());
        }
    }
}
