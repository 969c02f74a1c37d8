package dev.sekisho.gateway.auth;

import dev.sekisho.policies.Principal;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A user the gateway knows: who they are for policies, and how they prove it: a SCRAM-SHA-256
 * password, a TLS client certificate, or both.
 *
 * @param scram the password's SCRAM verifier; empty for a user who logs in with a certificate only
 * @param clientCertificate what the user's TLS client certificate must satisfy
 */
public record UserRecord(Principal principal, Optional<ScramVerifier> scram, ClientCertificateCheck clientCertificate)
{
    public UserRecord
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(scram, "scram is null");
        requireNonNull(clientCertificate, "clientCertificate is null");
        if (scram.isEmpty() && clientCertificate != ClientCertificateCheck.VERIFY_FULL) {
            throw new IllegalArgumentException("a user without a password must log in with a certificate naming them (verify-full)");
        }
    }

    /** A user with a password and no certificate requirement of their own. */
    public UserRecord(Principal principal, ScramVerifier verifier)
    {
        this(principal, Optional.of(verifier), ClientCertificateCheck.NONE);
    }

    /**
     * The password's verifier.
     *
     * @throws IllegalStateException for a user who logs in with a certificate only
     */
    public ScramVerifier verifier()
    {
        return scram.orElseThrow(() -> new IllegalStateException("user " + principal.name() + " has no password: they log in by client certificate"));
    }
}
