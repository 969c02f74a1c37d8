package dev.sekisho.gateway.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class TestLoginThrottle
{
    private final AtomicLong now = new AtomicLong();
    private final LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(Duration.ofMillis(100), Duration.ofMillis(1000), 5,
            Duration.ofMinutes(10)), now::get);

    @Test
    void delayDoublesWithEachFailureUpToTheMaximum()
    {
        assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofMillis(200));
        assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofMillis(400));
        assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofMillis(800));
        assertThat(throttle.failed("alice", "10.0.0.1")).isEqualTo(Duration.ofMillis(1000));
        assertThat(throttle.delayAfter(40)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void failuresCountPerUserAndPerAddress()
    {
        throttle.failed("alice", "10.0.0.1");
        throttle.failed("alice", "10.0.0.2");
        // the user's third failure, from a third address
        assertThat(throttle.failed("alice", "10.0.0.3")).isEqualTo(Duration.ofMillis(400));
        // another user from an address that failed once
        assertThat(throttle.failed("bob", "10.0.0.1")).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void lockOutAfterThresholdUntilTheWindowPasses()
    {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0." + i);
        }
        assertThat(throttle.isLockedOut("alice", "10.0.0.9")).isFalse();
        throttle.failed("alice", "10.0.0.4");
        assertThat(throttle.isLockedOut("alice", "10.0.0.9")).isTrue();
        assertThat(throttle.isLockedOut("bob", "10.0.0.9")).isFalse();
        now.addAndGet(TimeUnit.MINUTES.toNanos(10));
        assertThat(throttle.isLockedOut("alice", "10.0.0.9")).isFalse();
    }

    @Test
    void addressIsLockedOutForEveryUser()
    {
        for (int i = 0; i < 5; i++) {
            throttle.failed("user" + i, "10.0.0.7");
        }
        assertThat(throttle.isLockedOut("carol", "10.0.0.7")).isTrue();
        assertThat(throttle.isLockedOut("carol", "10.0.0.8")).isFalse();
    }

    @Test
    void unknownAndKnownNamesAreCountedAlike()
    {
        // the throttle does not know who exists: a guesser learns nothing from its delays
        for (int i = 0; i < 3; i++) {
            assertThat(throttle.failed("no-such-user", "10.0.1.1")).isEqualTo(throttle.failed("alice", "10.0.1.2"));
        }
    }

    @Test
    void successClearsTheUserButNotTheAddress()
    {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0.1");
        }
        throttle.succeeded("alice");
        assertThat(throttle.failed("alice", "10.0.0.2")).isEqualTo(Duration.ofMillis(100));
        assertThat(throttle.failed("bob", "10.0.0.1")).isEqualTo(Duration.ofMillis(1000));
        assertThat(throttle.isLockedOut("carol", "10.0.0.1")).isTrue();
    }

    @Test
    void offNeverDelaysNorLocks()
    {
        LoginThrottle off = new LoginThrottle(LoginThrottle.Settings.OFF, now::get);
        for (int i = 0; i < 50; i++) {
            assertThat(off.failed("alice", "10.0.0.1")).isZero();
        }
        assertThat(off.isLockedOut("alice", "10.0.0.1")).isFalse();
    }
}
