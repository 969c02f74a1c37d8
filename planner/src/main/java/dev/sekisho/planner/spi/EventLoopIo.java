package dev.sekisho.planner.spi;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * A front door's I/O thread, lent to a connector so that a statement can run with no thread
 * blocked on its source ({@link Connector#startWithoutBlocking}): a connector that speaks its
 * source's protocol itself opens its sockets here, and every call back to it (a socket's
 * {@link SourceSocket.Handler}, a scheduled task) comes on this one thread. One instance stands
 * for one thread for the life of the gateway, so a connector may keep per-thread state (a pool of
 * connections) keyed by the instance. Every method may be called from any thread.
 */
public interface EventLoopIo
{
    /**
     * Opens a TCP connection to {@code host}:{@code port} within {@code timeout}. Exactly one of
     * {@code handler}'s {@link SourceSocket.Handler#connected} or {@link SourceSocket.Handler#closed}
     * follows, on this I/O thread; after {@code connected}, {@code received} for each read and
     * {@code closed} once at the end.
     */
    void connect(String host, int port, Duration timeout, SourceSocket.Handler handler);

    /** Runs {@code task} on this I/O thread, later (never inside this call). */
    void execute(Runnable task);

    /** Runs {@code task} on this I/O thread after {@code delay}; cancelling the future stops it if it has not run. */
    Future<?> schedule(Runnable task, Duration delay);

    /** Whether the calling thread is this I/O thread. */
    boolean inThisThread();
}
