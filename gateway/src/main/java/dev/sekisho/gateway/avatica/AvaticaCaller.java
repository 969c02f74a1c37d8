package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.ClientOrigin;
import dev.sekisho.policies.Principal;

import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Who sent the request being handled on this thread, and from where. Avatica's {@code Meta} calls
 * carry no caller (its reference server keeps one JDBC connection per id and trusts the id); the
 * gateway authenticates every HTTP request and hands the principal to {@link SekishoMeta} this way,
 * for the duration of the request, on the worker that handles it.
 */
final class AvaticaCaller
{
    private record Caller(Principal principal, ClientOrigin origin) {}

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    private AvaticaCaller() {}

    /** Runs {@code request} as {@code principal}, a client at {@code origin}. */
    static <T> T as(Principal principal, ClientOrigin origin, Supplier<T> request)
    {
        requireNonNull(principal, "principal is null");
        requireNonNull(origin, "origin is null");
        CURRENT.set(new Caller(principal, origin));
        try {
            return request.get();
        }
        finally {
            CURRENT.remove();
        }
    }

    /** Runs {@code request} as {@code principal}, from a client the caller does not know (tests). */
    static <T> T as(Principal principal, Supplier<T> request)
    {
        return as(principal, new ClientOrigin(AvaticaServer.FRONT_DOOR, Optional.empty()), request);
    }

    /** The principal of the request being handled; fails closed when there is none. */
    static Principal current()
    {
        return caller().principal();
    }

    /** Where the request being handled came from. */
    static ClientOrigin origin()
    {
        return caller().origin();
    }

    private static Caller caller()
    {
        Caller caller = CURRENT.get();
        if (caller == null) {
            throw new IllegalStateException("no authenticated caller on this thread");
        }
        return caller;
    }
}
