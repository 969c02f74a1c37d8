package dev.sekisho.policies.validate;

import dev.sekisho.policies.PolicySet;

import java.util.List;

/**
 * A validation a candidate snapshot must pass before it replaces the live one. The policies
 * module ships {@link StructuralChecks}; the planner contributes the semantic check (tables and
 * columns exist, masks fit column types, expressions compile) through this same interface.
 */
@FunctionalInterface
public interface PolicyCheck
{
    /** The problems found; empty when the snapshot passes. Must not change the snapshot. */
    List<PolicyProblem> check(PolicySet policies);
}
