package dev.sekisho.policies.guard;

import dev.sekisho.policies.model.SourceLocation;

import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The {@code end_users} section: shared accounts (a Redash or Tableau service user) whose
 * statements may name the person they run for, through Redash's annotation or
 * {@code SET sekisho.end_user}. From any other account such text changes nothing.
 *
 * @param trustedAccounts the user names of the trusted shared accounts
 * @param unknownRole the role an end user unknown to the users file gets; empty: such statements are refused
 * @param origin where it was written
 */
public record EndUsers(Set<String> trustedAccounts, Optional<String> unknownRole, SourceLocation origin)
{
    /** The group an unknown end user is put in; a users file cannot name it (':' is not allowed in group names there). */
    public static final String UNKNOWN_END_USER_GROUP = "sekisho:unknown_end_user";

    private static final EndUsers NONE = new EndUsers(Set.of(), Optional.empty(), SourceLocation.builtIn());

    public EndUsers
    {
        trustedAccounts = Set.copyOf(trustedAccounts);
        requireNonNull(unknownRole, "unknownRole is null");
        requireNonNull(origin, "origin is null");
    }

    /** No account is trusted to name an end user. */
    public static EndUsers none()
    {
        return NONE;
    }

    public boolean trusts(String account)
    {
        return trustedAccounts.contains(account);
    }
}
