package dev.sekisho.gateway.execution;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The bounded pool on which statements are planned and executed and their rows streamed, never on
 * a front door's I/O threads. At most {@code threads} statements run at once and at most
 * {@code queueSize} wait; beyond that the pool refuses the work, and the session's front door
 * answers 53300 (see {@link SessionWorkQueue}). A task goes to the thread that went idle last
 * ({@link LifoThreadPool}), so a few threads stay warm; threads idle for a minute end.
 */
public final class WorkerPool
        implements AutoCloseable
{
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(60);

    private final LifoThreadPool executor;

    private WorkerPool(LifoThreadPool executor)
    {
        this.executor = requireNonNull(executor, "executor is null");
    }

    /**
     * @param threads how many statements run at once
     * @param queueSize how many may wait for a thread (0: none)
     */
    public static WorkerPool start(int threads, int queueSize)
    {
        return start(threads, queueSize, KEEP_ALIVE);
    }

    static WorkerPool start(int threads, int queueSize, Duration keepAlive)
    {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "sekisho-worker-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return new WorkerPool(new LifoThreadPool(threads, queueSize, keepAlive, factory));
    }

    /** The pool, for the front doors. */
    public ExecutorService executor()
    {
        return executor;
    }

    /** How many worker threads live now, busy or idle. */
    int threadCount()
    {
        return executor.threadCount();
    }

    /** Interrupts what runs and waits up to five seconds for it to stop. */
    @Override
    public void close()
    {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
