package dev.sekisho.gateway.execution;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's client connections on every front door, against one limit
 * ({@code protocol.max_connections}): a PostgreSQL connection counts from its TCP accept, an
 * Avatica connection from its openConnection request, and either door refuses a new one (53300)
 * while the sum is over the limit, so that opening connections on the other door cannot get past
 * it. Thread-safe.
 */
public final class ClientConnections
{
    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();

    /** @param maxConnections connections served at once over all front doors */
    public ClientConnections(int maxConnections)
    {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        this.maxConnections = maxConnections;
    }

    /** Counts a connection that has arrived; whether it may be served is {@link #overLimit}'s answer. */
    public void opened()
    {
        open.incrementAndGet();
    }

    /** A counted connection has ended. */
    public void closed()
    {
        open.decrementAndGet();
    }

    /**
     * Counts a connection if it fits under the limit.
     *
     * @return whether it was counted (if so, {@link #closed} must follow)
     */
    public boolean tryOpen()
    {
        while (true) {
            int now = open.get();
            if (now >= maxConnections) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Whether more connections are counted than the limit allows (the last one counted must be refused). */
    public boolean overLimit()
    {
        return open.get() > maxConnections;
    }

    /** Connections counted now. */
    public int count()
    {
        return open.get();
    }

    public int maxConnections()
    {
        return maxConnections;
    }
}
