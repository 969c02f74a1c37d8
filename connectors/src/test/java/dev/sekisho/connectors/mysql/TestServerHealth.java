package dev.sekisho.connectors.mysql;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The states and their hysteresis, driven by a clock of our own. */
public class TestServerHealth
{
    private static final long SECOND = 1_000_000_000L;

    private static ReplicationLag lag(double seconds)
    {
        return new ReplicationLag(seconds, Optional.empty());
    }

    @Test
    public void theFirstCheckDecidesAtOnce()
    {
        ServerHealth fresh = new ServerHealth(30, 2, 3);
        assertThat(fresh.checked()).isFalse();
        assertThat(fresh.snapshot(0).serves(30)).isFalse();
        fresh.recordCheck(lag(0), SECOND);
        assertThat(fresh.snapshot(SECOND).state()).isEqualTo(ServerHealth.State.UP);

        ServerHealth failing = new ServerHealth(30, 2, 3);
        failing.recordFailedCheck("connection refused", SECOND);
        assertThat(failing.snapshot(SECOND).state()).isEqualTo(ServerHealth.State.DOWN);
        assertThat(failing.snapshot(SECOND).reason()).contains("connection refused");
    }

    @Test
    public void downAfterConsecutiveFailuresAndUpOnlyAfterConsecutiveGoodChecks()
    {
        ServerHealth health = new ServerHealth(30, 2, 3);
        long now = SECOND;
        health.recordCheck(lag(0), now);
        health.recordFailedCheck("no answer in time", now += SECOND);
        // one failure is tolerated
        assertThat(health.snapshot(now).state()).isEqualTo(ServerHealth.State.UP);
        health.recordCheck(lag(0), now += SECOND);
        health.recordFailedCheck("no answer in time", now += SECOND);
        assertThat(health.snapshot(now).state()).as("failures must be consecutive").isEqualTo(ServerHealth.State.UP);
        health.recordFailedCheck("no answer in time", now += SECOND);
        assertThat(health.snapshot(now).state()).isEqualTo(ServerHealth.State.DOWN);

        health.recordCheck(lag(0), now += SECOND);
        health.recordCheck(lag(0), now += SECOND);
        assertThat(health.snapshot(now).state()).as("two good checks of three").isEqualTo(ServerHealth.State.DOWN);
        assertThat(health.snapshot(now).reason()).hasValueSatisfying(reason -> assertThat(reason).contains("recovering: 2 of 3"));
        health.recordFailedCheck("no answer in time", now += SECOND);
        health.recordCheck(lag(0), now += SECOND);
        health.recordCheck(lag(0), now += SECOND);
        assertThat(health.snapshot(now).state()).as("a failure restarts the count").isEqualTo(ServerHealth.State.DOWN);
        health.recordCheck(lag(0), now += SECOND);
        assertThat(health.snapshot(now).state()).isEqualTo(ServerHealth.State.UP);
        assertThat(health.snapshot(now).reason()).isEmpty();
        assertThat(health.snapshot(now).lastError()).contains("no answer in time");
    }

    @Test
    public void aStatementThatCannotConnectTakesTheServerDownAtOnce()
    {
        ServerHealth health = new ServerHealth(30, 5, 2);
        health.recordCheck(lag(0), SECOND);
        health.recordFailure("connection refused", 2 * SECOND);
        assertThat(health.snapshot(2 * SECOND).state()).isEqualTo(ServerHealth.State.DOWN);
        health.recordCheck(lag(0), 3 * SECOND);
        health.recordCheck(lag(0), 4 * SECOND);
        assertThat(health.snapshot(4 * SECOND).state()).isEqualTo(ServerHealth.State.UP);
    }

    @Test
    public void lagPastEveryLimitIsLaggingAtOnceAndStaleIsLaggingWithItsReason()
    {
        ServerHealth health = new ServerHealth(30, 2, 3);
        health.recordCheck(lag(1), SECOND);
        health.recordCheck(lag(31), 2 * SECOND);
        assertThat(health.snapshot(2 * SECOND).state()).isEqualTo(ServerHealth.State.LAGGING);
        health.recordCheck(ReplicationLag.stale("replication SQL thread not running (No)"), 3 * SECOND);
        ServerHealth.Snapshot stale = health.snapshot(3 * SECOND);
        assertThat(stale.state()).isEqualTo(ServerHealth.State.LAGGING);
        assertThat(stale.lagSeconds()).isInfinite();
        assertThat(stale.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("SQL thread"));
        assertThat(stale.alive()).isTrue();
        // back within the limit: up after three readings in a row
        health.recordCheck(lag(2), 4 * SECOND);
        health.recordCheck(lag(1), 5 * SECOND);
        assertThat(health.snapshot(5 * SECOND).state()).isEqualTo(ServerHealth.State.LAGGING);
        health.recordCheck(lag(0), 6 * SECOND);
        assertThat(health.snapshot(6 * SECOND).state()).isEqualTo(ServerHealth.State.UP);
    }

    @Test
    public void aTighterLimitNeedsTheLagNowAndEveryRecentReadingWithinIt()
    {
        ServerHealth health = new ServerHealth(60, 2, 3);
        health.recordCheck(lag(0), SECOND);
        health.recordCheck(lag(8), 2 * SECOND);
        ServerHealth.Snapshot eight = health.snapshot(2 * SECOND);
        assertThat(eight.state()).isEqualTo(ServerHealth.State.UP);
        assertThat(eight.serves(60)).isTrue();
        assertThat(eight.serves(5)).isFalse();
        health.recordCheck(lag(0), 3 * SECOND);
        health.recordCheck(lag(0), 4 * SECOND);
        assertThat(health.snapshot(4 * SECOND).serves(5)).as("8 s is still one of the last three readings").isFalse();
        health.recordCheck(lag(0), 5 * SECOND);
        assertThat(health.snapshot(5 * SECOND).serves(5)).isTrue();
    }

    @Test
    public void theLagNowIsTheLastReadingPlusItsAge()
    {
        ServerHealth health = new ServerHealth(30, 2, 1);
        health.recordCheck(lag(1), SECOND);
        assertThat(health.snapshot(SECOND).lagSeconds()).isEqualTo(1.0);
        // no reading for 4.5 s: the server may be 4.5 s further behind by now
        assertThat(health.snapshot(SECOND + 4_500_000_000L).lagSeconds()).isEqualTo(5.5);
        assertThat(health.snapshot(SECOND + 4_500_000_000L).serves(5)).isFalse();
        // with no reading for longer than every limit, it serves nothing and says why
        ServerHealth.Snapshot silent = health.snapshot(40 * SECOND);
        assertThat(silent.serves(30)).isFalse();
        assertThat(silent.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("no lag reading for"));
    }
}
