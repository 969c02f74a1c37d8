package dev.sekisho.policies.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * A row filter: a SQL boolean expression over the table's raw columns, with user attributes as
 * bound values ({@code :user.region}). It is kept as text; the planner compiles it.
 *
 * @param name the filter's name (given, or {@code row_filters[i]})
 * @param grantees who it applies to; empty means everyone who can see the table
 * @param where the SQL expression
 * @param mode permissive (OR) or restrictive (AND)
 * @param origin where it was written
 */
public record RowFilter(String name, Optional<List<Grantee>> grantees, String where, RowFilterMode mode, SourceLocation origin)
{
    public RowFilter
    {
        requireNonNull(name, "name is null");
        grantees = grantees.map(List::copyOf);
        requireNonNull(where, "where is null");
        requireNonNull(mode, "mode is null");
        requireNonNull(origin, "origin is null");
    }

    /** The attributes the expression uses, e.g. {@code region} for {@code :user.region}. */
    public Set<String> userAttributes()
    {
        return UserReferences.attributes(where);
    }
}
