package dev.sekisho.planner.spi;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A statement that {@link Connector#startWithoutBlocking} sent to its source on a front door's
 * I/O thread: its rows arrive there, whole, without any thread blocking meanwhile.
 */
public interface NonBlockingRun
{
    /**
     * Completes once, on the I/O thread the run started on:
     * <ul>
     *     <li>with the rows, all of them arrived already (the stream's {@link ResultStream#next()}
     *         never blocks; the caller closes it);</li>
     *     <li>empty when the connector gave up before any result came back that the client may see
     *         (its connection failed, the result was larger than it buffers, a column's type
     *         turned out not to be one it decodes, the source refused the statement): the caller
     *         then runs the same statement through {@link Connector#execute}, on a worker, which
     *         gives the authoritative rows or error;</li>
     *     <li>exceptionally with a {@link java.util.concurrent.CancellationException} after
     *         {@link #cancel()}.</li>
     * </ul>
     */
    CompletionStage<Optional<ResultStream>> result();

    /**
     * Stops the statement (the client cancelled it, or its statement_timeout passed): the connector
     * stops it at the source and frees what it holds, and {@link #result()} completes
     * exceptionally with a {@link java.util.concurrent.CancellationException} unless it completed
     * before. Call on the I/O thread the run started on; does nothing after completion.
     */
    void cancel();
}
