package dev.sekisho.gateway.pgwire;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Ticker;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * One connection's {@code idle_session_timeout} and {@code idle_in_transaction_session_timeout}:
 * the connection is closed when the client sends nothing for the timeout after a ReadyForQuery.
 *
 * <p>A ReadyForQuery only records when it was sent ({@link #ready}); it neither schedules nor
 * cancels a timer. Scheduling from the worker that wrote the ReadyForQuery posts a task to the event
 * loop and wakes it, once per statement. Instead one check stays pending on the event loop: when
 * it runs it compares the messages received with those handled at the last ReadyForQuery, and the
 * time since then with the timeout, and either closes the connection or looks again when the
 * timeout would run out. A ReadyForQuery schedules only when no check is pending or the pending one
 * would come too late (the timeout was shortened).
 */
final class IdleSessionTimer
{
    private final EventLoop eventLoop;
    private final Ticker ticker;
    private final LongSupplier received;
    private final Consumer<Boolean> expired;
    /** The last ReadyForQuery with a timeout; null when the session may wait for ever. */
    private volatile Mark mark;

    private final Object lock = new Object();
    /** The pending check and when it runs (ticker nanoseconds); guarded by lock. */
    private Future<?> pending;
    private long pendingAt;
    private boolean cancelled;

    /**
     * @param received how many messages the connection received since authentication (read on the event loop)
     * @param expired closes the connection (on the event loop); its argument says whether a transaction block was open
     */
    IdleSessionTimer(EventLoop eventLoop, LongSupplier received, Consumer<Boolean> expired)
    {
        this.eventLoop = requireNonNull(eventLoop, "eventLoop is null");
        this.ticker = eventLoop.ticker();
        this.received = requireNonNull(received, "received is null");
        this.expired = requireNonNull(expired, "expired is null");
    }

    /**
     * A ReadyForQuery was sent (on any thread).
     *
     * @param timeout how long the client may now stay silent; zero: for ever
     * @param inTransaction whether a transaction block is open (which of the two timeouts this is)
     * @param handled how many messages were handled when it was sent
     */
    void ready(Duration timeout, boolean inTransaction, long handled)
    {
        if (timeout.isZero()) {
            // a pending check finds no mark and stops
            mark = null;
            return;
        }
        long now = ticker.nanoTime();
        Mark next = new Mark(handled, now, timeout.toNanos(), inTransaction);
        mark = next;
        long due = now + next.timeoutNanos();
        synchronized (lock) {
            if (cancelled || (pending != null && pendingAt <= due)) {
                return;
            }
            if (pending != null) {
                pending.cancel(false);
            }
            scheduleLocked(now, due);
        }
    }

    /** The connection closed: no more checks. */
    void cancel()
    {
        synchronized (lock) {
            cancelled = true;
            if (pending != null) {
                pending.cancel(false);
                pending = null;
            }
        }
    }

    private void scheduleLocked(long now, long due)
    {
        pendingAt = due;
        pending = eventLoop.schedule(this::check, Math.max(0, due - now), TimeUnit.NANOSECONDS);
    }

    /** On the event loop. */
    private void check()
    {
        Mark current = mark;
        long now = ticker.nanoTime();
        synchronized (lock) {
            pending = null;
            if (cancelled || current == null) {
                return;
            }
            if (received.getAsLong() != current.handled()) {
                // a message came after that ReadyForQuery: the session is busy; the next ReadyForQuery
                // moves the mark, and this looks again one timeout later (at most)
                scheduleLocked(now, now + current.timeoutNanos());
                return;
            }
            long due = current.since() + current.timeoutNanos();
            if (now < due) {
                scheduleLocked(now, due);
                return;
            }
            cancelled = true;
        }
        expired.accept(current.inTransaction());
    }

    private record Mark(long handled, long since, long timeoutNanos, boolean inTransaction) {}
}
