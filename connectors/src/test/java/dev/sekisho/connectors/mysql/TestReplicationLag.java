package dev.sekisho.connectors.mysql;

import dev.sekisho.connectors.mysql.ReplicationLag.HeartbeatReading;
import dev.sekisho.connectors.mysql.ReplicationLag.ReplicaStatus;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The lag arithmetic: its sign, and the cases that must count as infinitely stale. */
public class TestReplicationLag
{
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 3, 1, 12, 0, 0);

    @Test
    public void aReplicaBehindItsPrimaryHasAPositiveLag()
    {
        assertThat(ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "Yes", 7L)), Optional.empty()).seconds()).isEqualTo(7.0);
        // the newest beat the replica applied is 5.25 s older than its clock: 5.25 s behind, not -5.25
        HeartbeatReading behind = new HeartbeatReading(NOW.minusNanos(5_250_000_000L), NOW);
        assertThat(ReplicationLag.of(Optional.empty(), Optional.of(behind)).seconds()).isEqualTo(5.25);
        assertThat(ReplicationLag.of(Optional.empty(), Optional.of(new HeartbeatReading(NOW, NOW))).seconds()).isZero();
    }

    @Test
    public void aBeatFromTheFutureIsClockSkewNotNegativeLag()
    {
        ReplicationLag lag = ReplicationLag.of(Optional.empty(), Optional.of(new HeartbeatReading(NOW.plusSeconds(3), NOW)));
        assertThat(lag.seconds()).isZero();
        assertThat(lag.isStale()).isFalse();
    }

    @Test
    public void stoppedThreadsAndNullLagAreInfinitelyStale()
    {
        ReplicationLag sqlStopped = ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "No", null)), Optional.empty());
        assertThat(sqlStopped.isStale()).isTrue();
        assertThat(sqlStopped.seconds()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(sqlStopped.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("SQL thread"));
        // a stopped SQL thread is stale even if the status still shows an old number
        assertThat(ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "No", 0L)), Optional.empty()).isStale()).isTrue();

        ReplicationLag ioStopped = ReplicationLag.of(Optional.of(new ReplicaStatus("No", "Yes", 0L)), Optional.empty());
        assertThat(ioStopped.isStale()).isTrue();
        assertThat(ioStopped.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("IO thread"));
        assertThat(ReplicationLag.of(Optional.of(new ReplicaStatus("Connecting", "Yes", null)), Optional.empty()).isStale()).isTrue();

        ReplicationLag nullLag = ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "Yes", null)), Optional.empty());
        assertThat(nullLag.isStale()).isTrue();
        assertThat(nullLag.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("NULL"));

        ReplicationLag noBeat = ReplicationLag.of(Optional.empty(), Optional.of(new HeartbeatReading(null, NOW)));
        assertThat(noBeat.isStale()).isTrue();
        assertThat(noBeat.reason()).hasValueSatisfying(reason -> assertThat(reason).contains("heartbeat table is empty"));
    }

    @Test
    public void theLargerOfTheTwoReadingsWins()
    {
        // Seconds_Behind_Master says 1 s, the heartbeat 9 s: the heartbeat is believed
        HeartbeatReading nineBehind = new HeartbeatReading(NOW.minusSeconds(9), NOW);
        assertThat(ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "Yes", 1L)), Optional.of(nineBehind)).seconds()).isEqualTo(9.0);
        assertThat(ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "Yes", 12L)), Optional.of(nineBehind)).seconds()).isEqualTo(12.0);
        // a stopped thread wins over a fresh heartbeat
        assertThat(ReplicationLag.of(Optional.of(new ReplicaStatus("Yes", "No", null)), Optional.of(new HeartbeatReading(NOW, NOW))).isStale()).isTrue();
    }

    @Test
    public void aServerThatReplicatesFromNobodyIsNotBehind()
    {
        assertThat(ReplicationLag.of(Optional.empty(), Optional.empty())).isEqualTo(ReplicationLag.NOT_A_REPLICA);
        assertThat(ReplicationLag.NOT_A_REPLICA.seconds()).isZero();
    }

    @Test
    public void formatting()
    {
        assertThat(ReplicationLag.formatSeconds(3.24)).isEqualTo("3.2 s");
        assertThat(ReplicationLag.formatSeconds(Double.POSITIVE_INFINITY)).isEqualTo("∞");
        assertThat(ReplicationLag.stale("replication SQL thread not running (No)").describe()).isEqualTo("stale (replication SQL thread not running (No))");
    }

    @Test
    public void theStatusStatementFollowsTheServerVersion()
    {
        assertThat(ServerCheck.statusStatement("11.4.5-MariaDB")).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerCheck.statusStatement("5.5.5-10.5.1-MariaDB-log")).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerCheck.statusStatement("5.5.5-10.4.30-MariaDB")).isEqualTo("SHOW SLAVE STATUS");
        assertThat(ServerCheck.statusStatement("8.0.22")).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerCheck.statusStatement("8.4.3")).isEqualTo("SHOW REPLICA STATUS");
        assertThat(ServerCheck.statusStatement("8.0.21-log")).isEqualTo("SHOW SLAVE STATUS");
        assertThat(ServerCheck.statusStatement("5.7.44")).isEqualTo("SHOW SLAVE STATUS");
    }
}
