package dev.sekisho.policies;

import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Who is asking: an authenticated user with the groups and attributes that policies are written
 * against (e.g. {@code region: JP}). Immutable.
 *
 * @param name the user name as it authenticated
 * @param groups the groups the user belongs to
 * @param attributes named attribute values, e.g. region or department
 */
public record Principal(String name, Set<String> groups, Map<String, String> attributes)
{
    public Principal
    {
        requireNonNull(name, "name is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name is empty");
        }
        groups = Set.copyOf(groups);
        attributes = Map.copyOf(attributes);
    }

    public static Principal of(String name)
    {
        return new Principal(name, Set.of(), Map.of());
    }
}
