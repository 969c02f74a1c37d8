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
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caches as operations see them, on a gateway with a result cache, an audit file and the admin
 * endpoint: a repeated statement's audit event says the result cache answered it, the Prometheus
 * scrape (parsed by Prometheus's reference parser) carries both caches' hits, misses, sizes and
 * evictions, and the admin endpoint shows the same figures and flushes the result cache.
 */
class TestCacheOperations
{
    private static final TestingGateway testing = TestingGateway.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String REPEATED = "SELECT id, name, email FROM shop.customers WHERE id <= 5 ORDER BY id";

    private static Gateway gateway;
    private static Path auditFile;

    @BeforeAll
    static void start()
            throws IOException
    {
        Path dir = Files.createTempDirectory("sekisho-cache-ops-it");
        Path policyDir = Files.createDirectories(dir.resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        auditFile = dir.resolve("audit.jsonl");
        gateway = testing.startGatewayWith("""
                audit: {file: %s}
                admin: {host: 127.0.0.1, port: 0, groups: [admins]}
                result_cache: {max_bytes: 16777216, tables: {shop: 5m}}
                """.formatted(TestingGateway.yamlString(auditFile)), policyDir);
    }

    @AfterAll
    static void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aRepeatedStatementIsAnAuditedResultCacheHit()
            throws Exception
    {
        // a statement no other test runs: its first run is the cache's first sight of it
        String marked = "SELECT /* audit-hit */ id, name FROM shop.customers WHERE id <= 4 ORDER BY id";
        try (Connection alice = TestingGateway.connect(gateway, "alice");
                Statement statement = alice.createStatement()) {
            drain(statement.executeQuery(marked));
            drain(statement.executeQuery(marked));
        }
        List<JsonNode> events = statementEvents("audit-hit", 2);
        assertThat(events.get(0).get("cache_hit").asBoolean()).as(events.get(0).toString()).isFalse();
        assertThat(events.get(0).get("cache_hit").isBoolean()).isTrue();
        assertThat(events.get(1).get("cache_hit").asBoolean()).as(events.get(1).toString()).isTrue();
        assertThat(events.get(1).get("rows").asLong()).isEqualTo(events.get(0).get("rows").asLong()).isPositive();
    }

    @Test
    void metricsCarryBothCachesFigures()
            throws Exception
    {
        String missing = ClientProcess.missingPythonModules("python3-prometheus-client", "prometheus_client.parser");
        assertThat(missing).as("Prometheus's parser is installed by .ci/run").isNull();
        try (Connection bob = TestingGateway.connect(gateway, "bob");
                Statement statement = bob.createStatement()) {
            for (int i = 0; i < 3; i++) {
                drain(statement.executeQuery(REPEATED));
            }
        }
        HttpResponse<String> scrape = request("GET", "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        Path file = Files.createTempFile("sekisho-cache-scrape", ".txt");
        Files.writeString(file, scrape.body(), StandardCharsets.UTF_8);
        ClientProcess.Result parsed = ClientProcess.run(
                List.of(ClientProcess.SYSTEM_PYTHON.toString(), ClientProcess.resource("clients/prometheus_parse.py").toString(), file.toString()),
                Map.of(), Duration.ofSeconds(60));
        assertThat(parsed.exitCode()).as(parsed.toString()).isZero();
        List<JsonNode> samples = new ArrayList<>();
        JSON.readTree(parsed.stdout()).get("samples").forEach(samples::add);

        // three runs of one statement: planned once, then two plan-cache hits and two result-cache hits at least
        assertThat(value(samples, "sekisho_plan_cache_hits_total")).isGreaterThanOrEqualTo(2);
        assertThat(value(samples, "sekisho_plan_cache_misses_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "sekisho_plan_cache_entries")).isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "sekisho_plan_cache_size_bytes")).isPositive();
        assertThat(value(samples, "sekisho_plan_cache_evictions_total")).isZero();
        assertThat(value(samples, "sekisho_plan_cache_hit_ratio")).isBetween(0.0, 1.0).isPositive();
        assertThat(value(samples, "sekisho_result_cache_hits_total")).isGreaterThanOrEqualTo(2);
        assertThat(value(samples, "sekisho_result_cache_misses_total")).isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "sekisho_result_cache_entries")).isGreaterThanOrEqualTo(1);
        assertThat(value(samples, "sekisho_result_cache_size_bytes")).isPositive();
        assertThat(value(samples, "sekisho_result_cache_evictions_total")).isZero();
        assertThat(value(samples, "sekisho_result_cache_hit_ratio")).isBetween(0.0, 1.0).isPositive();
    }

    @Test
    void theAdminEndpointShowsTheCachesAndFlushesResults()
            throws Exception
    {
        try (Connection carol = TestingGateway.connect(gateway, "carol");
                Statement statement = carol.createStatement()) {
            drain(statement.executeQuery(REPEATED));
            drain(statement.executeQuery(REPEATED));
        }
        JsonNode caches = JSON.readTree(request("GET", "/api/caches").body());
        assertThat(caches.get("configured").asBoolean()).isTrue();
        assertThat(caches.get("plan_cache").get("entries").asLong()).isPositive();
        assertThat(caches.get("plan_cache").get("hits").asLong()).isPositive();
        JsonNode results = caches.get("result_cache");
        assertThat(results.get("configured").asBoolean()).isTrue();
        assertThat(results.get("entries").asLong()).isPositive();
        assertThat(results.get("hits").asLong()).isPositive();
        assertThat(results.get("max_bytes").asLong()).isEqualTo(16_777_216);

        HttpResponse<String> flush = request("POST", "/api/caches/flush");
        assertThat(flush.statusCode()).as(flush.body()).isEqualTo(200);
        assertThat(JSON.readTree(request("GET", "/api/caches").body()).get("result_cache").get("entries").asLong()).isZero();
        assertThat(gateway.resultCache().orElseThrow().stats().entries()).isZero();
    }

    private static List<JsonNode> statementEvents(String marker, int count)
            throws IOException, InterruptedException
    {
        // the audit trail is written by its own thread: wait for the events, not for a time
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<JsonNode> found = new ArrayList<>();
            if (Files.exists(auditFile)) {
                for (String line : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
                    JsonNode event = JSON.readTree(line);
                    if (event.get("type").asText().equals("statement") && event.get("sql").asText().contains(marker)) {
                        found.add(event);
                    }
                }
            }
            if (found.size() >= count || System.nanoTime() > deadline) {
                assertThat(found).as("statement events of " + marker).hasSize(count);
                return found;
            }
            Thread.sleep(50);
        }
    }

    private static HttpResponse<String> request(String method, String path)
            throws IOException, InterruptedException
    {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort().orElseThrow() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", TestAdminEndpoint.basic("admin", "admin" + TestingGateway.PASSWORD_SUFFIX))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static double value(List<JsonNode> samples, String name)
    {
        return samples.stream()
                .filter(sample -> sample.get("name").asText().equals(name))
                .mapToDouble(sample -> sample.get("value").asDouble())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name));
    }

    private static void drain(ResultSet rs)
            throws SQLException
    {
        try (rs) {
            while (rs.next()) {
                rs.getObject(1);
            }
        }
    }
}
