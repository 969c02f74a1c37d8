package dev.sekisho.connectors.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A CA and a server certificate it signs, made with the JDK's {@code keytool} (RSA, valid two days)
 * and written as PEM files the way a MySQL server and the gateway's {@code tls.ca_file} take them.
 */
final class TestingTlsFiles
{
    private static final String PASSWORD = "test-only";

    /**
     * The PEM files.
     *
     * @param caCertificate the CA's certificate
     * @param certificate the server's, signed by the CA
     * @param key the server's unencrypted PKCS#8 key
     */
    record TlsFiles(Path caCertificate, Path certificate, Path key) {}

    private TestingTlsFiles() {}

    /** A CA named {@code caName} and a server certificate it signs for {@code subjectAlternativeNames} (keytool's SAN syntax). */
    static TlsFiles serverCertificate(Path directory, String caName, String subjectAlternativeNames)
            throws IOException, InterruptedException, GeneralSecurityException
    {
        Files.createDirectories(directory);
        Path caStore = directory.resolve("ca.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=" + caName, "-ext", "bc:c",
                "-storetype", "PKCS12", "-keystore", caStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path serverStore = directory.resolve("server.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=localhost",
                "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
        Path request = directory.resolve("server.csr");
        keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-storepass", PASSWORD, "-file", request.toString());
        Path certificate = directory.resolve("server.crt");
        keytool("-gencert", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD, "-infile", request.toString(), "-outfile",
                certificate.toString(), "-rfc", "-validity", "2", "-ext", "SAN=" + subjectAlternativeNames, "-ext", "eku=serverAuth");
        Path caCertificate = directory.resolve("ca.crt");
        Files.writeString(caCertificate, pem("CERTIFICATE", load(caStore).getCertificate("ca").getEncoded()));
        Path key = directory.resolve("server.key");
        Files.writeString(key, pem("PRIVATE KEY", load(serverStore).getKey("server", PASSWORD.toCharArray()).getEncoded()));
        return new TlsFiles(caCertificate, certificate, key);
    }

    private static KeyStore load(Path store)
            throws IOException, GeneralSecurityException
    {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, PASSWORD.toCharArray());
        }
        return keyStore;
    }

    private static void keytool(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static String pem(String type, byte[] der)
    {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
