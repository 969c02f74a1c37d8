package dev.sekisho.connectors.mysql;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * What the gateway believes about one server: up, lagging or down, with hysteresis, and its lag.
 * Fed by the monitor's checks and by statements that could not reach the server; read by the
 * router for every statement. Thread-safe; the clock is passed in (nanoTime), so tests drive it.
 *
 * <p>Going out is quick and coming back is slow, so that a server on the edge does not flap:
 * <ul>
 *   <li>{@code down} after {@code down_after} failed health checks in a row, at once when the first
 *       check fails, and at once when a statement cannot connect or loses its connection;</li>
 *   <li>{@code lagging} as soon as one reading is past {@link #lagLimitSeconds} (the loosest
 *       {@code max_lag} of the source: no table may read from it) or infinitely stale;</li>
 *   <li>{@code up} again only after {@code up_after} good checks in a row (healthy, within the limit).</li>
 * </ul>
 * A statement with a tighter limit needs more: the lag now, and every one of the last
 * {@code up_after} readings, within its limit ({@link Snapshot#serves}). The lag now is the last
 * reading plus its age: the server may have fallen behind since, but by no more than that.
 */
final class ServerHealth
{
    /** The states a check can put a server in; {@code draining} is shown for one that left {@code up} while statements still run on it. */
    enum State
    {
        UP, LAGGING, DOWN;

        String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double lagLimitSeconds;
    private final int downAfter;
    private final int upAfter;
    private final double[] recentLags;
    private int recentCount;
    private int recentNext;
    private State state = State.DOWN;
    private boolean checked;
    private int failures;
    private int goods;
    private double lagSeconds = Double.POSITIVE_INFINITY;
    private long lagMeasuredNanos;
    private String problem = "no check has finished yet";
    private String lastError;

    /**
     * @param lagLimitSeconds beyond this lag no statement may read from the server (the loosest limit of its source)
     * @param downAfter failed health checks in a row before the server is down
     * @param upAfter good checks in a row before a down or lagging server is up again
     */
    ServerHealth(double lagLimitSeconds, int downAfter, int upAfter)
    {
        if (lagLimitSeconds <= 0 || downAfter < 1 || upAfter < 1) {
            throw new IllegalArgumentException("invalid health settings");
        }
        this.lagLimitSeconds = lagLimitSeconds;
        this.downAfter = downAfter;
        this.upAfter = upAfter;
        this.recentLags = new double[upAfter];
    }

    /** A health check that failed (no connection, the trivial query failed or timed out). */
    synchronized void recordFailedCheck(String error, long nowNanos)
    {
        requireNonNull(error, "error is null");
        failures++;
        goods = 0;
        problem = error;
        lastError = error;
        if (!checked || failures >= downAfter) {
            state = State.DOWN;
        }
        checked = true;
    }

    /**
     * A health check that passed, with the lag read in the same check (stale when the lag could
     * not be read: a failed or timed-out lag query counts as infinitely stale).
     */
    synchronized void recordCheck(ReplicationLag lag, long nowNanos)
    {
        requireNonNull(lag, "lag is null");
        failures = 0;
        lagSeconds = lag.seconds();
        lagMeasuredNanos = nowNanos;
        recentLags[recentNext] = lag.seconds();
        recentNext = (recentNext + 1) % recentLags.length;
        recentCount = Math.min(recentCount + 1, recentLags.length);
        boolean fresh = lag.seconds() <= lagLimitSeconds;
        if (lag.isStale()) {
            problem = lag.reason().orElse("infinitely stale");
            lastError = problem;
        }
        else if (!fresh) {
            problem = "lag " + ReplicationLag.formatSeconds(lag.seconds()) + " is past every max_lag of the source (" + ReplicationLag.formatSeconds(lagLimitSeconds) + ")";
        }
        goods = fresh ? goods + 1 : 0;
        if (!checked) {
            // the first reading after start: no history to distrust
            state = fresh ? State.UP : State.LAGGING;
        }
        else if (!fresh) {
            state = State.LAGGING;
        }
        else if (state != State.UP && goods >= upAfter) {
            state = State.UP;
        }
        if (state == State.UP) {
            problem = null;
        }
        checked = true;
    }

    /** A statement could not connect to the server or lost its connection: down at once, until {@code up_after} good checks. */
    synchronized void recordFailure(String error, long nowNanos)
    {
        requireNonNull(error, "error is null");
        failures = Math.max(failures, downAfter);
        goods = 0;
        state = State.DOWN;
        problem = error;
        lastError = error;
        checked = true;
    }

    /** Whether a check has finished since start. */
    synchronized boolean checked()
    {
        return checked;
    }

    /**
     * {@code snapshot(nowNanos).serves(limitSeconds)} without building the snapshot: asked for every
     * statement of a source with one server.
     */
    synchronized boolean serves(double limitSeconds, long nowNanos)
    {
        return state == State.UP && reportedLag(lagAt(nowNanos)) <= limitSeconds && worstRecentLag() <= limitSeconds;
    }

    /** The last reading plus its age. */
    private double lagAt(long nowNanos)
    {
        return Double.isInfinite(lagSeconds) ? lagSeconds : lagSeconds + Math.max(0, nowNanos - lagMeasuredNanos) / 1e9;
    }

    /** The lag a snapshot reports: NaN while nothing was ever read. */
    private double reportedLag(double lag)
    {
        return lagMeasuredNanos == 0 && !checked ? Double.NaN : lag;
    }

    private double worstRecentLag()
    {
        double worst = 0;
        for (int i = 0; i < recentCount; i++) {
            worst = Math.max(worst, recentLags[i]);
        }
        return recentCount == 0 ? Double.POSITIVE_INFINITY : worst;
    }

    synchronized Snapshot snapshot(long nowNanos)
    {
        double lag = lagAt(nowNanos);
        double worst = worstRecentLag();
        Optional<String> reason = Optional.ofNullable(problem);
        if (state != State.UP && goods > 0) {
            reason = Optional.of(reason.map(r -> r + "; ").orElse("") + "recovering: " + goods + " of " + upAfter + " good checks");
        }
        if (state == State.UP && lag > lagLimitSeconds) {
            // no reading for a while: the lag it could have now is past every limit
            reason = Optional.of("no lag reading for " + TimeUnit.NANOSECONDS.toMillis(nowNanos - lagMeasuredNanos) + " ms");
        }
        return new Snapshot(state, checked, reportedLag(lag), worst, reason, Optional.ofNullable(lastError));
    }

    /**
     * The server at one moment.
     *
     * @param state its state
     * @param checked whether any check has finished
     * @param lagSeconds the lag it may have now (the last reading plus its age); infinite when stale, NaN when never read
     * @param worstRecentLag the largest of the last {@code up_after} readings
     * @param reason why it is not up (or not fresh), for messages
     * @param lastError the last failure seen, even if it has recovered since
     */
    record Snapshot(State state, boolean checked, double lagSeconds, double worstRecentLag, Optional<String> reason, Optional<String> lastError)
    {
        /** Whether a statement that may read data at most {@code limitSeconds} old may run here. */
        boolean serves(double limitSeconds)
        {
            return state == State.UP && lagSeconds <= limitSeconds && worstRecentLag <= limitSeconds;
        }

        /** Whether the server answers at all (metadata may be read from a lagging server). */
        boolean alive()
        {
            return state != State.DOWN;
        }

        /** The lag for messages: {@code 0.4 s}, {@code ∞} or {@code unknown}. */
        String lagText()
        {
            return Double.isNaN(lagSeconds) ? "unknown" : ReplicationLag.formatSeconds(lagSeconds);
        }

        @Override
        public String toString()
        {
            return state.label() + ", lag " + lagText() + reason.map(r -> " (" + r + ")").orElse("");
        }
    }
}
