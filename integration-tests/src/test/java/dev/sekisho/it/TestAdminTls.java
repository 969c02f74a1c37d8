package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin endpoint with {@code admin.tls}: HTTPS with the configured certificate, admins only as
 * over HTTP, and a plain-HTTP request to the port never served: refused (400, saying to use
 * https://) or redirected to https:// as {@code plain_http} says.
 */
class TestAdminTls
{
    private static final String STORE_PASSWORD = "test-only";
    private static final TestingGateway testing = TestingGateway.shared();

    private static Certificate certificate;
    private static HttpClient https;
    private static final HttpClient PLAIN = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static Gateway refusing;
    private static Gateway redirecting;

    @BeforeAll
    static void start()
            throws Exception
    {
        Path dir = Files.createTempDirectory("sekisho-admin-tls-it");
        Path store = dir.resolve("admin.p12");
        keytool("-genkeypair", "-alias", "admin", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, STORE_PASSWORD.toCharArray());
        }
        certificate = keys.getCertificate("admin");
        // PEM files, as an operator configures them: the certificate and its unencrypted PKCS#8 key
        Path certFile = dir.resolve("admin.crt");
        Path keyFile = dir.resolve("admin.key");
        Files.writeString(certFile, pem("CERTIFICATE", certificate.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", keys.getKey("admin", STORE_PASSWORD.toCharArray()).getEncoded()));

        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("admin", certificate);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        https = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).sslContext(context).followRedirects(HttpClient.Redirect.NEVER).build();

        String tls = "tls: {cert_file: %s, key_file: %s".formatted(TestingGateway.yamlString(certFile), TestingGateway.yamlString(keyFile));
        refusing = testing.startGatewayWith("admin: {host: 127.0.0.1, port: 0, groups: [admins], " + tls + "}}", null);
        redirecting = testing.startGatewayWith("admin: {host: 127.0.0.1, port: 0, groups: [admins], " + tls + ", plain_http: redirect}}", null);
    }

    @AfterAll
    static void stop()
    {
        for (Gateway gateway : new Gateway[] {refusing, redirecting}) {
            if (gateway != null) {
                gateway.close();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient client, String url, String user)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (user != null) {
            request.header("Authorization", TestAdminEndpoint.basic(user, user + TestingGateway.PASSWORD_SUFFIX));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String address(Gateway gateway)
    {
        return "127.0.0.1:" + gateway.adminPort().orElseThrow();
    }

    @Test
    void httpsWithTheConfiguredCertificateAndAdminsOnly()
            throws Exception
    {
        HttpResponse<String> health = get(https, "https://" + address(refusing) + "/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession()).hasValueSatisfying(session -> {
            try {
                assertThat(session.getPeerCertificates()[0]).isEqualTo(certificate);
            }
            catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(get(https, "https://" + address(refusing) + "/api/sessions", "admin").statusCode()).isEqualTo(200);
        assertThat(get(https, "https://" + address(refusing) + "/api/sessions", "alice").statusCode()).isEqualTo(403);
        assertThat(get(https, "https://" + address(refusing) + "/api/sessions", null).statusCode()).isEqualTo(401);

        // a client that does not trust the certificate does not get through
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        assertThatThrownBy(() -> get(untrusting, "https://" + address(refusing) + "/health", null)).isInstanceOf(IOException.class);
    }

    @Test
    void plainHttpIsRefusedAndNeverServed()
            throws Exception
    {
        for (String path : List.of("/api/sessions", "/metrics", "/health")) {
            HttpResponse<String> plain = get(PLAIN, "http://" + address(refusing) + path, "admin");
            assertThat(plain.statusCode()).as(path).isEqualTo(400);
            assertThat(plain.body()).as(path).isEqualTo("{\"error\":\"the admin endpoint serves HTTPS on this port: use https://" + address(refusing) + path + "\"}");
            assertThat(plain.headers().firstValue("Location")).isEmpty();
            // the server closes the connection and says so, so that the client's pool does not send the next request on it
            assertThat(plain.headers().firstValue("Connection")).as(path).hasValue("close");
        }
        HttpRequest reload = HttpRequest.newBuilder(URI.create("http://" + address(refusing) + "/api/policy/reload"))
                .header("Authorization", TestAdminEndpoint.basic("admin", "admin" + TestingGateway.PASSWORD_SUFFIX))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        assertThat(PLAIN.send(reload, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(400);
    }

    @Test
    void plainHttpIsRedirectedToHttpsWhenConfigured()
            throws Exception
    {
        HttpResponse<String> plain = get(PLAIN, "http://" + address(redirecting) + "/api/sessions", "admin");
        assertThat(plain.statusCode()).isEqualTo(308);
        String location = plain.headers().firstValue("Location").orElseThrow();
        assertThat(location).isEqualTo("https://" + address(redirecting) + "/api/sessions");
        // and the redirect leads to the endpoint over TLS
        HttpResponse<String> followed = get(https, location, "admin");
        assertThat(followed.statusCode()).isEqualTo(200);
        assertThat(followed.body()).startsWith("{\"sessions\":");
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

    private static String pem(String type, byte[] der)
    {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
