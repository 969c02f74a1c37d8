package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.policies.Principal;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What the pipeline's hooks ({@link Admission}, {@link StatementListener}) are told about one run
 * of a statement.
 *
 * @param principal who runs it
 * @param portal the portal being run (empty: the unnamed one)
 * @param statement the statement as planned for this run (its text, kind and plan)
 * @param started when the run started
 */
public record StatementInfo(Principal principal, String portal, PreparedStatement statement, Instant started)
{
    public StatementInfo
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(portal, "portal is null");
        requireNonNull(statement, "statement is null");
        requireNonNull(started, "started is null");
    }
}
