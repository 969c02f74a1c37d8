package dev.sekisho.gateway.session;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where cancels run: never on the thread that asks for them. A cancel may wait on the network (a
 * MySQL cancel opens a connection to send KILL QUERY), and it is asked for from a front door's
 * event loop (a CancelRequest, a closed connection) or from a timer (statement_timeout), neither of
 * which may block. One timer thread and a small pool of daemon threads for the whole process.
 */
public final class CancelScheduler
{
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final ThreadPoolExecutor CANCELS = cancels();

    private CancelScheduler() {}

    /** Runs {@code cancel} soon on a cancel thread. */
    public static void execute(Runnable cancel)
    {
        CANCELS.execute(cancel);
    }

    /** An executor that runs on the cancel threads. */
    public static Executor executor()
    {
        return CANCELS;
    }

    /** Runs {@code cancel} on a cancel thread after {@code delay}, unless the returned future is cancelled first. */
    static ScheduledFuture<?> schedule(Runnable cancel, Duration delay)
    {
        return TIMER.schedule(() -> CANCELS.execute(cancel), Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
    }

    private static ScheduledThreadPoolExecutor timer()
    {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemon("sekisho-statement-timer"));
        // a statement that ends in time takes its timer out of the queue at once
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    private static ThreadPoolExecutor cancels()
    {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), daemon("sekisho-cancel"));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemon(String name)
    {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
