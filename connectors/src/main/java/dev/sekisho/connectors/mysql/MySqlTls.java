package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.InvalidConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * TLS from the gateway to a MySQL source ({@code tls:} of the source): the Connector/J
 * {@code sslMode}, and for {@code verify_ca} / {@code verify_identity} the CA that signed the
 * servers' certificates. Connector/J reads trusted certificates only from a key store, so the PEM
 * file is turned into a PKCS#12 trust store in a temporary file (public certificates only: nothing
 * secret is written), once per CA file.
 *
 * @param mode how much of TLS is required and checked
 * @param caFile the CA certificates (PEM); empty: the JVM's default trust store
 */
public record MySqlTls(Mode mode, Optional<Path> caFile)
{
    /** Nothing: the connection is not encrypted. */
    public static final MySqlTls DISABLED = new MySqlTls(Mode.DISABLED, Optional.empty());

    private static final Map<Path, Path> TRUST_STORES = new ConcurrentHashMap<>();
    /** The trust store holds public certificates; its password protects nothing and is not a secret. */
    private static final String TRUST_STORE_PASSWORD = "sekisho-public-certificates";

    /** Connector/J's sslMode, from weakest to strongest. */
    public enum Mode
    {
        DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY;

        /** Whether the server's certificate is checked against a CA. */
        public boolean verifies()
        {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }

        /** Whether a connection without TLS is refused. */
        public boolean encrypts()
        {
            return this != DISABLED && this != PREFERRED;
        }

        static Optional<Mode> parse(String text)
        {
            String normalized = text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Mode mode : values()) {
                if (mode.name().equals(normalized)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    public MySqlTls
    {
        requireNonNull(mode, "mode is null");
        requireNonNull(caFile, "caFile is null");
        if (caFile.isPresent() && !mode.verifies()) {
            throw new IllegalArgumentException("a CA file is only used by verify_ca and verify_identity");
        }
    }

    /**
     * Reads {@code tls: {mode: ..., ca_file: ...}}; the CA file is read now, so that a wrong one
     * stops the start with its key.
     */
    static MySqlTls parse(Map<String, Object> map)
    {
        for (String key : map.keySet()) {
            if (!List.of("mode", "ca_file").contains(key)) {
                throw new InvalidConfigException("tls." + key, "is not a tls setting; known: mode, ca_file");
            }
        }
        Object modeValue = map.get("mode");
        if (modeValue == null) {
            throw new InvalidConfigException("tls.mode", "is required: disabled, preferred, required, verify_ca or verify_identity");
        }
        Mode mode = Mode.parse(modeValue.toString()).orElseThrow(() -> new InvalidConfigException("tls.mode",
                "must be disabled, preferred, required, verify_ca or verify_identity (recommended), not '" + modeValue + "'"));
        Optional<Path> caFile = Optional.ofNullable(map.get("ca_file")).map(Object::toString).map(Path::of);
        if (caFile.isPresent() && !mode.verifies()) {
            throw new InvalidConfigException("tls.ca_file", "is only used with mode verify_ca or verify_identity; mode " + mode.name().toLowerCase(Locale.ROOT)
                    + " does not check the server's certificate");
        }
        caFile.ifPresent(MySqlTls::certificates);
        return new MySqlTls(mode, caFile);
    }

    /** The Connector/J properties for this TLS setting (the trust store is made on first use). */
    public Map<String, String> driverProperties()
    {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sslMode", mode.name());
        if (caFile.isPresent()) {
            Path store = TRUST_STORES.computeIfAbsent(caFile.get().toAbsolutePath().normalize(), MySqlTls::trustStore);
            properties.put("trustCertificateKeyStoreUrl", store.toUri().toString());
            properties.put("trustCertificateKeyStoreType", "PKCS12");
            properties.put("trustCertificateKeyStorePassword", TRUST_STORE_PASSWORD);
            // only the configured CA: a server certificate some other CA signed is refused
            properties.put("fallbackToSystemTrustStore", "false");
        }
        return properties;
    }

    private static Path trustStore(Path caFile)
    {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates(caFile)) {
                store.setCertificateEntry("ca-" + index++, certificate);
            }
            Path file = Files.createTempFile("sekisho-mysql-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            return file;
        }
        catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write a trust store for " + caFile + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path caFile)
    {
        if (!Files.isRegularFile(caFile) || !Files.isReadable(caFile)) {
            throw new InvalidConfigException("tls.ca_file", "names " + caFile + ", which does not exist or cannot be read");
        }
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new InvalidConfigException("tls.ca_file", caFile + " holds no certificate; give the CA's certificate in PEM");
            }
            return new ArrayList<>(certificates);
        }
        catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigException("tls.ca_file", caFile + " is not a PEM certificate file: " + e.getMessage());
        }
    }

    /** Whether {@code host} is this machine (a connection to it needs no TLS against eavesdroppers). */
    static boolean isLocal(String host)
    {
        String normalized = host.strip().toLowerCase(Locale.ROOT);
        return normalized.equals("localhost") || normalized.startsWith("127.") || normalized.equals("::1") || normalized.equals("[::1]")
                || normalized.isEmpty();
    }
}
