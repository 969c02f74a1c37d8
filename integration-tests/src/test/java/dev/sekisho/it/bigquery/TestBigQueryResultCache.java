package dev.sekisho.it.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zetasql.ZetaSQLType.TypeKind;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.it.TestingGateway;
import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.postgresql.util.PSQLException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The result cache in front of a BigQuery source, with Google's own client against the fixture that
 * speaks BigQuery's REST API (not live BigQuery): a cached result is served without a job until the
 * table's {@code lastModifiedTime} changes, and the first statement after the change was seen reads
 * the new rows; a failing tables.get keeps the table's statements away from the cache until a check
 * succeeds; and a statement the cache answers is neither estimated (no dry run) nor refused nor
 * charged, while the same statement on a miss is refused over the per-statement limit.
 *
 * <p>The last-modified time is checked every second here ({@code last_modified_check_ms}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TestBigQueryResultCache
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAILY = 1_000_000_000L;

    private TestingBigQueryServer fixture;
    private Gateway gateway;
    private ResultCache cache;
    private Path auditFile;

    @BeforeAll
    void start()
            throws IOException
    {
        fixture = TestingBigQueryServer.isolated();
        items("changing", 3);
        items("failing", 2);
        fixture.table("cached", "events")
                .column("id", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                .column("amount", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                .rows(IntStream.range(0, 4000).mapToObj(i -> List.<Object>of((long) i, (long) i * 10)).toList())
                .create();

        Path workDir = Files.createTempDirectory("sekisho-bigquery-cache-");
        auditFile = workDir.resolve("audit.jsonl");
        Files.writeString(workDir.resolve("users.yaml"), """
                users:
                  alice: {password: "%s", groups: [analysts]}
                  admin: {password: "%s", groups: [admins]}
                """.formatted(verifier("alice"), verifier("admin")), StandardCharsets.UTF_8);
        Path policies = Files.createDirectories(workDir.resolve("policies"));
        Files.writeString(policies.resolve("cached.yaml"), """
                roles:
                  analyst: {groups: [analysts]}
                  admin: {groups: [admins]}
                tables:
                  cached.changing: {allow: [analyst, admin]}
                  cached.failing: {allow: [analyst, admin]}
                  cached.events: {allow: [analyst, admin]}
                budgets:
                  statement:
                    - {for: [analyst], max_bytes: 40000}
                  people:
                    - {for: [analyst], bytes_per_day: %d}
                """.formatted(DAILY), StandardCharsets.UTF_8);
        Path config = workDir.resolve("sekisho.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: 0}
                users_file: users.yaml
                search_path: [cached]
                policies: {dir: policies, watch: false}
                audit: {file: %s}
                result_cache: {max_bytes: 16777216, max_entry_bytes: 4194304, tables: {cached: 10m}, last_modified_check_ms: 1000}
                sources:
                  warehouse:
                    type: bigquery
                    project: %s
                    endpoint: %s
                    credentials: none
                    datasets: [cached]
                    maximum_bytes_billed: 1000000000
                    retry: {max_attempts: 2, initial_backoff_ms: 10, max_backoff_ms: 10}
                """.formatted(TestingGateway.yamlString(auditFile), TestingBigQueryServer.PROJECT, fixture.endpoint()), StandardCharsets.UTF_8);
        gateway = Gateway.start(SekishoConfigLoader.load(config));
        cache = gateway.resultCache().orElseThrow();
    }

    @AfterAll
    void stop()
    {
        if (gateway != null) {
            gateway.close();
        }
        fixture.close();
    }

    /** {@code cached.<name>}: {@code count} rows of (id, name), created or replaced now (a new lastModifiedTime). */
    private void items(String name, int count)
    {
        fixture.table("cached", name)
                .column("id", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                .column("name", TestingBigQueryData.type(TypeKind.TYPE_STRING))
                .rows(IntStream.rangeClosed(1, count).mapToObj(i -> List.<Object>of((long) i, "item " + i)).toList())
                .create();
    }

    @Test
    void aCachedResultIsServedUntilTheTablesLastModifiedTimeChanges()
            throws Exception
    {
        String sql = "SELECT id, name FROM cached.changing ORDER BY id";
        try (Connection alice = connect("alice"); Statement statement = alice.createStatement()) {
            cachedAndServed(statement, sql, "changing");
            assertThat(ids(statement, sql)).containsExactly(1L, 2L, 3L);
            // the check reads the one field it needs
            assertThat(fixture.requests()).anyMatch(request -> request.startsWith("GET /bigquery/v2/projects/" + TestingBigQueryServer.PROJECT
                    + "/datasets/cached/tables/changing?") && request.contains("fields=") && request.contains("lastModifiedTime"));

            Map<String, Long> before = show(statement);
            int jobs = jobs("changing").size();
            items("changing", 4);
            // the next check sees the new lastModifiedTime and drops the table's entries (within about an interval)
            await(() -> cache.stats().lastModifiedChanges() > before.get("last_modified_changes"), "the change of cached.changing to be seen");
            // from then on no entry read before is served: the statement runs a job and returns the new rows
            assertThat(ids(statement, sql)).containsExactly(1L, 2L, 3L, 4L);
            assertThat(jobs("changing")).hasSize(jobs + 1);
            Map<String, Long> after = show(statement);
            assertThat(after.get("last_modified_changes")).isGreaterThan(before.get("last_modified_changes"));
            assertThat(after.get("invalidations")).as("the dropped entry, counted by SHOW sekisho.cache").isGreaterThan(before.get("invalidations"));

            // and the new rows are cached in turn
            cachedAndServed(statement, sql, "changing");
            assertThat(ids(statement, sql)).containsExactly(1L, 2L, 3L, 4L);
        }
    }

    @Test
    void aFailingLastModifiedCheckKeepsTheTableOutOfTheCacheUntilACheckSucceeds()
            throws Exception
    {
        String sql = "SELECT id, name FROM cached.failing ORDER BY id";
        try (Connection alice = connect("alice"); Statement statement = alice.createStatement()) {
            cachedAndServed(statement, sql, "failing");

            long failures = cache.stats().lastModifiedFailures();
            fixture.failTableGets("cached", "failing", true);
            try {
                await(() -> cache.stats().lastModifiedFailures() > failures, "a failed check of cached.failing");
                // fails closed: the entry is not served, every statement runs a job (and answers), none is stored
                long hits = cache.stats().hits();
                int jobs = jobs("failing").size();
                assertThat(ids(statement, sql)).containsExactly(1L, 2L);
                assertThat(ids(statement, sql)).containsExactly(1L, 2L);
                assertThat(jobs("failing")).hasSize(jobs + 2);
                assertThat(cache.stats().hits()).isEqualTo(hits);
                assertThat(show(statement).get("last_modified_failures")).isGreaterThan(failures);
            }
            finally {
                fixture.failTableGets("cached", "failing", false);
            }
            // once a check succeeds again (the table did not change), the entry is served again without a job
            long hits = cache.stats().hits();
            await(() -> {
                try {
                    ids(statement, sql);
                }
                catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
                return cache.stats().hits() > hits;
            }, "a hit on cached.failing after its checks succeed again");
        }
    }

    @Test
    void aCacheHitIsNeitherEstimatedNorRefusedNorChargedWhileAMissIsGuardedAsBefore()
            throws Exception
    {
        String sql = "SELECT * FROM cached.events";
        try (Connection alice = connect("alice"); Statement statement = alice.createStatement()) {
            // a miss: the dry run says 64,000 bytes, over alice's 40,000 per statement, and no job runs
            assertThatThrownBy(() -> statement.executeQuery(sql)).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("53400"));
            assertThat(dryRuns("events")).isNotEmpty();
            assertThat(jobs("events")).isEmpty();
        }
        // admin (no limits, the same policy-applied statement) reads and caches it
        try (Connection admin = connect("admin"); Statement statement = admin.createStatement()) {
            cachedAndServed(statement, sql, "events");
        }
        try (Connection alice = connect("alice"); Statement statement = alice.createStatement()) {
            List<Long> budget = budget(statement);
            // a hit: served whole, with no dry run, no job, nothing reserved or charged. (Until a check of the table's
            // lastModifiedTime succeeded recently, which a loaded machine can delay, the cache does not answer: the statement is
            // then estimated and refused like a miss, and tried again.)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                int dryRuns = dryRuns("events").size();
                int jobs = jobs("events").size();
                long hits = cache.stats().hits();
                try (ResultSet rows = statement.executeQuery(sql)) {
                    int count = 0;
                    while (rows.next()) {
                        count++;
                    }
                    assertThat(count).isEqualTo(4000);
                }
                catch (PSQLException e) {
                    assertThat(e.getSQLState()).isEqualTo("53400");
                    assertThat(System.nanoTime()).as("waited too long for a cache hit").isLessThan(deadline);
                    Thread.sleep(100);
                    continue;
                }
                assertThat(cache.stats().hits()).isEqualTo(hits + 1);
                assertThat(dryRuns("events")).hasSize(dryRuns);
                assertThat(jobs("events")).hasSize(jobs);
                break;
            }
            assertThat(budget(statement)).isEqualTo(budget);
            int jobs = jobs("events").size();

            // with the cache off it is a miss again: estimated (the guard's 30 s estimate cache answers for the dry run made
            // above) and refused as before; the hit above was not refused, so it was not estimated
            statement.execute("SET sekisho.cache = off");
            assertThatThrownBy(() -> statement.executeQuery(sql)).isInstanceOfSatisfying(PSQLException.class,
                    e -> assertThat(e.getSQLState()).isEqualTo("53400"));
            assertThat(jobs("events")).hasSize(jobs);
        }
        // audited as a cache hit that cost nothing
        JsonNode hit = awaitAudit(event -> event.path("user").asText().equals("alice") && event.path("sql").asText().equals(sql)
                && event.path("outcome").asText().equals("ok"));
        assertThat(hit.get("cache_hit").asBoolean()).isTrue();
        assertThat(hit.get("estimated_bytes").asLong()).isZero();
        assertThat(hit.get("actual_bytes").asLong()).isZero();
    }

    /**
     * Runs {@code sql} until it is a cache hit (the first statements over a table bypass the cache
     * until a check of it succeeded; the next one stores its rows): the hit must run no job.
     */
    private void cachedAndServed(Statement statement, String sql, String table)
            throws Exception
    {
        await(() -> {
            try {
                long hits = cache.stats().hits();
                int jobs = jobs(table).size();
                ids(statement, sql);
                if (cache.stats().hits() == hits) {
                    return false;
                }
                assertThat(jobs(table)).as("jobs of a cache hit").hasSize(jobs);
                return true;
            }
            catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }, "a cache hit of " + sql);
    }

    private static List<Long> ids(Statement statement, String sql)
            throws SQLException
    {
        List<Long> ids = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                ids.add(rows.getLong(1));
            }
        }
        return ids;
    }

    private static Map<String, Long> show(Statement statement)
            throws SQLException
    {
        Map<String, Long> figures = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery("SHOW sekisho.cache")) {
            while (rows.next()) {
                if (rows.getString(2).matches("\\d+")) {
                    figures.put(rows.getString(1), Long.parseLong(rows.getString(2)));
                }
            }
        }
        return figures;
    }

    /** {@code [spent, reserved]} of alice today. */
    private static List<Long> budget(Statement statement)
            throws SQLException
    {
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        try (ResultSet rows = statement.executeQuery("SHOW sekisho.budget")) {
            while (rows.next()) {
                if (rows.getString("account").equals("user:alice") && rows.getString("period").equals(today)) {
                    return List.of(rows.getLong("spent_bytes"), rows.getLong("reserved_bytes"));
                }
            }
        }
        throw new AssertionError("SHOW sekisho.budget has no row for alice today");
    }

    private List<RecordedJob> jobs(String table)
    {
        return fixture.jobs().stream().filter(job -> !job.dryRun() && job.sql().contains(table)).toList();
    }

    private List<RecordedJob> dryRuns(String table)
    {
        return fixture.jobs().stream().filter(job -> job.dryRun() && job.sql().contains(table)).toList();
    }

    private static void await(BooleanSupplier condition, String what)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    private JsonNode awaitAudit(Predicate<JsonNode> filter)
            throws IOException, InterruptedException
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            if (Files.exists(auditFile)) {
                for (String line : Files.readAllLines(auditFile, StandardCharsets.UTF_8)) {
                    JsonNode event = JSON.readTree(line);
                    if (event.path("type").asText().equals("statement") && filter.test(event)) {
                        return event;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such statement in the audit trail " + auditFile);
            }
            Thread.sleep(50);
        }
    }

    private Connection connect(String user)
            throws SQLException
    {
        return TestingGateway.connect(gateway, user);
    }

    private static String verifier(String user)
    {
        return ScramVerifier.create((user + TestingGateway.PASSWORD_SUFFIX).toCharArray()).encoded();
    }
}
