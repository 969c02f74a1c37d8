package dev.sekisho.policies.model;

import static java.util.Objects.requireNonNull;

/**
 * The {@code defaults} section.
 *
 * @param access what happens to tables without a rule, and to table rules without {@code allow}
 * @param origin where it was written, or {@link SourceLocation#builtIn()}
 */
public record Defaults(DefaultAccess access, SourceLocation origin)
{
    private static final Defaults DENY = new Defaults(DefaultAccess.DENY, SourceLocation.builtIn());

    public Defaults
    {
        requireNonNull(access, "access is null");
        requireNonNull(origin, "origin is null");
    }

    /** Deny by default, as when no file has a {@code defaults} section. */
    public static Defaults denyByDefault()
    {
        return DENY;
    }
}
