package dev.sekisho.planner;

import static java.util.Objects.requireNonNull;

/**
 * What a statement sends to one source, for the audit trail: the rewritten SQL (with the
 * policy's masks and row filters in it) next to the client's original.
 *
 * @param source the source's name
 * @param sql the statement in the source's dialect, with placeholders for bound values
 */
public record SourceStatement(String source, String sql)
{
    public SourceStatement
    {
        requireNonNull(source, "source is null");
        requireNonNull(sql, "sql is null");
    }
}
