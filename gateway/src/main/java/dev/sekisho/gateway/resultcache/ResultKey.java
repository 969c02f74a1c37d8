package dev.sekisho.gateway.resultcache;

import dev.sekisho.planner.spi.BackendQuery;

import static java.util.Objects.requireNonNull;

/**
 * A source statement as the cache's key: equal exactly when the {@link BackendQuery} values are
 * equal (source, SQL, bound values, their types, tables), so two users share an entry only when
 * their policy-applied statements are the same. Cheaper than the record itself on the hit path: the
 * hash is taken once, from the source, the SQL (whose hash the string keeps) and the bound values
 * only, and equality compares the SQL, types and tables by identity first (a plan-cached statement
 * hands the same instances to every execution).
 */
final class ResultKey
{
    private final BackendQuery query;
    private final int hash;

    ResultKey(BackendQuery query)
    {
        this.query = requireNonNull(query, "query is null");
        int hash = query.source().hashCode() * 31 + query.sql().hashCode();
        for (Object value : query.parameters()) {
            hash = hash * 31 + (value == null ? 0 : value.hashCode());
        }
        this.hash = hash;
    }

    BackendQuery query()
    {
        return query;
    }

    @Override
    public int hashCode()
    {
        return hash;
    }

    @Override
    public boolean equals(Object other)
    {
        if (this == other) {
            return true;
        }
        if (!(other instanceof ResultKey that) || hash != that.hash) {
            return false;
        }
        BackendQuery mine = query;
        BackendQuery theirs = that.query;
        return same(mine.sql(), theirs.sql())
                && mine.source().equals(theirs.source())
                && mine.parameters().equals(theirs.parameters())
                && same(mine.parameterTypes(), theirs.parameterTypes())
                && same(mine.tables(), theirs.tables());
    }

    private static boolean same(Object mine, Object theirs)
    {
        return mine == theirs || mine.equals(theirs);
    }

    @Override
    public String toString()
    {
        return query.toString();
    }
}
