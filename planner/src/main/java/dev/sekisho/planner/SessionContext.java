package dev.sekisho.planner;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the planner needs to know about the session a statement comes from.
 *
 * <p>Policies: with an empty {@code policy}, policies are <b>disabled</b> and every table and
 * column of the catalog is visible, unmasked and unfiltered (the behaviour before any policy is
 * configured). With a policy, it is enforced for this statement with deny by default: tables the
 * principal may not see do not exist (42P01), denied columns do not exist (42703), masks and row
 * filters are part of the plan. Build a new context per statement, with the policy store's
 * current snapshot, so that a reload is seen by the session's next statement.
 *
 * @param user the authenticated user
 * @param searchPath schemas searched for unqualified table names, in order
 * @param policy the principal and the policy snapshot to enforce; empty means policies are disabled
 */
public record SessionContext(String user, List<String> searchPath, Optional<SessionPolicy> policy)
{
    public SessionContext
    {
        requireNonNull(user, "user is null");
        searchPath = List.copyOf(searchPath);
        requireNonNull(policy, "policy is null");
    }

    /** A session without policies: everything in the catalog is visible. */
    public SessionContext(String user, List<String> searchPath)
    {
        this(user, searchPath, Optional.empty());
    }

    /** A session of {@code principal} under the policy snapshot {@code policies} (deny by default). */
    public static SessionContext withPolicy(Principal principal, PolicySet policies, List<String> searchPath)
    {
        return new SessionContext(principal.name(), searchPath, Optional.of(new SessionPolicy(principal, policies)));
    }
}
