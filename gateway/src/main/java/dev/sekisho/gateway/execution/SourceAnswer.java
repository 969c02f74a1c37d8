package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.gateway.session.SessionExecutionContext;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.ForwardingResultStream;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A statement that {@link ClientSession#startWithoutWorker} sent to its source on a front door's
 * I/O thread, from the start until its messages were handled: the statement as it was checked, the
 * run as admission saw it, its source statement, its admission permit, and the source's run.
 *
 * <p>While the rows are on their way, the session's CancelRequest and its statement_timeout (a
 * timer on the I/O thread) cancel the source's run; either stays pending for the waiting Execute
 * too, so that it fails with the 57014 a cancelled worker statement gives. When the run completes,
 * {@link #whenDone} hears how, on the I/O thread, in a task of its own (never inside the
 * connector's own callback): {@link Outcome#ROWS} (the rows, or for a cancelled run a stream that
 * fails with that 57014, go to the plan through
 * {@link ClientSession#execute(String, int, RowSink, ClientSession.CheckedAnswer)}), or {@link Outcome#DECLINED} (the
 * caller closes this and hands the messages to a worker, which runs the statement as always).
 * {@link #close()} gives back whatever no run took (the permit, the rows) and cancels a run still
 * under way (the connection closed). Used on its I/O thread only, except the cancel.
 */
public final class SourceAnswer
        implements ClientSession.CheckedAnswer
{
    private static final Logger log = LoggerFactory.getLogger(SourceAnswer.class);

    /** How the source's run ended. */
    public enum Outcome
    {
        /** Rows to answer the messages with on the I/O thread: the source's, or a cancel's 57014. */
        ROWS,
        /** The connector gave up (or failed): the messages go to a worker, which runs the statement through JDBC. */
        DECLINED
    }

    private final PreparedStatement statement;
    private final StatementInfo run;
    private final BackendQuery fragment;
    private final NonBlockingRun source;
    private final EventLoopIo io;
    private final Session session;
    /** What a cancel of the waiting statement cancels (see {@link Session#waitingForSource}). */
    private final SessionExecutionContext waiting;
    private Admission.Permit permit;
    private Future<?> timeout;
    /** The rows for the plan once the run completed with them; null before, and after {@link #close()}. */
    private ClosingOnce rows;
    private Outcome outcome;
    private Consumer<Outcome> done;
    private boolean closed;

    private SourceAnswer(PreparedStatement statement, StatementInfo run, BackendQuery fragment, Admission.Permit permit, NonBlockingRun source, EventLoopIo io,
            Session session)
    {
        this.statement = requireNonNull(statement, "statement is null");
        this.run = requireNonNull(run, "run is null");
        this.fragment = requireNonNull(fragment, "fragment is null");
        this.permit = requireNonNull(permit, "permit is null");
        this.source = requireNonNull(source, "source is null");
        this.io = requireNonNull(io, "io is null");
        this.session = requireNonNull(session, "session is null");
        this.waiting = new SessionExecutionContext(session.principal().name(), 0).describedAs(statement.sql());
    }

    /** Waits, without a thread, for {@code source}'s rows: cancels and the statement timeout reach it from now on. */
    static SourceAnswer waitFor(PreparedStatement statement, StatementInfo run, BackendQuery fragment, Admission.Permit permit, NonBlockingRun source,
            EventLoopIo io, Session session)
    {
        SourceAnswer answer = new SourceAnswer(statement, run, fragment, permit, source, io, session);
        try {
            answer.start();
        }
        catch (RuntimeException | Error e) {
            // nothing waits for it then: the run is stopped and the permit given back
            answer.close();
            throw e;
        }
        return answer;
    }

    private void start()
    {
        waiting.onCancel(() -> {
            if (io.inThisThread()) {
                source.cancel();
            }
            else {
                io.execute(source::cancel);
            }
        });
        session.waitingForSource(waiting);
        Duration statementTimeout = session.statementTimeout();
        if (!statementTimeout.isZero() && !statementTimeout.isNegative()) {
            timeout = io.schedule(session::statementTimedOut, statementTimeout);
        }
        // the outcome is handled in a task of its own: never inside the connector's callback that completed the run
        source.result().whenComplete((arrived, failure) -> io.execute(() -> completed(arrived, failure)));
    }

    private void completed(Optional<ResultStream> arrived, Throwable failure)
    {
        if (timeout != null) {
            timeout.cancel(false);
        }
        session.waitingForSource(null);
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause == null && arrived != null && arrived.isPresent()) {
            rows = new ClosingOnce(arrived.get());
            outcome = Outcome.ROWS;
        }
        else if (cause instanceof CancellationException && waiting.isCancelled()) {
            rows = new ClosingOnce(new Cancelled(waiting.cancelReason().orElseThrow()));
            outcome = Outcome.ROWS;
        }
        else {
            if (cause != null) {
                log.debug("A statement started on an I/O thread failed at its source; a worker runs it ({})", waiting.description(), cause);
            }
            outcome = Outcome.DECLINED;
        }
        if (closed) {
            releaseRows();
            return;
        }
        if (done != null) {
            done.accept(outcome);
        }
    }

    /** Calls {@code action} once, on the I/O thread, when the source's run completed (at once if it did). */
    public void whenDone(Consumer<Outcome> action)
    {
        requireNonNull(action, "action is null");
        if (done != null) {
            throw new IllegalStateException("whenDone was called already");
        }
        done = action;
        if (outcome != null && !closed) {
            action.accept(outcome);
        }
    }

    @Override
    public PreparedStatement statement()
    {
        return statement;
    }

    /** The admitted run, reading the rows that arrived. */
    StatementPipeline.Admitted takeAdmitted()
    {
        Admission.Permit taken = permit;
        if (taken == null || outcome != Outcome.ROWS || rows == null) {
            throw new IllegalStateException("the statement answered on the I/O thread has no rows to run with");
        }
        permit = null;
        return new StatementPipeline.Admitted(taken, run, Optional.of(fragment), Optional.of(rows));
    }

    /** Gives back what no run took, and stops the source's run if it still goes on (the connection closed). */
    @Override
    public void close()
    {
        if (closed) {
            return;
        }
        closed = true;
        if (outcome == null) {
            if (timeout != null) {
                timeout.cancel(false);
            }
            session.waitingForSource(null);
            try {
                source.cancel();
            }
            catch (RuntimeException e) {
                log.warn("Cancelling a statement started on an I/O thread failed ({})", waiting.description(), e);
            }
        }
        releaseRows();
        Admission.Permit left = permit;
        permit = null;
        if (left != null) {
            try {
                left.close();
            }
            catch (RuntimeException e) {
                log.warn("Giving back an admission permit failed", e);
            }
        }
    }

    private void releaseRows()
    {
        ClosingOnce left = rows;
        rows = null;
        if (left != null) {
            left.close();
        }
    }

    /** The arrived rows, closed once whoever closes them first (the plan's portal, or {@link #close()}). */
    private static final class ClosingOnce
            extends ForwardingResultStream
    {
        private final ResultStream delegate;
        private boolean closed;

        ClosingOnce(ResultStream delegate)
        {
            this.delegate = delegate;
        }

        @Override
        protected ResultStream delegate()
        {
            return delegate;
        }

        @Override
        public boolean nextRowArrived()
        {
            return true;
        }

        @Override
        public void close()
        {
            if (closed) {
                return;
            }
            closed = true;
            try {
                delegate.close();
            }
            catch (RuntimeException e) {
                log.warn("Closing rows that arrived on an I/O thread failed", e);
            }
        }
    }

    /** The rows of a run cancelled while it waited for its source: the first read fails with the cancel's 57014. */
    private record Cancelled(String reason)
            implements ResultStream
    {
        @Override
        public List<ColumnMetadata> columns()
        {
            return List.of();
        }

        @Override
        public boolean next()
        {
            throw new QueryException(SqlStates.QUERY_CANCELED, reason);
        }

        @Override
        public Object value(int column)
        {
            throw new IllegalStateException("no row");
        }

        @Override
        public void close() {}
    }
}
