package dev.sekisho.gateway.execution;

import java.util.concurrent.atomic.LongAdder;

/**
 * How the statements that a front door started at their sources on its I/O threads ended
 * ({@link ClientSession#startWithoutWorker}): answered there without a worker, or declined by the
 * connector after the start and run on a worker after all. The proof that such statements skip the
 * worker hand-offs, for the metrics and the tests. Thread-safe.
 */
public final class SourceAnswerCounts
{
    private final LongAdder answered = new LongAdder();
    private final LongAdder declined = new LongAdder();

    /** A statement was answered on an I/O thread (its rows, or its cancel's 57014). */
    public void answered()
    {
        answered.increment();
    }

    /** A statement started on an I/O thread went to a worker after all (the connector gave up on it). */
    public void declined()
    {
        declined.increment();
    }

    /** Statements answered on an I/O thread since the start. */
    public long answeredCount()
    {
        return answered.sum();
    }

    /** Statements started on an I/O thread that went to a worker after all, since the start. */
    public long declinedCount()
    {
        return declined.sum();
    }
}
