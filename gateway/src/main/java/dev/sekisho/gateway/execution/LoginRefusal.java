package dev.sekisho.gateway.execution;

import java.util.Locale;

/**
 * Why a front door refused a login, for the audit trail. The client is told less (an unknown user
 * and a lock-out read like a wrong password); an admin reading the audit trail needs to know more.
 */
public enum LoginRefusal
{
    /** The password (the SCRAM proof) was wrong. */
    WRONG_PASSWORD,
    /** No such user in the users file. */
    UNKNOWN_USER,
    /** The login throttle locked the user or the address out after too many failures. */
    LOCKED_OUT,
    /** The server accepts only TLS connections and this one was plain. */
    TLS_REQUIRED,
    /** A client certificate was required and was missing, or named someone else. */
    CLIENT_CERTIFICATE,
    /** The gateway holds as many connections as it takes. */
    TOO_MANY_CONNECTIONS,
    /** The user or one of its groups holds as many sessions as its limit allows. */
    CONNECTION_LIMIT,
    /** The client broke the protocol before it was authenticated (no user name, a malformed SASL message). */
    PROTOCOL_VIOLATION;

    /** How the audit trail writes it, e.g. {@code locked_out}. */
    public String code()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
