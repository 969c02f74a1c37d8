package dev.sekisho.gateway.execution;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The bytes of rows read ahead that all sessions together may keep ({@code
 * protocol.read_ahead_total_bytes}): each suspended portal's own bound times the sessions that hold
 * one could otherwise keep any amount of memory. A portal reserves bytes here before it keeps rows
 * ({@link PortalReadAhead}) and gives them back as the rows are sent or dropped; when the budget is
 * used up it simply does not read ahead (nothing waits for bytes to come free). Shared by every
 * session's thread; lock-free.
 *
 * <p>It also carries the clock a chunk of reading ahead is timed on ({@link #nanoTime()}): a chunk
 * stops once its rows took too long, so tests that must not depend on how busy the machine is give
 * it a clock of their own.
 */
public final class ReadAheadBudget
{
    /** No bytes: nothing is read ahead. */
    public static final ReadAheadBudget NONE = new ReadAheadBudget(0);

    private final long totalBytes;
    private final LongSupplier nanoTime;
    private final AtomicLong used = new AtomicLong();

    public ReadAheadBudget(long totalBytes)
    {
        this(totalBytes, System::nanoTime);
    }

    /** @param nanoTime the clock chunks of reading ahead are timed on ({@link System#nanoTime()} but in tests) */
    public ReadAheadBudget(long totalBytes, LongSupplier nanoTime)
    {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must not be negative: " + totalBytes);
        }
        this.totalBytes = totalBytes;
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** The time now on the clock chunks of reading ahead are timed on, in nanoseconds. */
    public long nanoTime()
    {
        return nanoTime.getAsLong();
    }

    /** Whether any bytes may be kept at all. */
    public boolean isEnabled()
    {
        return totalBytes > 0;
    }

    /** The bytes all sessions may keep together. */
    public long totalBytes()
    {
        return totalBytes;
    }

    /** The bytes reserved now, by every session's portals. */
    public long usedBytes()
    {
        return used.get();
    }

    /** Reserves {@code bytes} if that stays within the total; false (and nothing reserved) if not. */
    public boolean tryReserve(long bytes)
    {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        while (true) {
            long current = used.get();
            if (current + bytes > totalBytes) {
                return false;
            }
            if (used.compareAndSet(current, current + bytes)) {
                return true;
            }
        }
    }

    /**
     * Counts {@code bytes} that are kept already beyond what was reserved (the last row read may be
     * longer than what was left of the reservation): the total may be exceeded by at most that row,
     * and no more is reserved until enough is given back.
     */
    public void reserveKept(long bytes)
    {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        used.addAndGet(bytes);
    }

    /** Gives back {@code bytes} reserved earlier. */
    public void release(long bytes)
    {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        long after = used.addAndGet(-bytes);
        if (after < 0) {
            throw new IllegalStateException("more read-ahead bytes given back than were reserved: " + after);
        }
    }
}
