package dev.sekisho.gateway.sourceio;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.FastThreadLocalThread;

/**
 * The threads of a front door's event loops (PostgreSQL, Avatica, admin), marked as such so that
 * whatever must never run there can tell at the cost of one type check
 * ({@link #isCurrent()}): a source's blocking calls ({@link EventLoopGuardedConnector}) would stall
 * every session on the loop. Threads are daemon threads named after the pool, as Netty's own
 * factory names them.
 */
public final class FrontDoorIoThreads
        extends DefaultThreadFactory
{
    public FrontDoorIoThreads(String poolName)
    {
        super(poolName, true);
    }

    /** Whether the calling thread is one of a front door's event-loop threads. */
    public static boolean isCurrent()
    {
        return Thread.currentThread() instanceof IoThread;
    }

    @Override
    protected Thread newThread(Runnable runnable, String name)
    {
        return new IoThread(threadGroup, runnable, name);
    }

    /** The marker: a Netty thread (fast thread-locals) that runs a front door's event loop. */
    private static final class IoThread
            extends FastThreadLocalThread
    {
        IoThread(ThreadGroup group, Runnable runnable, String name)
        {
            super(group, runnable, name);
        }
    }
}
