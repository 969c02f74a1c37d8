package dev.sekisho.gateway.execution;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * The bounded pool on which statements are planned and executed and their rows streamed, never on
 * a front door's I/O threads. At most {@code threads} statements run at once and at most
 * {@code queueSize} wait; beyond that the pool refuses the work, and the session's front door
 * answers 53300 (see {@link SessionWorkQueue}).
 */
public final class WorkerPool
        implements AutoCloseable
{
    private final ThreadPoolExecutor executor;

    private WorkerPool(ThreadPoolExecutor executor)
    {
        this.executor = requireNonNull(executor, "executor is null");
    }

    /**
     * @param threads how many statements run at once
     * @param queueSize how many may wait for a thread (0: none)
     */
    public static WorkerPool start(int threads, int queueSize)
    {
        BlockingQueue<Runnable> queue = queueSize == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queueSize);
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = runnable -> {
            Thread thread = new Thread(runnable, "sekisho-worker-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, queue, factory, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
        return new WorkerPool(pool);
    }

    /** The pool, for the front doors. */
    public ExecutorService executor()
    {
        return executor;
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
