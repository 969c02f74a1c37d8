package dev.sekisho.planner;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What the planner needs to know about the session a statement comes from.
 *
 * @param user the authenticated user
 * @param searchPath schemas searched for unqualified table names, in order
 */
public record SessionContext(String user, List<String> searchPath)
{
    public SessionContext
    {
        requireNonNull(user, "user is null");
        searchPath = List.copyOf(searchPath);
    }
}
