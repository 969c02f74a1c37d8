package dev.sekisho.planner;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;

import static java.util.Objects.requireNonNull;

/**
 * The policy a statement is planned under: who asks, and the snapshot in force when it was asked.
 *
 * @param principal the user with groups and attributes
 * @param policies the policy snapshot ({@code PolicyStore.current()} at the time of the statement)
 */
public record SessionPolicy(Principal principal, PolicySet policies)
{
    public SessionPolicy
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(policies, "policies is null");
    }
}
