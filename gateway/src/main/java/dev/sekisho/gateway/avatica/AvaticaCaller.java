package dev.sekisho.gateway.avatica;

import dev.sekisho.policies.Principal;

import static java.util.Objects.requireNonNull;

/**
 * Who sent the request being handled on this thread. Avatica's {@code Meta} calls carry no caller
 * (its reference server keeps one JDBC connection per id and trusts the id); the gateway
 * authenticates every HTTP request and hands the principal to {@link SekishoMeta} this way, for the
 * duration of the request, on the worker that handles it.
 */
final class AvaticaCaller
{
    private static final ThreadLocal<Principal> CURRENT = new ThreadLocal<>();

    private AvaticaCaller() {}

    /** Runs {@code request} as {@code principal}. */
    static <T> T as(Principal principal, java.util.function.Supplier<T> request)
    {
        requireNonNull(principal, "principal is null");
        CURRENT.set(principal);
        try {
            return request.get();
        }
        finally {
            CURRENT.remove();
        }
    }

    /** The principal of the request being handled; fails closed when there is none. */
    static Principal current()
    {
        Principal principal = CURRENT.get();
        if (principal == null) {
            throw new IllegalStateException("no authenticated caller on this thread");
        }
        return principal;
    }
}
