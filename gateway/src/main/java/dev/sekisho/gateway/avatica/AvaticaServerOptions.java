package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.pgwire.PgTls;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Settings of the Avatica listener.
 *
 * @param host address to bind
 * @param port port to bind; 0 picks a free one ({@link AvaticaServer#start()} returns it)
 * @param serialization how requests and responses are encoded; the driver's {@code serialization=} must match
 * @param tls TLS (the PostgreSQL door's certificate); empty: plain HTTP, only with {@code allowPlainHttp}
 * @param allowPlainHttp whether HTTP Basic passwords are accepted without TLS (local use only)
 * @param maxRequestBytes largest HTTP request body accepted
 * @param maxConnections sessions open at once over both front doors; more are refused with 53300
 * @param idleTimeout a connection unused this long is closed, with what it holds at the sources
 * @param maxFrameRows most rows in one frame, whatever fetch size the client asks for
 */
public record AvaticaServerOptions(
        String host,
        int port,
        Serialization serialization,
        Optional<PgTls> tls,
        boolean allowPlainHttp,
        int maxRequestBytes,
        int maxConnections,
        Duration idleTimeout,
        int maxFrameRows)
{
    /** Avatica's two wire encodings. */
    public enum Serialization
    {
        PROTOBUF, JSON
    }

    public AvaticaServerOptions
    {
        requireNonNull(host, "host is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be from 0 to 65535: " + port);
        }
        requireNonNull(serialization, "serialization is null");
        requireNonNull(tls, "tls is null");
        if (tls.isEmpty() && !allowPlainHttp) {
            throw new IllegalArgumentException("the Avatica port needs TLS (HTTP Basic sends passwords), or allow_plain_http for local use");
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes too small: " + maxRequestBytes);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
        requireNonNull(idleTimeout, "idleTimeout is null");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
        }
        if (maxFrameRows < 1) {
            throw new IllegalArgumentException("maxFrameRows must be positive: " + maxFrameRows);
        }
    }

    /** Plain HTTP on localhost (local use), protobuf, 16 MiB requests, 1,000 sessions, 10 minutes idle, 10,000-row frames. */
    public static AvaticaServerOptions localPlainHttp(int port)
    {
        return new AvaticaServerOptions("127.0.0.1", port, Serialization.PROTOBUF, Optional.empty(), true, 16 * 1024 * 1024, 1000,
                Duration.ofMinutes(10), 10_000);
    }
}
