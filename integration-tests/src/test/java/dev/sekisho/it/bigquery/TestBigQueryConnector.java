package dev.sekisho.it.bigquery;

import dev.sekisho.connectors.bigquery.BigQueryConfig;
import dev.sekisho.connectors.bigquery.BigQueryConnector;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BigQuery connector through the real google-cloud-bigquery client against the ZetaSQL-backed
 * fixture: metadata, parameters, labels, {@code maximumBytesBilled}, paging as the consumer reads,
 * dry runs, retries, cancel and errors.
 */
class TestBigQueryConnector
{
    private static TestingBigQueryServer fixture;
    private static BigQueryConnector connector;

    @BeforeAll
    static void start()
    {
        fixture = TestingBigQueryData.fixture();
        connector = connector(fixture, Map.of("page_size", 3));
    }

    @AfterAll
    static void stop()
    {
        connector.close();
    }

    static BigQueryConnector connector(TestingBigQueryServer fixture, Map<String, Object> extra)
    {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "project", TestingBigQueryServer.PROJECT,
                "endpoint", fixture.endpoint(),
                "credentials", "none",
                "datasets", List.of("lake"),
                "maximum_bytes_billed", 1_000_000_000L,
                "retry", Map.of("max_attempts", 4, "initial_backoff_ms", 10, "max_backoff_ms", 50)));
        settings.putAll(extra);
        return new BigQueryConnector(BigQueryConfig.parse(new SourceConfig(TestingBigQueryData.SOURCE, "bigquery", settings)));
    }

    @Test
    void metadata()
    {
        assertThat(connector.metadata().listSchemas()).containsExactly("lake");
        assertThat(connector.metadata().listTables("lake")).contains("orders", "all_types", "paid_orders");
        TableMetadata orders = connector.metadata().getTable("lake", "orders").orElseThrow();
        assertThat(orders.comment()).contains("Orders, copied from the shop every night");
        assertThat(orders.columns()).extracting(ColumnMetadata::name).containsExactly("id", "customer_id", "status", "amount", "ordered_on");
        assertThat(orders.columns().get(0).comment()).contains("order id");
        assertThat(orders.columns().get(3).type()).isEqualTo(ColumnType.decimal(38, 9));
        assertThat(orders.partitionColumns()).containsExactly("ordered_on");
        assertThat(orders.clusteringColumns()).containsExactly("customer_id");
        assertThat(orders.rowCountEstimate()).hasValue(20);
        assertThat(connector.metadata().getTable("lake", "paid_orders").orElseThrow().kind()).isEqualTo(TableMetadata.TableKind.VIEW);
        assertThat(connector.metadata().getTable("lake", "missing")).isEmpty();
        assertThat(connector.metadata().getTable("other", "orders")).isEmpty();

        TableMetadata types = connector.metadata().getTable("lake", "all_types").orElseThrow();
        Map<String, String> sourceTypes = new HashMap<>();
        Map<String, ColumnType> columnTypes = new HashMap<>();
        types.columns().forEach(column -> {
            sourceTypes.put(column.name(), column.sourceType());
            columnTypes.put(column.name(), column.type());
        });
        assertThat(sourceTypes).containsEntry("c_array", "ARRAY<INT64>").containsEntry("c_struct", "STRUCT<name STRING, qty INT64>")
                .containsEntry("c_geography", "GEOGRAPHY");
        assertThat(columnTypes.get("c_array")).isEqualTo(ColumnType.array(ColumnType.of(Kind.BIGINT)));
        assertThat(columnTypes.get("c_struct").kind()).isEqualTo(Kind.JSON);
        assertThat(columnTypes.get("c_timestamp").kind()).isEqualTo(Kind.TIMESTAMP_WITH_TIME_ZONE);
        assertThat(columnTypes.get("c_datetime").kind()).isEqualTo(Kind.TIMESTAMP);
        assertThat(columnTypes.get("c_geography").kind()).isEqualTo(Kind.TEXT);
    }

    @Test
    void parametersLabelsAndLimitsOnEveryJob()
    {
        TestingContext context = new TestingContext("Alice.Smith@example.com", Map.of("application_name", "Redash", "sekisho.end_user", "bob"));
        BackendQuery query = new BackendQuery(TestingBigQueryData.SOURCE, "SELECT id, amount FROM lake.orders WHERE status = ? AND id < ? ORDER BY id",
                Arrays.asList("paid", 9L), List.of(ColumnType.of(Kind.TEXT), ColumnType.of(Kind.BIGINT)));
        assertThat(readAll(connector.execute(query, context))).containsExactly(
                List.of(3L, new BigDecimal("30.25")), List.of(4L, new BigDecimal("40.25")), List.of(7L, new BigDecimal("70.25")),
                List.of(8L, new BigDecimal("80.25")));
        RecordedJob job = lastJob();
        assertThat(job.sql()).isEqualTo(query.sql()).doesNotContain("paid");
        assertThat(job.parameterMode()).isEqualTo("POSITIONAL");
        assertThat(job.parameterTypes()).containsExactly("STRING", "INT64");
        assertThat(job.maximumBytesBilled()).isEqualTo(1_000_000_000L);
        assertThat(job.useQueryCache()).isTrue();
        assertThat(job.dryRun()).isFalse();
        // the e-mail address is readable and made unique by a hash; BigQuery's label rules hold (the fixture refuses others)
        assertThat(job.labels().get("sekisho_user")).startsWith("alice_smith_example_com-").hasSize("alice_smith_example_com-".length() + 12);
        assertThat(job.labels()).containsEntry("sekisho_end_user", "bob");
        assertThat(job.labels().get("sekisho_app")).matches("redash-[0-9a-f]{12}");
        assertThat(job.labels().get("sekisho_query_id")).matches("[0-9a-f]{32}");
        assertThat(job.jobId()).isEqualTo("sekisho_" + job.labels().get("sekisho_query_id"));
    }

    @Test
    void pagesAreReadAsTheConsumerReads()
    {
        int before = fixture.requests().size();
        try (ResultStream rows = connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT id FROM lake.orders ORDER BY id"), context())) {
            assertThat(rows.next()).isTrue();
            // a page of 3 rows is in memory; nothing more was asked for
            assertThat(dataRequests(before)).hasSize(1);
            List<Long> ids = new ArrayList<>();
            ids.add((Long) rows.value(0));
            for (int i = 0; i < 3; i++) {
                assertThat(rows.next()).isTrue();
                ids.add((Long) rows.value(0));
            }
            assertThat(dataRequests(before)).hasSize(2).last().asString().contains("pageToken=3");
            while (rows.next()) {
                ids.add((Long) rows.value(0));
            }
            assertThat(ids).hasSize(20).isSorted();
            assertThat(dataRequests(before)).hasSize(7);
        }
    }

    @Test
    void dryRunFollowsBigQuerysBytesRule()
    {
        // id (INT64, 8 bytes) and status (STRING, 2 + UTF-8 length) of all 20 rows: BigQuery reads whole columns
        long statusBytes = TestingBigQueryData.orders().stream().mapToLong(row -> 2 + ((String) row.get(2)).getBytes(StandardCharsets.UTF_8).length).sum();
        int jobs = fixture.jobs().size();
        CostEstimate estimate = connector.estimate(new BackendQuery(TestingBigQueryData.SOURCE, "SELECT id FROM lake.orders WHERE status = ? LIMIT 1",
                List.of("paid"), List.of(ColumnType.of(Kind.TEXT))), context()).orElseThrow();
        assertThat(estimate.bytesProcessed()).isEqualTo(20 * 8 + statusBytes);
        // orders is partitioned and clustered: the fixture prunes nothing, so its figure is an upper bound
        assertThat(estimate.accuracy()).isEqualTo(CostEstimate.Accuracy.UPPER_BOUND);
        assertThat(fixture.jobs()).hasSize(jobs + 1);
        assertThat(lastJob().dryRun()).isTrue();
        assertThat(lastJob().labels()).containsKey("sekisho_user");

        CostEstimate count = connector.estimate(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT COUNT(*) FROM lake.all_types"), context()).orElseThrow();
        assertThat(count).isEqualTo(new CostEstimate(0, CostEstimate.Accuracy.PRECISE));
        assertThatThrownBy(() -> connector.estimate(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT nope FROM lake.orders"), context()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("Unrecognized name: nope")
                .extracting(e -> ((QueryException) e).sqlState()).isEqualTo("42703");
    }

    @Test
    void retriesRateLimitsAndBackendErrors()
    {
        fixture.failNextInserts(2, 403, "rateLimitExceeded", "Exceeded rate limits: too many api requests per user per method for this user_method.");
        List<List<Object>> rows = readAll(connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT COUNT(*) FROM lake.orders"), context()));
        assertThat(rows).containsExactly(List.of(20L));
        String jobId = lastJob().jobId();
        assertThat(fixture.jobs().stream().filter(job -> job.jobId().equals(jobId))).hasSize(3);

        // retry.max_attempts is 4: then the error reaches the client
        fixture.failNextInserts(10, 503, "backendError", "Backend error. Job aborted.");
        try {
            assertThatThrownBy(() -> connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT 1"), context()))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("Backend error. Job aborted.")
                    .extracting(e -> ((QueryException) e).sqlState()).isEqualTo("58000");
            String failedJob = lastJob().jobId();
            assertThat(fixture.jobs().stream().filter(job -> job.jobId().equals(failedJob))).hasSize(4);
        }
        finally {
            fixture.failNextInserts(0, 503, "backendError", "");
        }
    }

    @Test
    void errorsKeepBigQuerysMessage()
    {
        try (BigQueryConnector limited = connector(fixture, Map.of("maximum_bytes_billed", 1000))) {
            assertThatThrownBy(() -> limited.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT id FROM lake.orders"), context()))
                    .isInstanceOf(QueryException.class)
                    .hasMessageContaining("Query exceeded limit for bytes billed: 1000. 10485760 or higher required.")
                    .extracting(e -> ((QueryException) e).sqlState()).isEqualTo("54000");
        }
        fixture.failNextQuery(403, "accessDenied", "Access Denied: Table sekisho-test:lake.orders: User does not have permission to query table.");
        assertThatThrownBy(() -> connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT id FROM lake.orders"), context()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("User does not have permission to query table")
                .extracting(e -> ((QueryException) e).sqlState()).isEqualTo("42501");
        assertThatThrownBy(() -> connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT id FROM lake.nope"), context()))
                .isInstanceOf(QueryException.class)
                .hasMessageContaining("lake.nope");
    }

    @Test
    void cancelCancelsTheJob()
            throws Exception
    {
        fixture.holdJobs(true);
        try {
            TestingContext context = context();
            CompletableFuture<ResultStream> running = CompletableFuture.supplyAsync(
                    () -> connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE, "SELECT id FROM lake.orders"), context));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fixture.jobs().isEmpty() || !fixture.jobs().get(fixture.jobs().size() - 1).sql().equals("SELECT id FROM lake.orders")
                    || fixture.requests().stream().noneMatch(request -> request.contains("/queries/" + lastJob().jobId()))) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            String jobId = lastJob().jobId();
            context.cancel("canceling statement due to user request");
            assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(QueryException.class)
                    .cause().hasMessage("canceling statement due to user request")
                    .extracting(e -> ((QueryException) e).sqlState()).isEqualTo("57014");
            while (!fixture.cancelledJobs().contains(jobId)) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
        }
        finally {
            fixture.holdJobs(false);
        }
    }

    @Test
    void everyTypesValue()
    {
        List<List<Object>> rows = readAll(connector.execute(BackendQuery.of(TestingBigQueryData.SOURCE,
                "SELECT * FROM lake.all_types ORDER BY c_int64 NULLS LAST"), context()));
        assertThat(rows).hasSize(2);
        List<Object> values = rows.get(0);
        assertThat(values.get(0)).isEqualTo(9007199254740993L);
        assertThat(values.get(1)).isEqualTo(1.5);
        assertThat(values.get(2)).isEqualTo(new BigDecimal("12345678901234567890.123456789"));
        assertThat(values.get(3)).isEqualTo(new BigDecimal("123456789012345678901234567890123456.5"));
        assertThat(values.get(4)).isEqualTo(true);
        assertThat(values.get(5)).isEqualTo("佐藤 it's");
        assertThat((byte[]) values.get(6)).containsExactly(0, 0xff, 'a', 'b');
        assertThat(values.get(7)).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(values.get(8)).hasToString("2024-02-29T13:14:15.123456");
        assertThat(values.get(9)).hasToString("23:59:58.500");
        assertThat(values.get(10)).hasToString("2024-03-01T01:02:03.456789Z");
        assertThat(values.get(11)).isEqualTo("{\"a\":[1,2]}");
        assertThat(values.get(12)).isEqualTo("POINT(139.69 35.69)");
        assertThat(values.get(13)).isEqualTo(List.of(1L, 2L, 3L));
        assertThat(values.get(14)).isEqualTo("{\"name\":\"pen\",\"qty\":3}");
        assertThat(rows.get(1)).containsExactly(null, null, null, null, null, null, null, null, null, null, null, null, null, List.of(), null);
    }

    private List<String> dataRequests(int since)
    {
        return fixture.requests().subList(since, fixture.requests().size()).stream().filter(request -> request.contains("/data")).toList();
    }

    private static RecordedJob lastJob()
    {
        List<RecordedJob> jobs = fixture.jobs();
        return jobs.get(jobs.size() - 1);
    }

    private static TestingContext context()
    {
        return new TestingContext("alice", Map.of());
    }

    static List<List<Object>> readAll(ResultStream stream)
    {
        try (stream) {
            List<List<Object>> rows = new ArrayList<>();
            while (stream.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    row.add(stream.value(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
