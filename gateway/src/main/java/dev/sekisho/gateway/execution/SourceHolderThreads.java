package dev.sekisho.gateway.execution;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the work of sessions that hold source connections — the next Execute of a suspended
 * portal, a statement beside it, the close when the client leaves — so that it never waits behind
 * statements on the worker pool that wait for those very connections. With every worker waiting
 * for a pool permit and the permits held by sessions whose next request waits for a worker, nothing
 * moves until the waits time out: the soak saw 200 clients fall to two statements a second that
 * way (PgBouncer avoids the same by never tying a waiting client to a thread).
 *
 * <p>Not bounded by a size of its own: a thread here serves a session that holds at least one
 * source connection, so there are never more busy threads than the sources' pools hold
 * connections (plus the sessions closing at that moment); idle threads end after 30 seconds.
 */
final class SourceHolderThreads
{
    private static final Executor SHARED = create();

    private SourceHolderThreads() {}

    /** One for the process: the sessions of every gateway in it share it. */
    static Executor shared()
    {
        return SHARED;
    }

    private static Executor create()
    {
        AtomicInteger threadNumber = new AtomicInteger();
        return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "sekisho-holder-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }
}
