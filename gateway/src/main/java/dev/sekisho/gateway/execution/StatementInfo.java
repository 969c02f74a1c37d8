package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.policies.Principal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the pipeline's hooks ({@link Admission}, {@link StatementListener}) are told about one run
 * of a statement.
 *
 * @param principal who it runs for: the end user a trusted shared account named, or the account
 * @param account the user that authenticated (the shared account, when it named an end user)
 * @param portal the portal being run (empty: the unnamed one)
 * @param statement the statement as planned for this run (its text, kind and plan)
 * @param parameters the values bound to its parameters
 * @param started when the run started
 * @param session the session that runs it
 * @param applicationName the session's application_name when the run started, if set
 * @param answeredFromCache whether the result cache answered it instead of its sources (known when it finished)
 * @param resultCacheSetting the session's {@code sekisho.cache} when the run started, if set (whether the result cache may answer it)
 */
public record StatementInfo(Principal principal, Principal account, String portal, PreparedStatement statement, List<Object> parameters,
        Instant started, SessionInfo session, Optional<String> applicationName, boolean answeredFromCache, Optional<String> resultCacheSetting)
{
    public StatementInfo
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(account, "account is null");
        requireNonNull(portal, "portal is null");
        requireNonNull(statement, "statement is null");
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        requireNonNull(started, "started is null");
        requireNonNull(session, "session is null");
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(resultCacheSetting, "resultCacheSetting is null");
    }

    /** A run as it starts: whether the result cache answers it is known only when it finished. */
    public StatementInfo(Principal principal, Principal account, String portal, PreparedStatement statement, List<Object> parameters,
            Instant started, SessionInfo session, Optional<String> applicationName)
    {
        this(principal, account, portal, statement, parameters, started, session, applicationName, Optional.empty());
    }

    /** A run as it starts, in a session whose {@code sekisho.cache} setting is {@code resultCacheSetting}. */
    public StatementInfo(Principal principal, Principal account, String portal, PreparedStatement statement, List<Object> parameters,
            Instant started, SessionInfo session, Optional<String> applicationName, Optional<String> resultCacheSetting)
    {
        this(principal, account, portal, statement, parameters, started, session, applicationName, false, resultCacheSetting);
    }

    /** This run, answered from the result cache. */
    public StatementInfo withAnsweredFromCache()
    {
        return new StatementInfo(principal, account, portal, statement, parameters, started, session, applicationName, true, resultCacheSetting);
    }

    /** A run of a session nobody described (embedded use and tests): the account runs it for itself, without parameters. */
    public StatementInfo(Principal principal, String portal, PreparedStatement statement, Instant started)
    {
        this(principal, principal, portal, statement, List.of(), started, new SessionInfo(0, principal, ClientOrigin.UNKNOWN, started), Optional.empty());
    }
}
