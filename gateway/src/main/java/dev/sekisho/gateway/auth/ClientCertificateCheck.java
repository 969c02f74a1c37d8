package dev.sekisho.gateway.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What a TLS client certificate must satisfy, as PostgreSQL's {@code clientcert} option of
 * pg_hba.conf: nothing, a certificate signed by the configured CA ({@code tls.client_ca}), or
 * such a certificate whose Common Name is the user name (PostgreSQL's {@code cert} mapping).
 * Ordered from weakest to strongest.
 */
public enum ClientCertificateCheck
{
    NONE("none"),
    VERIFY_CA("verify-ca"),
    VERIFY_FULL("verify-full");

    private final String text;

    ClientCertificateCheck(String text)
    {
        this.text = text;
    }

    /** The setting's value as written in the files. */
    public String text()
    {
        return text;
    }

    /** The stronger of two requirements (the global one and a user's own). */
    public ClientCertificateCheck strongest(ClientCertificateCheck other)
    {
        return compareTo(other) >= 0 ? this : other;
    }

    /** Reads {@code verify-ca} or {@code verify-full} ({@code none} too); empty for anything else. */
    public static Optional<ClientCertificateCheck> parse(String text)
    {
        String normalized = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (ClientCertificateCheck check : values()) {
            if (check.text.equals(normalized)) {
                return Optional.of(check);
            }
        }
        return Optional.empty();
    }
}
