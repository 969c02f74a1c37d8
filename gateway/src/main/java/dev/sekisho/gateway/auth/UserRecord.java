package dev.sekisho.gateway.auth;

import dev.sekisho.policies.Principal;

import static java.util.Objects.requireNonNull;

/**
 * A user the gateway knows: who they are for policies, and how to check their password.
 */
public record UserRecord(Principal principal, ScramVerifier verifier)
{
    public UserRecord
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(verifier, "verifier is null");
    }
}
