package dev.sekisho.policies.model;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A role defined in the policy files: the users who hold it, directly or through a group.
 *
 * @param name the role name, as rules refer to it
 * @param groups groups whose members hold the role ({@code everyone} means every user)
 * @param users users who hold the role
 * @param origin where the role was defined
 */
public record Role(String name, Set<String> groups, Set<String> users, SourceLocation origin)
{
    public Role
    {
        requireNonNull(name, "name is null");
        groups = Set.copyOf(groups);
        users = Set.copyOf(users);
        requireNonNull(origin, "origin is null");
    }

    /** Whether a user with this name and these groups holds the role. */
    public boolean heldBy(String user, Set<String> userGroups)
    {
        if (users.contains(user) || groups.contains(Grantee.EVERYONE)) {
            return true;
        }
        for (String group : userGroups) {
            if (groups.contains(group)) {
                return true;
            }
        }
        return false;
    }
}
