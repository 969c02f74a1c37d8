package dev.sekisho.policies.model;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One entry of a list that says who a rule is for: a role defined in the policy files
 * ({@code viewer}), a group ({@code group:analysts}) or a user ({@code user:carol}). The group
 * {@code everyone} contains every authenticated user.
 *
 * @param kind what the name refers to
 * @param name the role, group or user name (never empty)
 * @param origin where the entry was written
 */
public record Grantee(Kind kind, String name, SourceLocation origin)
{
    /** The pseudo-group that every authenticated user belongs to. */
    public static final String EVERYONE = "everyone";

    /** What a grantee name refers to. */
    public enum Kind
    {
        ROLE(""),
        GROUP("group:"),
        USER("user:");

        private final String prefix;

        Kind(String prefix)
        {
            this.prefix = prefix;
        }

        /** How entries of this kind start in the policy files ({@code group:}); empty for roles. */
        public String prefix()
        {
            return prefix;
        }
    }

    public Grantee
    {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(origin, "origin is null");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("grantee name is empty");
        }
    }

    /**
     * Reads an entry as written in a policy file.
     *
     * @throws IllegalArgumentException with a message for admins if the text is not a grantee
     */
    public static Grantee parse(String text, SourceLocation origin)
    {
        String trimmed = text.strip();
        for (Kind kind : new Kind[] {Kind.GROUP, Kind.USER}) {
            if (trimmed.toLowerCase(Locale.ROOT).startsWith(kind.prefix())) {
                String name = trimmed.substring(kind.prefix().length()).strip();
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("'%s' names no %s; write %sNAME".formatted(text, kind.name().toLowerCase(Locale.ROOT), kind.prefix()));
                }
                return new Grantee(kind, name, origin);
            }
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("is empty; write a role name, group:NAME or user:NAME");
        }
        if (trimmed.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'%s' has an unknown prefix; write a role name, group:NAME or user:NAME".formatted(text));
        }
        return new Grantee(Kind.ROLE, trimmed, origin);
    }

    /** The entry as it is written in the files: {@code viewer}, {@code group:analysts}, {@code user:carol}. */
    public String text()
    {
        return kind.prefix() + name;
    }

    @Override
    public String toString()
    {
        return text();
    }
}
