package dev.sekisho.policies;

import dev.sekisho.policies.model.SourceLocation;

import static java.util.Objects.requireNonNull;

/**
 * A rule that decided part of an effective policy, for {@code policy explain} and the audit log.
 *
 * @param kind what the rule did
 * @param detail what it says, e.g. {@code email: mask email}
 * @param origin where it was written
 */
public record FiredRule(Kind kind, String detail, SourceLocation origin)
{
    /** What a rule did. */
    public enum Kind
    {
        /** No table rule: {@code defaults.access} decided visibility. */
        DEFAULT_ACCESS,
        /** The table is visible through its {@code allow} list (or the default). */
        TABLE_ALLOWED,
        /** The table is invisible: denied, or not allowed. */
        TABLE_DENIED,
        /** A column is invisible to this user. */
        COLUMN_DENIED,
        /** A column is masked. */
        MASK,
        /** A column's mask does not apply, through {@code unmasked_for}. */
        UNMASKED,
        /** A row filter applies. */
        ROW_FILTER,
        /** A row filter applies but uses an attribute the user lacks, so it admits no row. */
        ROW_FILTER_UNSATISFIED,
        /** The table has row filters and none grants rows to this user: no rows. */
        NO_ROWS,
        /** Row filters do not apply, through {@code unfiltered_for}. */
        UNFILTERED
    }

    public FiredRule
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(origin, "origin is null");
    }

    @Override
    public String toString()
    {
        return origin + ": " + detail;
    }
}
