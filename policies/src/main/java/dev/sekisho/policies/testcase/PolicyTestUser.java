package dev.sekisho.policies.testcase;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Whom a policy test runs as: a user of the users file ({@code user: alice}), or a user described
 * in the test ({@code user: {name: dave, groups: [analysts], attributes: {region: US}}}). Groups
 * and attributes given in the test replace the users file's.
 *
 * @param name the user name
 * @param groups the groups, if the test gives them
 * @param attributes the attributes, if the test gives them
 */
public record PolicyTestUser(String name, Optional<Set<String>> groups, Optional<Map<String, String>> attributes)
{
    public PolicyTestUser
    {
        requireNonNull(name, "name is null");
        groups = groups.map(Set::copyOf);
        attributes = attributes.map(Map::copyOf);
    }

    /** Whether the test describes the user itself rather than naming one of the users file. */
    public boolean isInline()
    {
        return groups.isPresent() || attributes.isPresent();
    }
}
