package dev.sekisho.connectors.mysql;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How far behind its primary a server is, from what it reports: its replication status
 * ({@code SHOW REPLICA STATUS}) and, when configured, the newest row of a heartbeat table. The
 * arithmetic lives here, apart from the SQL, so that its sign and its edge cases are pinned by a
 * test (a lag ban that never fires because of a sign error is a known failure of other proxies).
 *
 * <p>Rules: a stopped IO or SQL thread, or a NULL {@code Seconds_Behind_Master}, is infinitely
 * stale; so is an empty heartbeat table. With both readings the larger lag wins
 * (Seconds_Behind_Master is known to under-report). A server without replication status and
 * without a heartbeat table replicates from nobody: it is the primary, a promoted replica or a
 * standalone copy, and nothing is ahead of it, so its lag is 0.
 *
 * @param seconds the lag; {@link Double#POSITIVE_INFINITY} when infinitely stale
 * @param reason why the lag is infinite, or what it is based on when that is worth saying; empty otherwise
 */
record ReplicationLag(double seconds, Optional<String> reason)
{
    static final ReplicationLag NOT_A_REPLICA = new ReplicationLag(0, Optional.of("not replicating: no replication status"));

    ReplicationLag
    {
        requireNonNull(reason, "reason is null");
        if (Double.isNaN(seconds) || seconds < 0) {
            throw new IllegalArgumentException("lag must be a non-negative number of seconds, not " + seconds);
        }
    }

    static ReplicationLag stale(String reason)
    {
        return new ReplicationLag(Double.POSITIVE_INFINITY, Optional.of(reason));
    }

    /** Whether the server is infinitely stale. */
    boolean isStale()
    {
        return Double.isInfinite(seconds);
    }

    /**
     * One row of {@code SHOW REPLICA STATUS} (or {@code SHOW SLAVE STATUS}).
     *
     * @param ioRunning {@code Slave_IO_Running} / {@code Replica_IO_Running}: Yes, No, Connecting, Preparing
     * @param sqlRunning {@code Slave_SQL_Running} / {@code Replica_SQL_Running}: Yes or No
     * @param secondsBehind {@code Seconds_Behind_Master} / {@code Seconds_Behind_Source}; null when NULL
     */
    record ReplicaStatus(String ioRunning, String sqlRunning, Long secondsBehind) {}

    /**
     * A heartbeat table's newest beat and the replica's clock at the same moment.
     *
     * @param newestBeat the newest beat (UTC), or null when the table is empty
     * @param replicaNow the replica's {@code UTC_TIMESTAMP(6)}
     */
    record HeartbeatReading(LocalDateTime newestBeat, LocalDateTime replicaNow)
    {
        HeartbeatReading
        {
            requireNonNull(replicaNow, "replicaNow is null");
        }
    }

    /** The lag from a server's replication status (empty: it has none) and its heartbeat reading (empty: none configured). */
    static ReplicationLag of(Optional<ReplicaStatus> status, Optional<HeartbeatReading> heartbeat)
    {
        if (status.isEmpty() && heartbeat.isEmpty()) {
            return NOT_A_REPLICA;
        }
        ReplicationLag fromStatus = status.map(ReplicationLag::fromStatus).orElse(null);
        ReplicationLag fromHeartbeat = heartbeat.map(ReplicationLag::fromHeartbeat).orElse(null);
        if (fromStatus == null) {
            return fromHeartbeat;
        }
        if (fromHeartbeat == null) {
            return fromStatus;
        }
        return fromHeartbeat.seconds() > fromStatus.seconds() ? fromHeartbeat : fromStatus;
    }

    static ReplicationLag fromStatus(ReplicaStatus status)
    {
        if (!isYes(status.ioRunning())) {
            return stale("replication IO thread not running (" + status.ioRunning() + ")");
        }
        if (!isYes(status.sqlRunning())) {
            return stale("replication SQL thread not running (" + status.sqlRunning() + ")");
        }
        if (status.secondsBehind() == null) {
            return stale("Seconds_Behind_Master is NULL");
        }
        return new ReplicationLag(Math.max(0, status.secondsBehind()), Optional.empty());
    }

    static ReplicationLag fromHeartbeat(HeartbeatReading reading)
    {
        if (reading.newestBeat() == null) {
            return stale("the heartbeat table is empty");
        }
        // positive when the newest beat the replica has applied is older than its clock: it is behind
        Duration behind = Duration.between(reading.newestBeat(), reading.replicaNow());
        double seconds = behind.toNanos() / 1e9;
        // a beat from the future means the clocks differ, not that the replica is ahead
        return new ReplicationLag(Math.max(0, seconds), Optional.empty());
    }

    private static boolean isYes(String value)
    {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("yes");
    }

    /** The lag for messages: {@code 3.2 s}, or {@code stale (reason)}. */
    String describe()
    {
        return isStale() ? "stale (" + reason.orElse("unknown") + ")" : formatSeconds(seconds);
    }

    /** Seconds with one decimal: {@code 3.2 s}; infinity as {@code ∞}. */
    static String formatSeconds(double seconds)
    {
        if (Double.isInfinite(seconds)) {
            return "∞";
        }
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
