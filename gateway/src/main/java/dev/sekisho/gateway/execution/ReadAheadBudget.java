package dev.sekisho.gateway.execution;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of rows read ahead that all sessions together may keep ({@code
 * protocol.read_ahead_total_bytes}): each suspended portal's own bound times the sessions that hold
 * one could otherwise keep any amount of memory. A portal reserves bytes here before it keeps rows
 * ({@link PortalReadAhead}) and gives them back as the rows are sent or dropped; when the budget is
 * used up it simply does not read ahead (nothing waits for bytes to come free). Shared by every
 * session's thread; lock-free.
 */
public final class ReadAheadBudget
{
    /** No bytes: nothing is read ahead. */
    public static final ReadAheadBudget NONE = new ReadAheadBudget(0);

    private final long totalBytes;
    private final AtomicLong used = new AtomicLong();

    public ReadAheadBudget(long totalBytes)
    {
        if (totalBytes < 0) {
            throw new IllegalArgumentException("totalBytes must not be negative: " + totalBytes);
        }
        this.totalBytes = totalBytes;
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
