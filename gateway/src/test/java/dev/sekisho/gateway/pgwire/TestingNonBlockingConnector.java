package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.session.SessionExecutionContext;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The test shop as a source whose statements can also run on a front door's I/O thread
 * ({@link Connector#startWithoutBlocking}), answering as the test tells it ({@link Mode}): its rows
 * are the same {@link #execute} gives a worker. Counts the runs of each path, and notes a start
 * that came off the I/O thread it was given.
 */
public final class TestingNonBlockingConnector
        implements Connector
{
    /** How {@link #startWithoutBlocking} answers. */
    public enum Mode
    {
        /** The rows, completed before the start returns. */
        ROWS_NOW,
        /** The rows, completed a moment later by a timer on the I/O thread. */
        ROWS_LATER,
        /** Declines at once: nothing started. */
        DECLINE_AT_START,
        /** Starts, then gives up a moment later (completes empty): a worker runs the statement. */
        DECLINE_LATER,
        /** Starts and waits until the test completes it ({@link #nextHeld}), or it is cancelled. */
        HELD
    }

    private final TestingConnector shop = TestingShop.mysqlShop();
    private volatile Mode mode = Mode.ROWS_LATER;
    private final AtomicInteger workerRuns = new AtomicInteger();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicInteger cancels = new AtomicInteger();
    private final AtomicBoolean startedOffItsThread = new AtomicBoolean();
    private final BlockingQueue<HeldRun> held = new LinkedBlockingQueue<>();
    private volatile HeldRun lastRun;

    /** How starts answer from now on; held runs of an earlier test not taken are forgotten. */
    public void mode(Mode mode)
    {
        if (mode == Mode.HELD) {
            held.clear();
        }
        this.mode = mode;
    }

    /** Statements run through {@link #execute} (on a worker). */
    public int workerRuns()
    {
        return workerRuns.get();
    }

    /** Statements started through {@link #startWithoutBlocking}, declined at once or not. */
    public int starts()
    {
        return starts.get();
    }

    /** Runs cancelled before they completed. */
    public int cancels()
    {
        return cancels.get();
    }

    public boolean startedOffItsThread()
    {
        return startedOffItsThread.get();
    }

    /** The next run started in {@link Mode#HELD}, waiting at most {@code timeout}; null when none started. */
    public HeldRun nextHeld(Duration timeout)
            throws InterruptedException
    {
        return held.poll(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The last run started (in any mode but {@link Mode#DECLINE_AT_START}); null before. */
    public HeldRun lastRun()
    {
        return lastRun;
    }

    @Override
    public String name()
    {
        return shop.name();
    }

    @Override
    public SqlDialectKind dialect()
    {
        return shop.dialect();
    }

    @Override
    public ConnectorMetadata metadata()
    {
        return shop.metadata();
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        workerRuns.incrementAndGet();
        return shop.execute(query, context);
    }

    @Override
    public boolean mayStartWithoutBlocking()
    {
        return true;
    }

    @Override
    public Optional<NonBlockingRun> startWithoutBlocking(BackendQuery query, EventLoopIo io)
    {
        if (!io.inThisThread()) {
            startedOffItsThread.set(true);
        }
        starts.incrementAndGet();
        Mode now = mode;
        if (now == Mode.DECLINE_AT_START) {
            return Optional.empty();
        }
        HeldRun run = new HeldRun(query, io);
        lastRun = run;
        switch (now) {
            case ROWS_NOW -> run.complete();
            case ROWS_LATER -> io.schedule(run::complete, Duration.ofMillis(20));
            case DECLINE_LATER -> io.schedule(() -> run.result.complete(Optional.empty()), Duration.ofMillis(20));
            case HELD -> held.add(run);
            default -> throw new IllegalStateException(now.toString());
        }
        return Optional.of(run);
    }

    /** A run on the I/O thread; its rows are the ones a worker would read. */
    public final class HeldRun
            implements NonBlockingRun
    {
        private final BackendQuery query;
        private final EventLoopIo io;
        private final CompletableFuture<Optional<ResultStream>> result = new CompletableFuture<>();
        private volatile ResultStream given;

        HeldRun(BackendQuery query, EventLoopIo io)
        {
            this.query = query;
            this.io = io;
        }

        @Override
        public CompletionStage<Optional<ResultStream>> result()
        {
            return result;
        }

        @Override
        public void cancel()
        {
            if (!io.inThisThread()) {
                startedOffItsThread.set(true);
            }
            if (result.completeExceptionally(new CancellationException("cancelled"))) {
                cancels.incrementAndGet();
            }
        }

        /** Completes with the rows, on the I/O thread when called there (the test calls {@link #completeOnItsThread}). */
        void complete()
        {
            ResultStream rows = shop.execute(query, new SessionExecutionContext("loop", 0));
            given = rows;
            result.complete(Optional.of(rows));
        }

        /** The rows the run completed with; null before. */
        public ResultStream given()
        {
            return given;
        }

        public void completeOnItsThread()
        {
            io.execute(this::complete);
        }

        /** Whether the run ended by a cancel. */
        public CompletableFuture<Optional<ResultStream>> outcome()
        {
            return result;
        }
    }
}
