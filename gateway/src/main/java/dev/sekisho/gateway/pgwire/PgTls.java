package dev.sekisho.gateway.pgwire;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;

import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * TLS for the Postgres-wire listener: a client's SSLRequest is answered 'S' and the connection
 * continues inside TLS (1.2 or 1.3, the JDK's provider). Authentication (SCRAM) happens inside the
 * encrypted channel as usual.
 */
public final class PgTls
{
    /** Whether clients may also connect without TLS. */
    public enum Mode
    {
        /** TLS for clients that ask for it (libpq's default sslmode=prefer does); plain connections are accepted too. */
        OPTIONAL,
        /** Plain (non-TLS) connections are refused with 28000 before authentication. */
        REQUIRED
    }

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext context;
    private final Mode mode;

    private PgTls(SslContext context, Mode mode)
    {
        this.context = requireNonNull(context, "context is null");
        this.mode = requireNonNull(mode, "mode is null");
    }

    /**
     * Loads a certificate chain and its private key from PEM files.
     *
     * @param certificateFile the server certificate, followed by any intermediate certificates
     * @param keyFile the private key in PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), unencrypted
     * @throws IllegalArgumentException when a file is missing, unreadable or not valid PEM; the
     *         message says which file and what to do
     */
    public static PgTls fromPemFiles(Path certificateFile, Path keyFile, Mode mode)
    {
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(keyFile, "keyFile is null");
        requireReadable(certificateFile, "certificate");
        requireReadable(keyFile, "private key");
        try {
            SslContext context = SslContextBuilder.forServer(certificateFile.toFile(), keyFile.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
            return new PgTls(context, mode);
        }
        catch (SSLException | IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("cannot load the TLS certificate " + certificateFile + " and key " + keyFile + ": " + cause.getMessage()
                    + " (both must be PEM; the key unencrypted PKCS#8, e.g. converted with 'openssl pkcs8 -topk8 -nocrypt')", e);
        }
    }

    private static void requireReadable(Path file, String what)
    {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("the TLS " + what + " file " + file + " does not exist or cannot be read");
        }
    }

    public Mode mode()
    {
        return mode;
    }

    /** A server-side TLS handler for one connection. */
    SslHandler newHandler(ByteBufAllocator allocator)
    {
        return context.newHandler(allocator);
    }
}
