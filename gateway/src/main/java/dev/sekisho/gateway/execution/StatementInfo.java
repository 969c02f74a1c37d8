package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.policies.Principal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
 * @param applicationName the session's {@code application_name}
 * @param started when the run started
 */
public record StatementInfo(Principal principal, Principal account, String portal, PreparedStatement statement, List<Object> parameters,
        String applicationName, Instant started)
{
    public StatementInfo
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(account, "account is null");
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(portal, "portal is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(started, "started is null");
    }
}
