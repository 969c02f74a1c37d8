package dev.sekisho.gateway.auth;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Slows password guessing down: failed logins are counted per user name and per client address
 * within a sliding window. Each failure's answer is delayed, twice as long as the one before
 * (from {@code delay} up to {@code maxDelay}), and once either count reaches {@code lockoutAfter}
 * every login of that user or from that address fails, whatever the password, until the window
 * has passed since the failures. Names are counted whether the user exists or not, so that
 * neither the delay nor the lock-out tells a guesser which names exist; what the client sees of a
 * lock-out is the same error as a wrong password (the log says more). A login that succeeds
 * clears its user's count, never its address's. Thread-safe; takes no time of its own (the caller
 * schedules the delayed answer without blocking).
 */
public final class LoginThrottle
{
    private static final Logger log = LoggerFactory.getLogger(LoginThrottle.class);
    /** Keys remembered at most; the oldest are forgotten first (a flood of made-up names cannot exhaust memory). */
    private static final int MAX_KEYS = 100_000;

    /**
     * {@code auth.failed_logins} in sekisho.yaml.
     *
     * @param delay the answer to the first failure in the window waits this long
     * @param maxDelay the longest wait
     * @param lockoutAfter failures within the window (of one user, or from one address) after which
     *         that user's or address's logins fail; 0: never
     * @param window how far back failures count
     */
    public record Settings(Duration delay, Duration maxDelay, int lockoutAfter, Duration window)
    {
        /** 250 ms doubling up to 10 s; 10 failures in 15 minutes lock out. */
        public static final Settings DEFAULT = new Settings(Duration.ofMillis(250), Duration.ofSeconds(10), 10, Duration.ofMinutes(15));

        /** No delay and no lock-out (failures are still logged). */
        public static final Settings OFF = new Settings(Duration.ZERO, Duration.ZERO, 0, Duration.ofMinutes(15));

        public Settings
        {
            requireNonNull(delay, "delay is null");
            requireNonNull(maxDelay, "maxDelay is null");
            requireNonNull(window, "window is null");
            if (delay.isNegative() || maxDelay.compareTo(delay) < 0 || lockoutAfter < 0 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("invalid login throttle settings");
            }
        }
    }

    private final Settings settings;
    private final LongSupplier nanoTime;
    // guarded by this; in access order, oldest first
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true);

    public LoginThrottle(Settings settings)
    {
        this(settings, System::nanoTime);
    }

    /** @param nanoTime the clock (tests move it by hand) */
    public LoginThrottle(Settings settings, LongSupplier nanoTime)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** Whether logins of {@code user} from {@code address} fail now whatever the password. */
    public synchronized boolean isLockedOut(String user, String address)
    {
        if (settings.lockoutAfter() == 0) {
            return false;
        }
        long now = nanoTime.getAsLong();
        return count(userKey(user), now) >= settings.lockoutAfter() || count(addressKey(address), now) >= settings.lockoutAfter();
    }

    /**
     * Records a failed login.
     *
     * @return how long to wait before the client is told
     */
    public synchronized Duration failed(String user, String address)
    {
        long now = nanoTime.getAsLong();
        int byUser = record(userKey(user), now);
        int byAddress = record(addressKey(address), now);
        int failuresInWindow = Math.max(byUser, byAddress);
        boolean locked = settings.lockoutAfter() > 0 && failuresInWindow >= settings.lockoutAfter();
        if (locked) {
            log.warn("Failed login for user \"{}\" from {}: {} failures of the user and {} from the address in the last {}; "
                    + "logins of the user and from the address fail until the window passes", printable(user), address, byUser, byAddress, settings.window());
        }
        else {
            log.info("Failed login for user \"{}\" from {} ({} failures of the user, {} from the address in the last {})", printable(user), address, byUser,
                    byAddress, settings.window());
        }
        return delayAfter(failuresInWindow);
    }

    /** A login of {@code user} succeeded: its own failures are forgotten (the address's are not). */
    public synchronized void succeeded(String user)
    {
        failures.remove(userKey(user));
    }

    /** The wait before answering the n-th failure in the window (n from 1). */
    Duration delayAfter(int failuresInWindow)
    {
        if (settings.delay().isZero() || failuresInWindow < 1) {
            return Duration.ZERO;
        }
        int doublings = Math.min(failuresInWindow - 1, 30);
        long millis = settings.delay().toMillis() << doublings;
        return millis <= 0 || millis > settings.maxDelay().toMillis() ? settings.maxDelay() : Duration.ofMillis(millis);
    }

    private int record(String key, long now)
    {
        Deque<Long> times = failures.computeIfAbsent(key, ignored -> new ArrayDeque<>());
        expire(times, now);
        times.addLast(now);
        // only as many as can matter are kept
        while (times.size() > Math.max(settings.lockoutAfter(), 32)) {
            times.removeFirst();
        }
        if (failures.size() > MAX_KEYS) {
            Iterator<String> oldest = failures.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        return times.size();
    }

    private int count(String key, long now)
    {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return 0;
        }
        expire(times, now);
        return times.size();
    }

    private void expire(Deque<Long> times, long now)
    {
        long window = settings.window().toNanos();
        while (!times.isEmpty() && now - times.peekFirst() >= window) {
            times.removeFirst();
        }
    }

    private static String userKey(String user)
    {
        return "user:" + user;
    }

    private static String addressKey(String address)
    {
        return "address:" + address;
    }

    /** A user name as sent, safe for one log line. */
    private static String printable(String user)
    {
        String shortened = user.length() > 64 ? user.substring(0, 64) + "..." : user;
        return shortened.replaceAll("\\p{Cntrl}", "?");
    }
}
