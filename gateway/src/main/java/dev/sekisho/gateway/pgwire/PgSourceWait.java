package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.execution.SourceAnswer;
import dev.sekisho.gateway.execution.SourceAnswerCounts;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.planner.spi.EventLoopIo;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * One connection's statement started at its source on the connection's own event loop
 * ({@link PgEventLoopAnswers#startOnEventLoop}), while the session waits for its rows without a
 * thread: what the client sends meanwhile is held here, in order, and nothing else of the session
 * runs (reading pauses when much is held); when the rows arrive the batch is answered on the loop
 * as a cache hit is, or, when the connector gave up, given to a worker; then what was held goes to
 * a worker. The connection closing cancels the run and gives back what it holds. Event loop only.
 */
final class PgSourceWait
{
    private static final Logger log = LoggerFactory.getLogger(PgSourceWait.class);

    private final Channel channel;
    private final EventLoopIo io;
    private final PgEventLoopAnswers answers;
    private final SessionWorkQueue.Worker<FrontendMessage> worker;
    private final Consumer<List<FrontendMessage>> toWorker;
    private final SourceAnswerCounts counts;
    private final int maxHeld;
    /** The started statement whose rows the session waits for; null when none. */
    private PgEventLoopAnswers.SourceStart waiting;
    /** Messages that arrived while {@link #waiting} was set, in order. */
    private final List<FrontendMessage> held = new ArrayList<>();
    /** Whether reading was paused here because {@code maxHeld} messages were held. */
    private boolean pausedReading;

    /**
     * @param io the connection's event loop as lent to connectors
     * @param worker handles each message of an answered batch (the connection's counting wrapper of {@code answers}' processor)
     * @param toWorker gives messages to the session's work queue, in order
     * @param maxHeld messages held before reading pauses
     */
    PgSourceWait(Channel channel, EventLoopIo io, PgEventLoopAnswers answers, SessionWorkQueue.Worker<FrontendMessage> worker,
            Consumer<List<FrontendMessage>> toWorker, SourceAnswerCounts counts, int maxHeld)
    {
        this.channel = requireNonNull(channel, "channel is null");
        this.io = requireNonNull(io, "io is null");
        this.answers = requireNonNull(answers, "answers is null");
        this.worker = requireNonNull(worker, "worker is null");
        this.toWorker = requireNonNull(toWorker, "toWorker is null");
        this.counts = requireNonNull(counts, "counts is null");
        this.maxHeld = maxHeld;
    }

    /** Whether the session waits for a statement's rows: what arrives now must be {@link #hold held}. */
    boolean isWaiting()
    {
        return waiting != null;
    }

    /** Keeps messages that arrived while the session waits, to run after its answer. */
    void hold(List<FrontendMessage> messages)
    {
        held.addAll(messages);
        if (held.size() >= maxHeld && channel.config().isAutoRead()) {
            pausedReading = true;
            channel.config().setAutoRead(false);
        }
    }

    /**
     * Starts the statement of {@code batch} at its source on the event loop when its connector
     * reads it without blocking; false, having started nothing, when it does not (the batch then
     * goes to a worker). Call only while the session's work queue is idle.
     */
    boolean start(List<FrontendMessage> batch)
    {
        if (waiting != null) {
            throw new IllegalStateException("a statement waits for its source already");
        }
        Optional<PgEventLoopAnswers.SourceStart> started;
        try {
            started = answers.startOnEventLoop(batch, io);
        }
        catch (RuntimeException e) {
            // whatever the start met, a worker runs the statement as always and reports what there is to report
            log.debug("Starting a statement at its source on the event loop failed; a worker runs it", e);
            return false;
        }
        if (started.isEmpty()) {
            return false;
        }
        PgEventLoopAnswers.SourceStart start = started.get();
        List<FrontendMessage> messages = List.copyOf(batch);
        waiting = start;
        start.answer().whenDone(outcome -> answered(start, messages, outcome));
        return true;
    }

    /** The started statement completed: its batch is answered here, or goes to a worker; then what was held. */
    private void answered(PgEventLoopAnswers.SourceStart start, List<FrontendMessage> batch, SourceAnswer.Outcome outcome)
    {
        if (waiting != start) {
            // the connection closed meanwhile: the start was closed with it
            start.answer().close();
            return;
        }
        waiting = null;
        if (outcome == SourceAnswer.Outcome.DECLINED) {
            start.answer().close();
            counts.declined();
            toWorker.accept(batch);
        }
        else {
            try {
                // counted before the reply goes out: whoever reads the count after the reply sees this answer in it
                counts.answered();
                answers.answerArrived(batch, worker, start);
            }
            catch (RuntimeException | Error e) {
                held.clear();
                // as a worker's failure that is not a statement's: the connection is closed
                log.error("Unexpected failure on connection from {}; closing it", channel.remoteAddress(), e);
                channel.close();
                return;
            }
        }
        if (pausedReading) {
            pausedReading = false;
            channel.config().setAutoRead(true);
        }
        if (!held.isEmpty()) {
            List<FrontendMessage> waited = List.copyOf(held);
            held.clear();
            toWorker.accept(waited);
        }
    }

    /** The connection closed: the source's run is cancelled, and its permit and anything that arrived given back; what was held is dropped. */
    void closed()
    {
        held.clear();
        PgEventLoopAnswers.SourceStart left = waiting;
        waiting = null;
        if (left != null) {
            left.answer().close();
        }
    }
}
