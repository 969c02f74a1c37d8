/**
 * The cost guard's part of the policy files: budgets (per statement, per person, per team),
 * resource groups and how a statement finds its group, and which shared accounts may name the end
 * user they act for. Immutable records read by {@link dev.sekisho.policies.load.PolicyParser};
 * the gateway enforces them.
 */
package dev.sekisho.policies.guard;
