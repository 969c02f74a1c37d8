package dev.sekisho.planner.testing;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Policies and principals for planner tests. */
public final class TestingPolicies
{
    private TestingPolicies() {}

    /** Parses one policy file named {@code policies.yaml}. */
    public static PolicySet parse(String yaml)
    {
        return new PolicyParser().parse(List.of(new PolicyDocument("policies.yaml", yaml)));
    }

    public static Principal user(String name, Set<String> groups, Map<String, String> attributes)
    {
        return new Principal(name, groups, attributes);
    }

    public static SessionContext session(Principal principal, PolicySet policies)
    {
        return SessionContext.withPolicy(principal, policies, List.of("shop"));
    }
}
