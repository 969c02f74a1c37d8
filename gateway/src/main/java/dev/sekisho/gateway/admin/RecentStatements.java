package dev.sekisho.gateway.admin;

import dev.sekisho.gateway.audit.AuditEvent;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The last statements (the audit trail's events, so the admin page shows exactly what the audit
 * file holds) and today's use per team, for the admin page. Thread-safe.
 */
public final class RecentStatements
        implements Consumer<AuditEvent>
{
    /** Today's use by one team (UTC day). */
    public record TeamUse(long statements, long rows, long bytes) {}

    private final int capacity;
    private final Clock clock;
    private final Deque<AuditEvent.Statement> recent = new ArrayDeque<>();
    private final Map<String, long[]> today = new TreeMap<>();
    private LocalDate day;

    public RecentStatements(int capacity, Clock clock)
    {
        this.capacity = capacity;
        this.clock = requireNonNull(clock, "clock is null");
        this.day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @Override
    public synchronized void accept(AuditEvent event)
    {
        if (!(event instanceof AuditEvent.Statement statement)) {
            return;
        }
        recent.addFirst(statement);
        while (recent.size() > capacity) {
            recent.removeLast();
        }
        LocalDate now = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!now.equals(day)) {
            today.clear();
            day = now;
        }
        long[] use = today.computeIfAbsent(statement.team(), ignored -> new long[3]);
        use[0]++;
        use[1] += statement.rows();
        use[2] += statement.actualBytes() == null ? 0 : statement.actualBytes();
    }

    /** The latest statements, newest first. */
    public synchronized List<AuditEvent.Statement> latest()
    {
        return new ArrayList<>(recent);
    }

    /** Each team's use since midnight UTC. */
    public synchronized Map<String, TeamUse> today()
    {
        Map<String, TeamUse> copy = new TreeMap<>();
        today.forEach((team, use) -> copy.put(team, new TeamUse(use[0], use[1], use[2])));
        return copy;
    }
}
