package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.policies.Principal;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the pipeline's hooks ({@link Admission}, {@link StatementListener}) are told about one run
 * of a statement.
 *
 * @param principal who runs it
 * @param portal the portal being run (empty: the unnamed one)
 * @param statement the statement as planned for this run (its text, kind and plan)
 * @param started when the run started
 * @param session the session that runs it
 * @param applicationName the session's application_name when the run started, if set
 */
public record StatementInfo(Principal principal, String portal, PreparedStatement statement, Instant started, SessionInfo session,
        Optional<String> applicationName)
{
    public StatementInfo
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(portal, "portal is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(started, "started is null");
        requireNonNull(session, "session is null");
        requireNonNull(applicationName, "applicationName is null");
    }

    /** A run of a session nobody described (embedded use and tests). */
    public StatementInfo(Principal principal, String portal, PreparedStatement statement, Instant started)
    {
        this(principal, portal, statement, started, new SessionInfo(0, principal, ClientOrigin.UNKNOWN, started), Optional.empty());
    }
}
