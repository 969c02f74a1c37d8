package dev.sekisho.gateway.execution;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Counts the open sessions of each user and of each group that has a connection limit, and refuses
 * a session beyond a limit with 53300, as PostgreSQL does for a role's CONNECTION LIMIT. Protocol
 * agnostic: every front door opens its sessions through {@link Sessions}. Thread-safe.
 */
final class ConnectionLimits
{
    private final Limits limits;
    // guarded by this
    private final Map<String, Integer> users = new HashMap<>();
    private final Map<String, Integer> groups = new HashMap<>();

    ConnectionLimits(Limits limits)
    {
        this.limits = requireNonNull(limits, "limits is null");
    }

    /** What a session holds: its place in its user's and groups' counts, given back once by {@link #close()}. */
    interface Slot
            extends AutoCloseable
    {
        @Override
        void close();
    }

    /**
     * Takes a place for a new session of {@code principal}.
     *
     * @throws QueryException 53300 when the user or one of its groups has its limit's worth of sessions open
     */
    synchronized Slot acquire(Principal principal)
    {
        String user = principal.name();
        int userLimit = limits.maxConnectionsOfUser(user);
        int userCount = users.getOrDefault(user, 0);
        if (userLimit > 0 && userCount >= userLimit) {
            throw new QueryException(SqlStates.TOO_MANY_CONNECTIONS, "too many connections for role \"" + user + "\"",
                    "User \"" + user + "\" may hold " + userLimit + " connection(s) at once (limits in sekisho.yaml); close one first.", null);
        }
        Map<String, Integer> limitedGroups = limits.connectionLimitedGroups(principal);
        for (Map.Entry<String, Integer> group : limitedGroups.entrySet()) {
            if (groups.getOrDefault(group.getKey(), 0) >= group.getValue()) {
                throw new QueryException(SqlStates.TOO_MANY_CONNECTIONS, "too many connections for group \"" + group.getKey() + "\"",
                        "The members of group \"" + group.getKey() + "\" may hold " + group.getValue()
                                + " connection(s) at once together (limits in sekisho.yaml); close one first.", null);
            }
        }
        users.merge(user, 1, Integer::sum);
        List<String> counted = new ArrayList<>(limitedGroups.keySet());
        counted.forEach(group -> groups.merge(group, 1, Integer::sum));
        return new Slot()
        {
            private boolean closed;

            @Override
            public void close()
            {
                synchronized (ConnectionLimits.this) {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    users.computeIfPresent(user, (name, count) -> count <= 1 ? null : count - 1);
                    counted.forEach(group -> groups.computeIfPresent(group, (name, count) -> count <= 1 ? null : count - 1));
                }
            }
        };
    }

    /** Open sessions of {@code user} now. */
    synchronized int sessionsOf(String user)
    {
        return users.getOrDefault(user, 0);
    }
}
