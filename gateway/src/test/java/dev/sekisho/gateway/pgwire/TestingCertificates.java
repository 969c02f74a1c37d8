package dev.sekisho.gateway.pgwire;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Makes throwaway certificates for tests with the JDK's {@code keytool} (EC P-256, valid two days)
 * and writes them as PEM files, the way an operator would configure Sekisho: a certificate and an
 * unencrypted PKCS#8 key. {@link #selfSigned} is a server certificate (CN=localhost, SAN localhost
 * and 127.0.0.1); {@link #authority} and {@link #issue} make a CA and certificates it signs (client
 * certificates whose CN is a user name).
 */
public final class TestingCertificates
{
    private static final char[] STORE_PASSWORD = "test-only".toCharArray();

    /** The PEM files of one certificate. */
    public record PemFiles(Path certificate, Path key) {}

    /** A certificate authority: its PEM files and the key store keytool signs with. */
    public record Authority(PemFiles pem, Path store) {}

    private TestingCertificates() {}

    /** A CA certificate ({@code ca.crt}, {@code ca.key}) in {@code directory}. */
    public static Authority authority(Path directory, String name)
            throws IOException, InterruptedException, GeneralSecurityException
    {
        Path store = directory.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=" + name, "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD),
                "-keypass", new String(STORE_PASSWORD));
        return new Authority(pemFiles(store, "ca", directory.resolve(name + ".crt"), directory.resolve(name + ".key")), store);
    }

    /**
     * A certificate for {@code commonName} signed by {@code authority}, as {@code NAME.crt} and
     * {@code NAME.key} (mode 0600, as libpq insists for a key).
     */
    public static PemFiles issue(Authority authority, Path directory, String commonName)
            throws IOException, InterruptedException, GeneralSecurityException
    {
        Path store = directory.resolve(commonName + ".p12");
        String password = new String(STORE_PASSWORD);
        keytool("-genkeypair", "-alias", "leaf", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=" + commonName, "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", password, "-keypass", password);
        Path request = directory.resolve(commonName + ".csr");
        keytool("-certreq", "-alias", "leaf", "-keystore", store.toString(), "-storepass", password, "-file", request.toString());
        Path signed = directory.resolve(commonName + ".signed.crt");
        keytool("-gencert", "-alias", "ca", "-keystore", authority.store().toString(), "-storepass", password, "-infile", request.toString(),
                "-outfile", signed.toString(), "-rfc", "-validity", "2", "-ext", "ku:c=digitalSignature", "-ext", "eku=clientAuth,serverAuth",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1");
        PemFiles pem = pemFiles(store, "leaf", directory.resolve(commonName + ".crt"), directory.resolve(commonName + ".key"));
        // the signed certificate replaces the self-signed one keytool made first
        Files.copy(signed, pem.certificate(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        try {
            Files.setPosixFilePermissions(pem.key(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: libpq does not check there either
        }
        return pem;
    }

    private static void keytool(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static PemFiles pemFiles(Path store, String alias, Path certificateFile, Path keyFile)
            throws IOException, GeneralSecurityException
    {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        Files.writeString(certificateFile, pem("CERTIFICATE", keyStore.getCertificate(alias).getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", keyStore.getKey(alias, STORE_PASSWORD).getEncoded()));
        return new PemFiles(certificateFile, keyFile);
    }

    public static PemFiles selfSigned(Path directory)
            throws IOException, InterruptedException, GeneralSecurityException
    {
        Path store = directory.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "sekisho", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-validity", "2", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD)))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, STORE_PASSWORD);
        }
        Key key = keyStore.getKey("sekisho", STORE_PASSWORD);
        Certificate certificate = keyStore.getCertificate("sekisho");
        Path certificateFile = directory.resolve("server.crt");
        Path keyFile = directory.resolve("server.key");
        Files.writeString(certificateFile, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        return new PemFiles(certificateFile, keyFile);
    }

    private static String pem(String type, byte[] der)
    {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
