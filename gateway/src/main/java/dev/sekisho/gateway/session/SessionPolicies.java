package dev.sekisho.gateway.session;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;

import java.util.List;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Decides which policy the planner applies to a session's next statement. Asked once per
 * statement, so that a reloaded policy holds from the next statement on.
 */
@FunctionalInterface
public interface SessionPolicies
{
    /** What the planner is told about one statement of this principal. */
    SessionContext context(Principal principal, List<String> searchPath);

    /** No policies configured: every user sees every exposed table (the gateway warns at start). */
    static SessionPolicies disabled()
    {
        return (principal, searchPath) -> new SessionContext(principal.name(), searchPath);
    }

    /** The current snapshot of a policy store, read afresh for every statement. */
    static SessionPolicies of(Supplier<PolicySet> current)
    {
        requireNonNull(current, "current is null");
        return (principal, searchPath) -> SessionContext.withPolicy(principal, current.get(), searchPath);
    }
}
