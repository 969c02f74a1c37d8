package dev.sekisho.gateway.execution;

import dev.sekisho.policies.Principal;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * A live session as operations see it: the audit trail, the metrics and the admin endpoint name
 * a session by {@link #id()} (the process id PostgreSQL clients see in BackendKeyData).
 *
 * @param id the session's id, unique among live sessions
 * @param principal who authenticated
 * @param origin where the client came from
 * @param connected when the session opened
 */
public record SessionInfo(int id, Principal principal, ClientOrigin origin, Instant connected)
{
    public SessionInfo
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(origin, "origin is null");
        requireNonNull(connected, "connected is null");
    }
}
