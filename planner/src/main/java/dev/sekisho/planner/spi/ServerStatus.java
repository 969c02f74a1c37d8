package dev.sekisho.planner.spi;

import java.util.Optional;
import java.util.OptionalDouble;

import static java.util.Objects.requireNonNull;

/**
 * One server of a source as the connector sees it now, for admins ({@code SHOW sekisho.replicas},
 * metrics) and tests: its state, its connection pool and its last error.
 *
 * @param name the server's name in the configuration
 * @param role {@code replica} or {@code primary}
 * @param state {@code up}, {@code lagging}, {@code down} or {@code draining} (see docs/routing.md)
 * @param activeConnections connections lent out to statements now (a MySQL source counts its
 *         non-blocking connections too, those a statement run on a front door's I/O thread holds)
 * @param idleConnections connections open and free (the non-blocking ones too)
 * @param maxConnections the pool's maximum size (the JDBC pool's; a MySQL source's non-blocking
 *         connections are beside it, see docs/configuration.md)
 * @param waitingStatements statements waiting for a connection of this server
 * @param lagSeconds replication lag when known (positive infinity: infinitely stale, e.g. a stopped
 *         replication thread); empty when the server's lag was never measured
 * @param lastError the last failure seen on this server, without secrets
 * @param retriedElsewhere statements that failed on this server before their first row and were
 *         run again on another server
 */
public record ServerStatus(
        String name,
        String role,
        String state,
        int activeConnections,
        int idleConnections,
        int maxConnections,
        int waitingStatements,
        OptionalDouble lagSeconds,
        Optional<String> lastError,
        long retriedElsewhere)
{
    public ServerStatus
    {
        requireNonNull(name, "name is null");
        requireNonNull(role, "role is null");
        requireNonNull(state, "state is null");
        requireNonNull(lagSeconds, "lagSeconds is null");
        requireNonNull(lastError, "lastError is null");
        if (activeConnections < 0 || idleConnections < 0 || maxConnections < 0 || waitingStatements < 0 || retriedElsewhere < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
    }

    /** A server whose source does not retry statements elsewhere. */
    public ServerStatus(String name, String role, String state, int activeConnections, int idleConnections, int maxConnections, int waitingStatements,
            OptionalDouble lagSeconds, Optional<String> lastError)
    {
        this(name, role, state, activeConnections, idleConnections, maxConnections, waitingStatements, lagSeconds, lastError, 0);
    }
}
