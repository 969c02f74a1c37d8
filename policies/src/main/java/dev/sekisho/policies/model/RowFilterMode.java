package dev.sekisho.policies.model;

import java.util.Locale;

/** How a row filter combines with others (PostgreSQL row-level-security semantics). */
public enum RowFilterMode
{
    /** Grants rows: the applicable permissive filters combine with OR. The default. */
    PERMISSIVE,
    /** Narrows rows: every applicable restrictive filter must hold (AND). */
    RESTRICTIVE;

    /** The name in the policy files. */
    public String key()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
