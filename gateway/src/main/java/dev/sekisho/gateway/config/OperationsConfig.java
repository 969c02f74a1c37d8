package dev.sekisho.gateway.config;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The operations sections of {@code sekisho.yaml} ({@code audit:} and {@code admin:}), kept apart
 * from {@link SekishoConfig}'s serving settings. See docs/operations.md.
 *
 * @param audit the audit trail; empty: no audit file is written
 * @param admin the admin endpoint (health, metrics, sessions, the admin page); empty: not started
 */
public record OperationsConfig(Optional<Audit> audit, Optional<Admin> admin)
{
    public static final OperationsConfig NONE = new OperationsConfig(Optional.empty(), Optional.empty());

    public OperationsConfig
    {
        requireNonNull(audit, "audit is null");
        requireNonNull(admin, "admin is null");
    }

    /**
     * {@code audit:}.
     *
     * @param file the current audit file (JSON lines); rotated files are written beside it
     * @param queueSize events waiting for the disk before new ones are dropped (and counted)
     * @param maxFileBytes the file is rotated before it passes this size (and at midnight UTC)
     * @param maxFiles rotated files kept; the oldest beyond this are deleted (0: keep all)
     */
    public record Audit(Path file, int queueSize, long maxFileBytes, int maxFiles)
    {
        public static final int DEFAULT_QUEUE_SIZE = 10_000;
        public static final int DEFAULT_MAX_FILE_MB = 100;
        public static final int DEFAULT_MAX_FILES = 30;

        public Audit
        {
            requireNonNull(file, "file is null");
        }
    }

    /**
     * {@code admin:}.
     *
     * @param host address to bind
     * @param port the admin HTTP port; 0 picks a free port
     * @param groups users-file groups whose members may use the endpoint
     * @param tls the certificate and key to serve HTTPS with; empty: plain HTTP
     */
    public record Admin(String host, int port, Set<String> groups, Optional<Tls> tls)
    {
        public static final int DEFAULT_PORT = 9187;

        public Admin
        {
            requireNonNull(host, "host is null");
            groups = Set.copyOf(groups);
            requireNonNull(tls, "tls is null");
        }
    }

    /**
     * {@code admin.tls:} the server certificate chain and its unencrypted PKCS#8 key, PEM, and what
     * a plain-HTTP request to the HTTPS port gets.
     */
    public record Tls(Path certFile, Path keyFile, PlainHttp plainHttp, int line)
    {
        public Tls
        {
            requireNonNull(certFile, "certFile is null");
            requireNonNull(keyFile, "keyFile is null");
            requireNonNull(plainHttp, "plainHttp is null");
        }

        public Tls(Path certFile, Path keyFile, int line)
        {
            this(certFile, keyFile, PlainHttp.REFUSE, line);
        }
    }

    /**
     * {@code admin.tls.plain_http:} a plain-HTTP request to the admin port is never served (its
     * password would have crossed the network in the clear); it gets an error, or a redirect to
     * the same address over HTTPS.
     */
    public enum PlainHttp
    {
        /** 400, saying to use https://. */
        REFUSE,
        /** 308 to https:// on the same host and port. */
        REDIRECT
    }
}
