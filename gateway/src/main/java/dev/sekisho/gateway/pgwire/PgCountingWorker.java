package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.SessionWorkQueue;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;

import static java.util.Objects.requireNonNull;

/**
 * A session's {@link PgMessageProcessor} as its work queue (and the event loop's answers) call it,
 * counting the messages it is given: the idle timer compares the count at a ReadyForQuery with the
 * count when it fires, so that a message that arrived meanwhile keeps the session.
 */
final class PgCountingWorker
        implements SessionWorkQueue.Worker<FrontendMessage>
{
    private final PgMessageProcessor processor;
    /** Messages handed to the worker so far (worker only; read by the idle timer through the mark it set). */
    private volatile long handled;

    PgCountingWorker(PgMessageProcessor processor)
    {
        this.processor = requireNonNull(processor, "processor is null");
    }

    /** The messages handed over so far. */
    long handled()
    {
        return handled;
    }

    @Override
    public boolean handle(FrontendMessage request)
    {
        handled++;
        return processor.handle(request);
    }

    @Override
    public boolean resume()
    {
        return processor.resume();
    }

    @Override
    public void closed()
    {
        processor.closed();
    }

    @Override
    public boolean readAhead()
    {
        return processor.readAhead();
    }

    @Override
    public boolean mayReadAhead()
    {
        return processor.mayReadAhead();
    }

    @Override
    public long readAheadPauseNanos()
    {
        return processor.readAheadPauseNanos();
    }
}
