package dev.sekisho.policies.model;

/** What happens to a table that no table rule names ({@code defaults.access}). */
public enum DefaultAccess
{
    /** Tables without a rule are invisible, as if they did not exist. The default. */
    DENY,
    /** Tables without a rule are visible, unmasked and unfiltered, to every user. */
    ALLOW
}
