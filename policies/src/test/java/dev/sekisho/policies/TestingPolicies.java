package dev.sekisho.policies;

import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds snapshots and principals for tests. */
final class TestingPolicies
{
    private TestingPolicies() {}

    static PolicySet parse(String yaml)
    {
        return new PolicyParser().parse(List.of(new PolicyDocument("p.yaml", yaml)));
    }

    static Principal user(String name, Set<String> groups, Map<String, String> attributes)
    {
        return new Principal(name, groups, attributes);
    }
}
