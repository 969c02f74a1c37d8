package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admin endpoint of a gateway with policies and an audit trail: open health and readiness,
 * everything else for admins only (a non-admin is refused, and the refusal is audited), the
 * Prometheus scrape parsed by Prometheus's reference parser, sessions with the statement each runs,
 * cancelling it, policy status and reload, replicas, the not-yet-configured budgets and the caches.
 */
class TestAdminEndpoint
{
    private static final TestingGateway testing = TestingGateway.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Gateway gateway;
    private static Path auditFile;

    @BeforeAll
    static void start()
            throws IOException
    {
        Path dir = Files.createTempDirectory("sekisho-admin-it");
        Path policyDir = Files.createDirectories(dir.resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        auditFile = dir.resolve("audit.jsonl");
        gateway = testing.startGatewayWith("""
                audit: {file: %s}
                admin: {host: 127.0.0.1, port: 0, groups: [admins]}
                """.formatted(TestingGateway.yamlString(auditFile)), policyDir);
    }

    @AfterAll
    static void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    static HttpResponse<String> request(String method, String path, String user)
            throws IOException, InterruptedException
    {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort().orElseThrow() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (user != null) {
            builder.header("Authorization", basic(user, user + TestingGateway.PASSWORD_SUFFIX));
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response)
            throws IOException
    {
        return JSON.readTree(response.body());
    }

    @Test
    void healthAndReadinessAnswerAnyone()
            throws Exception
    {
        HttpResponse<String> health = request("GET", "/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).get("status").asText()).isEqualTo("up");
        HttpResponse<String> ready = request("GET", "/ready", null);
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        assertThat(json(ready).get("ready").asBoolean()).isTrue();
    }

    @Test
    void everythingElseIsForAdminsOnly()
            throws Exception
    {
        for (String path : List.of("/api/sessions", "/metrics", "/", "/api/policy")) {
            HttpResponse<String> anonymous = request("GET", path, null);
            assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));
            assertThat(request("GET", path, "alice").statusCode()).as(path).isEqualTo(403);
        }
        HttpRequest wrongPassword = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort().orElseThrow() + "/api/sessions"))
                .header("Authorization", basic("admin", "not-the-password")).build();
        assertThat(HTTP.send(wrongPassword, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        assertThat(request("POST", "/api/policy/reload", "alice").statusCode()).isEqualTo(403);
        assertThat(request("GET", "/api/sessions", "admin").statusCode()).isEqualTo(200);
    }

    @Test
    void metricsAreValidPrometheusTextWithTheGatewaysCounts()
            throws Exception
    {
        String missing = ClientProcess.missingPythonModules("python3-prometheus-client", "prometheus_client.parser");
        if (missing != null) {
            System.out.println("TestAdminEndpoint.metrics skipped: " + missing);
        }
        assumeTrue(missing == null, missing);
        try (Connection alice = TestingGateway.connect(gateway, "alice");
                Statement statement = alice.createStatement()) {
            for (int i = 0; i < 3; i++) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM shop.customers")) {
                    rs.next();
                }
            }
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM shop.orders")).isInstanceOf(SQLException.class);

            HttpResponse<String> scrape = request("GET", "/metrics", "admin");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type")).hasValueSatisfying(value -> assertThat(value).startsWith("text/plain; version=0.0.4"));
            Path file = Files.createTempFile("sekisho-scrape", ".txt");
            Files.writeString(file, scrape.body(), StandardCharsets.UTF_8);
            ClientProcess.Result parsed = ClientProcess.run(
                    List.of(ClientProcess.SYSTEM_PYTHON.toString(), ClientProcess.resource("clients/prometheus_parse.py").toString(), file.toString()),
                    Map.of(), Duration.ofSeconds(60));
            assertThat(parsed.exitCode()).as(parsed.toString()).isZero();
            List<JsonNode> samples = new ArrayList<>();
            JSON.readTree(parsed.stdout()).get("samples").forEach(samples::add);

            assertThat(value(samples, "sekisho_statements_total", Map.of("front_door", "postgres", "outcome", "ok"))).isGreaterThanOrEqualTo(3);
            assertThat(value(samples, "sekisho_statements_total", Map.of("front_door", "postgres", "outcome", "refused"))).isGreaterThanOrEqualTo(1);
            assertThat(value(samples, "sekisho_connections", Map.of())).isGreaterThanOrEqualTo(1);
            assertThat(value(samples, "sekisho_logins_total", Map.of("front_door", "postgres", "outcome", "ok"))).isGreaterThanOrEqualTo(1);
            assertThat(value(samples, "sekisho_statement_duration_seconds_count", Map.of("source", "shop"))).isGreaterThanOrEqualTo(3);
            assertThat(samples).anySatisfy(sample -> {
                assertThat(sample.get("name").asText()).isEqualTo("sekisho_statement_duration_seconds_bucket");
                assertThat(sample.get("type").asText()).isEqualTo("histogram");
            });
            assertThat(value(samples, "sekisho_source_server_state", Map.of("source", "shop", "server", "embedded", "state", "up"))).isEqualTo(1);
            assertThat(value(samples, "sekisho_source_server_state", Map.of("source", "shop", "server", "embedded", "state", "down"))).isEqualTo(0);
            assertThat(value(samples, "sekisho_audit_dropped_events_total", Map.of())).isEqualTo(0);

            // every metric the Grafana dashboard in docs/ charts is served
            Set<String> names = samples.stream().map(sample -> sample.get("name").asText()).collect(Collectors.toSet());
            Matcher metric = Pattern.compile("sekisho_[a-z_]+").matcher(Files.readString(grafanaDashboard(), StandardCharsets.UTF_8));
            boolean lagMeasured = json(request("GET", "/api/replicas", "admin")).get("sources").findValues("lag_seconds").stream()
                    .anyMatch(lag -> !lag.isNull());
            while (metric.find()) {
                if (metric.group().equals("sekisho_source_server_lag_seconds") && !lagMeasured) {
                    // exported per server once its lag is measured; here no server's lag is
                    assertThat(names).doesNotContain(metric.group());
                    continue;
                }
                assertThat(names).as("a metric of docs/grafana-dashboard.json").contains(metric.group());
            }
        }
    }

    private static Path grafanaDashboard()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docs/grafana-dashboard.json"))) {
                return dir.resolve("docs/grafana-dashboard.json");
            }
        }
        throw new IllegalStateException("docs/grafana-dashboard.json not found above " + Path.of("").toAbsolutePath());
    }

    private static double value(List<JsonNode> samples, String name, Map<String, String> labels)
    {
        return samples.stream()
                .filter(sample -> sample.get("name").asText().equals(name))
                .filter(sample -> labels.entrySet().stream().allMatch(label -> label.getValue().equals(sample.get("labels").path(label.getKey()).asText(null))))
                .mapToDouble(sample -> sample.get("value").asDouble())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    @Test
    void sessionsShowTheRunningStatementAndAnAdminCancelsIt()
            throws Exception
    {
        try (Connection alice = TestingGateway.connect(gateway, "alice")) {
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement statement = alice.createStatement()) {
                    statement.executeQuery("SELECT pg_sleep(60)").close();
                    return null;
                }
                catch (SQLException e) {
                    return e;
                }
            });
            JsonNode running = awaitRunningSession("pg_sleep");
            assertThat(running.get("user").asText()).isEqualTo("alice");
            assertThat(running.get("state").asText()).isEqualTo("active");
            HttpResponse<String> cancel = request("POST", "/api/sessions/" + running.get("id").asInt() + "/cancel", "admin");
            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(json(cancel).get("cancelled").asBoolean()).isTrue();
            Throwable failure = sleeping.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("57014");
            // the session goes on
            try (Statement statement = alice.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
        assertThat(request("POST", "/api/sessions/12345/cancel", "admin").statusCode()).isEqualTo(404);
    }

    @Test
    void anAdminCancelsAnAvaticaStatementWithThePostgresDoorsError()
            throws Exception
    {
        // Avatica's protocol has no cancel message: the admin endpoint's cancel is how a running statement of an Avatica session is stopped from outside
        try (Connection alice = TestingGateway.connectAvatica(gateway, "alice")) {
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement statement = alice.createStatement()) {
                    statement.executeQuery("SELECT pg_sleep(61)").close();
                    return null;
                }
                catch (SQLException e) {
                    return e;
                }
            });
            JsonNode running = awaitRunningSession("pg_sleep(61)");
            assertThat(running.get("user").asText()).isEqualTo("alice");
            assertThat(running.get("front_door").asText()).isEqualTo("avatica");
            HttpResponse<String> cancel = request("POST", "/api/sessions/" + running.get("id").asInt() + "/cancel", "admin");
            assertThat(cancel.statusCode()).isEqualTo(200);
            assertThat(json(cancel).get("cancelled").asBoolean()).isTrue();
            Throwable failure = sleeping.get(30, TimeUnit.SECONDS);
            assertThat(failure).isInstanceOf(SQLException.class);
            assertThat(((SQLException) failure).getSQLState()).isEqualTo("57014");
            // PostgreSQL's words for a cancel, as the PostgreSQL door sends them
            assertThat(failure.getMessage()).contains("canceling statement due to user request");
            // the connection goes on
            try (Statement statement = alice.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    static JsonNode awaitRunningSession(String statementPart)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (JsonNode session : json(request("GET", "/api/sessions", "admin")).get("sessions")) {
                if (session.get("statement").asText("").contains(statementPart)) {
                    return session;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no session runs " + statementPart);
    }

    @Test
    void policyStatusReloadReplicasBudgetsAndCaches()
            throws Exception
    {
        JsonNode policy = json(request("GET", "/api/policy", "admin"));
        assertThat(policy.get("configured").asBoolean()).isTrue();
        assertThat(policy.get("version").asText()).startsWith("sha256:");
        assertThat(policy.get("last_error").isNull()).isTrue();

        HttpResponse<String> reload = request("POST", "/api/policy/reload", "admin");
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(json(reload).get("outcome").asText()).isIn("applied", "unchanged");

        JsonNode replicas = json(request("GET", "/api/replicas", "admin"));
        assertThat(replicas.get("sources").get("shop").findValuesAsText("server")).contains("embedded");
        assertThat(replicas.get("lag_history").isArray()).isTrue();

        JsonNode budgets = json(request("GET", "/api/budgets", "admin"));
        assertThat(budgets.get("configured").asBoolean()).isFalse();
        assertThat(budgets.get("message").asText()).contains("not configured");
        // the plan cache is always there; this gateway has no result cache, so there is nothing to flush
        JsonNode caches = json(request("GET", "/api/caches", "admin"));
        assertThat(caches.get("configured").asBoolean()).isTrue();
        assertThat(caches.get("plan_cache").get("max_bytes").asLong()).isPositive();
        assertThat(caches.get("result_cache").get("configured").asBoolean()).isFalse();
        assertThat(request("POST", "/api/caches/flush", "admin").statusCode()).isEqualTo(409);
    }

    @Test
    void adminActionsAndRefusalsAreAudited()
            throws Exception
    {
        assertThat(request("POST", "/api/policy/reload", "alice").statusCode()).isEqualTo(403);
        assertThat(request("POST", "/api/policy/reload", "admin").statusCode()).isEqualTo(200);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        List<JsonNode> admin = List.of();
        while (System.nanoTime() < deadline) {
            admin = Files.readAllLines(auditFile, StandardCharsets.UTF_8).stream().map(line -> {
                try {
                    return JSON.readTree(line);
                }
                catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).filter(event -> event.get("type").asText().equals("admin")).toList();
            if (admin.stream().anyMatch(event -> event.get("user").asText().equals("admin"))) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(admin).anySatisfy(event -> {
            assertThat(event.get("user").asText()).isEqualTo("alice");
            assertThat(event.get("outcome").asText()).isEqualTo("denied");
        });
        assertThat(admin).anySatisfy(event -> {
            assertThat(event.get("user").asText()).isEqualTo("admin");
            assertThat(event.get("action").asText()).isEqualTo("policy_reload");
        });
    }
}
