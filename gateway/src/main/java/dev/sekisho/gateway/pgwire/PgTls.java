package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * TLS for the Postgres-wire listener: a client's SSLRequest is answered 'S' and the connection
 * continues inside TLS (1.2 or 1.3, the JDK's provider). Authentication (SCRAM) happens inside the
 * encrypted channel as usual. With a client CA, the server asks every client for a certificate
 * (without insisting during the handshake: a certificate the CA did not sign fails the handshake,
 * a missing one is judged per user after the startup message, with PostgreSQL's error).
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
    private final Optional<byte[]> serverEndPoint;
    private final boolean clientCertificates;
    private final ClientCertificateCheck clientCertificate;

    private PgTls(SslContext context, Mode mode, Optional<byte[]> serverEndPoint, boolean clientCertificates, ClientCertificateCheck clientCertificate)
    {
        this.context = requireNonNull(context, "context is null");
        this.mode = requireNonNull(mode, "mode is null");
        this.serverEndPoint = requireNonNull(serverEndPoint, "serverEndPoint is null");
        this.clientCertificates = clientCertificates;
        this.clientCertificate = requireNonNull(clientCertificate, "clientCertificate is null");
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
        return fromPemFiles(certificateFile, keyFile, mode, Optional.empty(), ClientCertificateCheck.NONE);
    }

    /**
     * Loads a certificate chain, its key and the CAs whose client certificates are accepted.
     *
     * @param clientCa the CA certificates (PEM) that sign clients' certificates; empty: clients are
     *         not asked for one
     * @param clientCertificate what every client's certificate must satisfy (users may require more)
     * @throws IllegalArgumentException as {@link #fromPemFiles(Path, Path, Mode)}, also for the CA file
     */
    public static PgTls fromPemFiles(Path certificateFile, Path keyFile, Mode mode, Optional<Path> clientCa, ClientCertificateCheck clientCertificate)
    {
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(keyFile, "keyFile is null");
        requireNonNull(clientCa, "clientCa is null");
        requireNonNull(clientCertificate, "clientCertificate is null");
        if (clientCertificate != ClientCertificateCheck.NONE && clientCa.isEmpty()) {
            throw new IllegalArgumentException("clientcert " + clientCertificate.text() + " needs client_ca: the CA certificates that sign the clients' certificates");
        }
        requireReadable(certificateFile, "certificate");
        requireReadable(keyFile, "private key");
        clientCa.ifPresent(file -> requireReadable(file, "client CA"));
        try {
            SslContextBuilder builder = SslContextBuilder.forServer(certificateFile.toFile(), keyFile.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS);
            if (clientCa.isPresent()) {
                builder.trustManager(clientCa.get().toFile()).clientAuth(ClientAuth.OPTIONAL);
            }
            return new PgTls(builder.build(), mode, serverEndPoint(certificateFile), clientCa.isPresent(), clientCertificate);
        }
        catch (SSLException | IllegalArgumentException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("cannot load the TLS certificate " + certificateFile + " and key " + keyFile
                    + clientCa.map(file -> " and client CA " + file).orElse("") + ": " + cause.getMessage()
                    + " (all must be PEM; the key unencrypted PKCS#8, e.g. converted with 'openssl pkcs8 -topk8 -nocrypt')", e);
        }
    }

    /** Whether clients are asked for a certificate ({@code tls.client_ca} is set). */
    public boolean acceptsClientCertificates()
    {
        return clientCertificates;
    }

    /** What every client's certificate must satisfy ({@code tls.clientcert}). */
    public ClientCertificateCheck clientCertificate()
    {
        return clientCertificate;
    }

    /** The certificate the client presented on this connection (already checked against the client CA by the handshake), if any. */
    public static Optional<X509Certificate> peerCertificate(SslHandler handler)
    {
        if (handler == null) {
            return Optional.empty();
        }
        try {
            java.security.cert.Certificate[] chain = handler.engine().getSession().getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate certificate ? Optional.of(certificate) : Optional.empty();
        }
        catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    /** The Common Name of a certificate's subject (the last one, when there are several), as PostgreSQL reads it. */
    public static Optional<String> commonName(X509Certificate certificate)
    {
        try {
            Optional<String> commonName = Optional.empty();
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    commonName = Optional.of(rdn.getValue().toString());
                }
            }
            return commonName;
        }
        catch (InvalidNameException e) {
            return Optional.empty();
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

    /**
     * The {@code tls-server-end-point} channel-binding data (RFC 5929) of the server certificate,
     * for SCRAM-SHA-256-PLUS: its DER encoding hashed with the hash of its signature algorithm
     * (SHA-256 for MD5 and SHA-1). Empty for signature algorithms without one (Ed25519): then only
     * SCRAM-SHA-256 is offered, as PostgreSQL does.
     */
    public Optional<byte[]> serverEndPoint()
    {
        return serverEndPoint.map(byte[]::clone);
    }

    static Optional<byte[]> serverEndPoint(Path certificateFile)
    {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificates(in).iterator().next();
            String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
            String digest;
            if (algorithm.startsWith("SHA512") || algorithm.startsWith("SHA3-512")) {
                digest = algorithm.startsWith("SHA3") ? "SHA3-512" : "SHA-512";
            }
            else if (algorithm.startsWith("SHA384")) {
                digest = "SHA-384";
            }
            else if (algorithm.startsWith("SHA256") || algorithm.startsWith("SHA1") || algorithm.startsWith("MD5") || algorithm.startsWith("SHA224")) {
                digest = algorithm.startsWith("SHA224") ? "SHA-224" : "SHA-256";
            }
            else {
                return Optional.empty();
            }
            return Optional.of(MessageDigest.getInstance(digest).digest(certificate.getEncoded()));
        }
        catch (IOException | GeneralSecurityException | RuntimeException e) {
            // the SslContext accepted the file; a certificate we cannot hash only means no -PLUS
            return Optional.empty();
        }
    }

    /** The server's TLS context, for the other front doors that share the certificate (the Avatica HTTPS port). */
    public SslContext sslContext()
    {
        return context;
    }

    /** A server-side TLS handler for one connection. */
    SslHandler newHandler(ByteBufAllocator allocator)
    {
        return context.newHandler(allocator);
    }
}
