package dev.sekisho.it.bigquery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SqlException;
import com.google.zetasql.Type;
import com.google.zetasql.Value;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.sekisho.it.bigquery.ZetaSqlEngine.FixtureColumn;
import dev.sekisho.it.bigquery.ZetaSqlEngine.FixtureTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static java.util.Objects.requireNonNull;

/**
 * A BigQuery endpoint on loopback for the real {@code google-cloud-bigquery} client (through its
 * host override): the REST shapes of API v2 for datasets.list/get, tables.list/get, tabledata.list,
 * jobs.insert (queries with parameters and labels, {@code dryRun}, {@code maximumBytesBilled}),
 * jobs.get, jobs.getQueryResults with page tokens, jobs.cancel, and error bodies. A table's
 * {@code lastModifiedTime} is when it was last created or replaced ({@link TableBuilder#create}). Queries are
 * analysed and executed by Google's ZetaSQL ({@link ZetaSqlEngine}), so GoogleSQL's meaning comes
 * from Google's code. Not BigQuery itself: no authentication, no quotas, no partition pruning.
 *
 * <p>Tests read what the client sent ({@link #jobs()}, {@link #cancelledJobs()}) and inject
 * failures ({@link #failNextInserts}, {@link #failNextQuery}, {@link #holdJobs}).
 */
public final class TestingBigQueryServer
        implements AutoCloseable
{
    /** The project every request must name. */
    public static final String PROJECT = "sekisho-test";
    public static final String LOCATION = "US";
    /** BigQuery bills at least 10 MB per query that reads a table. */
    private static final long MINIMUM_BILLED_BYTES = 10L * 1024 * 1024;
    private static final long PAGE_BYTES = 10L * 1024 * 1024;
    private static final String ANONYMOUS_DATASET = "_sekisho_anonymous";
    private static final Pattern PATH = Pattern.compile("^/bigquery/v2/projects/([^/]+)(/.*)?$");
    private static final Pattern LABEL_KEY = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");

    private static TestingBigQueryServer shared;

    private final ObjectMapper mapper = new ObjectMapper();
    private final ZetaSqlEngine engine = new ZetaSqlEngine();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
        Thread thread = new Thread(runnable, "bigquery-fixture");
        thread.setDaemon(true);
        return thread;
    });
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final List<RecordedJob> recorded = new CopyOnWriteArrayList<>();
    /** The SQL of every job and dry run that ZetaSQL's analyzer accepted. */
    private final java.util.Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<String> cancelled = new CopyOnWriteArrayList<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger insertFailures = new AtomicInteger();
    private volatile Failure insertFailure;
    private volatile Failure queryFailure;
    private volatile boolean holdJobs;
    /** Each table's {@code lastModifiedTime} (ms since the epoch), by {@code dataset.table}: set by every create and replace. */
    private final Map<String, Long> lastModified = new ConcurrentHashMap<>();
    /** Tables whose tables.get answers 500 backendError (a failing metadata read). */
    private final java.util.Set<String> failingTableGets = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Tables whose dry runs answer {@code totalBytesProcessedAccuracy: UNKNOWN} and 0 bytes (as row access policies can make BigQuery do). */
    private final java.util.Set<String> unknownEstimates = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** What a jobs.insert carried, for assertions. */
    public record RecordedJob(String jobId, String sql, Map<String, String> labels, Long maximumBytesBilled, boolean dryRun, boolean useQueryCache,
            List<String> parameterTypes, String parameterMode)
    {
    }

    private record Failure(int status, String reason, String message)
    {
    }

    private TestingBigQueryServer()
            throws IOException
    {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** The JVM-wide fixture (ZetaSQL's native server starts once per JVM). */
    public static synchronized TestingBigQueryServer shared()
    {
        if (shared == null) {
            try {
                shared = new TestingBigQueryServer();
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "bigquery-fixture-shutdown"));
        }
        return shared;
    }

    /**
     * A fixture of its own, with its own tables and recorded jobs, for tests whose jobs must not
     * show among those of the shared fixture (whose tests check every job it saw); the caller closes it.
     */
    public static TestingBigQueryServer isolated()
    {
        try {
            return new TestingBigQueryServer();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The endpoint for the client's host override, e.g. {@code http://127.0.0.1:PORT}. */
    public String endpoint()
    {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A table builder for the fixture's catalog. */
    public TableBuilder table(String dataset, String name)
    {
        return new TableBuilder(dataset, name);
    }

    /** The query and dry-run jobs inserted so far, in order. */
    /** Whether ZetaSQL's analyzer accepted {@code sql}, sent as a job or a dry run, with its parameters' types. */
    public boolean acceptedByAnalyzer(String sql)
    {
        return accepted.contains(sql);
    }

    public List<RecordedJob> jobs()
    {
        return List.copyOf(recorded);
    }

    /** The ids of the jobs the client cancelled. */
    public List<String> cancelledJobs()
    {
        return List.copyOf(cancelled);
    }

    /** Request lines ({@code METHOD path?query}) received so far. */
    public List<String> requests()
    {
        return List.copyOf(requests);
    }

    /** The next {@code count} jobs.insert requests fail with this HTTP status and error reason. */
    public void failNextInserts(int count, int status, String reason, String message)
    {
        insertFailure = new Failure(status, reason, message);
        insertFailures.set(count);
    }

    /** The next query job fails (its status carries the error, and getQueryResults answers with it). */
    public void failNextQuery(int status, String reason, String message)
    {
        queryFailure = new Failure(status, reason, message);
    }

    /** While true, new query jobs stay RUNNING until cancelled (or released by setting it false). */
    public void holdJobs(boolean hold)
    {
        holdJobs = hold;
        if (!hold) {
            jobs.values().forEach(Job::runIfPending);
        }
    }

    /** A statement as the reference implementation would run it, for tests that check the planner's SQL. */
    public long analyze(String sql, List<Type> parameterTypes)
    {
        return engine.analyze(sql, parameterTypes);
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String method = exchange.getRequestMethod();
            requests.add(method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            Matcher matcher = PATH.matcher(uri.getRawPath());
            if (!matcher.matches()) {
                send(exchange, error(404, "notFound", "Not found: " + uri.getRawPath()));
                return;
            }
            String project = matcher.group(1);
            String rest = matcher.group(2) == null ? "" : matcher.group(2);
            Map<String, String> query = query(uri.getRawQuery());
            if (!PROJECT.equals(project)) {
                send(exchange, error(404, "notFound", "Not found: Project " + project));
                return;
            }
            List<String> parts = rest.isEmpty() ? List.of() : List.of(rest.substring(1).split("/"));
            send(exchange, route(method, parts, query, method.equals("POST") ? body(exchange) : null));
        }
        catch (RuntimeException e) {
            send(exchange, error(500, "internalError", "fixture failure: " + e));
            throw e;
        }
    }

    private Response route(String method, List<String> parts, Map<String, String> query, JsonNode body)
    {
        int size = parts.size();
        if (method.equals("GET") && size == 1 && parts.get(0).equals("datasets")) {
            return listDatasets();
        }
        if (method.equals("GET") && size == 2 && parts.get(0).equals("datasets")) {
            return getDataset(parts.get(1));
        }
        if (method.equals("GET") && size == 3 && parts.get(2).equals("tables")) {
            return listTables(parts.get(1));
        }
        if (method.equals("GET") && size == 4 && parts.get(2).equals("tables")) {
            return getTable(parts.get(1), parts.get(3));
        }
        if (method.equals("GET") && size == 5 && parts.get(4).equals("data")) {
            return tableData(parts.get(1), parts.get(3), query);
        }
        if (method.equals("POST") && size == 1 && parts.get(0).equals("jobs")) {
            return insertJob(body);
        }
        if (method.equals("GET") && size == 2 && parts.get(0).equals("jobs")) {
            return getJob(parts.get(1));
        }
        if (method.equals("POST") && size == 3 && parts.get(0).equals("jobs") && parts.get(2).equals("cancel")) {
            return cancelJob(parts.get(1));
        }
        if (method.equals("GET") && size == 2 && parts.get(0).equals("queries")) {
            return queryResults(parts.get(1), query);
        }
        return error(400, "invalid", "The fixture does not implement " + method + " " + String.join("/", parts));
    }

    private Response listDatasets()
    {
        ObjectNode list = mapper.createObjectNode().put("kind", "bigquery#datasetList").put("etag", "fixture");
        ArrayNode datasets = list.putArray("datasets");
        engine.tables().stream().map(FixtureTable::dataset).distinct().sorted().forEach(dataset -> {
            ObjectNode entry = datasets.addObject().put("kind", "bigquery#dataset").put("id", PROJECT + ":" + dataset).put("location", LOCATION);
            entry.putObject("datasetReference").put("projectId", PROJECT).put("datasetId", dataset);
        });
        return ok(list);
    }

    private Response getDataset(String dataset)
    {
        if (engine.tables().stream().noneMatch(table -> table.dataset().equals(dataset))) {
            return error(404, "notFound", "Not found: Dataset " + PROJECT + ":" + dataset);
        }
        ObjectNode resource = mapper.createObjectNode().put("kind", "bigquery#dataset").put("id", PROJECT + ":" + dataset).put("location", LOCATION);
        resource.putObject("datasetReference").put("projectId", PROJECT).put("datasetId", dataset);
        return ok(resource);
    }

    private Response listTables(String dataset)
    {
        ObjectNode list = mapper.createObjectNode().put("kind", "bigquery#tableList").put("etag", "fixture");
        ArrayNode tables = list.putArray("tables");
        int count = 0;
        for (FixtureTable table : engine.tables()) {
            if (table.dataset().equals(dataset)) {
                ObjectNode entry = tables.addObject().put("kind", "bigquery#table").put("id", PROJECT + ":" + table.path()).put("type", table.kind());
                reference(entry.putObject("tableReference"), table.dataset(), table.name());
                count++;
            }
        }
        list.put("totalItems", count);
        return ok(list);
    }

    private Response getTable(String dataset, String name)
    {
        FixtureTable table = engine.table(dataset, name);
        if (table == null) {
            return error(404, "notFound", "Not found: Table " + PROJECT + ":" + dataset + "." + name);
        }
        if (failingTableGets.contains(dataset + "." + name)) {
            return error(500, "backendError", "fixture: tables.get of " + dataset + "." + name + " fails");
        }
        ObjectNode resource = mapper.createObjectNode().put("kind", "bigquery#table").put("id", PROJECT + ":" + table.path()).put("type", table.kind())
                .put("location", LOCATION).put("numRows", Integer.toString(table.rows().size())).put("numBytes", Long.toString(table.bytes()))
                .put("lastModifiedTime", Long.toString(lastModified.getOrDefault(table.path(), 0L)));
        reference(resource.putObject("tableReference"), dataset, name);
        if (table.description() != null) {
            resource.put("description", table.description());
        }
        ArrayNode fields = resource.putObject("schema").putArray("fields");
        for (FixtureColumn column : table.columns()) {
            fields.add(BigQueryValues.field(column.name(), column.type(), column.geography(), column.description()));
        }
        if (table.partitionColumn() != null) {
            resource.putObject("timePartitioning").put("type", "DAY").put("field", table.partitionColumn());
        }
        if (!table.clusteringColumns().isEmpty()) {
            ArrayNode clustering = resource.putObject("clustering").putArray("fields");
            table.clusteringColumns().forEach(clustering::add);
        }
        if (!table.kind().equals("TABLE")) {
            resource.putObject("view").put("query", "SELECT * FROM " + table.path());
        }
        return ok(resource);
    }

    private Response tableData(String dataset, String table, Map<String, String> query)
    {
        if (!dataset.equals(ANONYMOUS_DATASET)) {
            FixtureTable fixture = engine.table(dataset, table);
            if (fixture == null) {
                return error(404, "notFound", "Not found: Table " + PROJECT + ":" + dataset + "." + table);
            }
            ObjectNode page = rows(fixture.rows(), query);
            return ok(page.put("kind", "bigquery#tableDataList"));
        }
        Job job = jobs.get(table.substring("anon_".length()));
        if (job == null || job.result == null) {
            return error(404, "notFound", "Not found: Table " + PROJECT + ":" + dataset + "." + table);
        }
        return ok(rows(job.result.rows(), query).put("kind", "bigquery#tableDataList"));
    }

    private Response insertJob(JsonNode body)
    {
        JsonNode configuration = body.path("configuration");
        JsonNode queryConfiguration = configuration.path("query");
        if (queryConfiguration.isMissingNode()) {
            return error(400, "invalid", "Only query jobs are supported by the fixture");
        }
        if (queryConfiguration.path("useLegacySql").asBoolean(true)) {
            return error(400, "invalid", "The fixture runs GoogleSQL only: set useLegacySql to false");
        }
        Map<String, String> labels = new HashMap<>();
        configuration.path("labels").fields().forEachRemaining(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!LABEL_KEY.matcher(label.getKey()).matches() || !LABEL_VALUE.matcher(label.getValue()).matches()) {
                return error(400, "invalid", "Label " + label.getKey() + ":" + label.getValue() + " has invalid characters or is too long");
            }
        }
        String sql = queryConfiguration.path("query").asText();
        List<Value> parameters = new ArrayList<>();
        List<String> parameterTypes = new ArrayList<>();
        for (JsonNode parameter : queryConfiguration.path("queryParameters")) {
            parameters.add(BigQueryValues.parameter(parameter.path("parameterType"), parameter.path("parameterValue")));
            parameterTypes.add(parameter.path("parameterType").path("type").asText());
        }
        boolean dryRun = configuration.path("dryRun").asBoolean(false);
        Long maximumBytesBilled = queryConfiguration.hasNonNull("maximumBytesBilled") ? queryConfiguration.path("maximumBytesBilled").asLong() : null;
        JsonNode reference = body.path("jobReference");
        String jobId = reference.path("jobId").asText(dryRun ? "" : "job_" + UUID.randomUUID().toString().replace("-", ""));
        recorded.add(new RecordedJob(jobId, sql, Map.copyOf(labels), maximumBytesBilled, dryRun, queryConfiguration.path("useQueryCache").asBoolean(true),
                List.copyOf(parameterTypes), queryConfiguration.path("parameterMode").asText(null)));
        if (insertFailures.getAndUpdate(count -> Math.max(0, count - 1)) > 0) {
            Failure failure = insertFailure;
            return error(failure.status(), failure.reason(), failure.message());
        }
        if (!dryRun && jobs.containsKey(jobId)) {
            return error(409, "duplicate", "Already Exists: Job " + PROJECT + ":" + LOCATION + "." + jobId);
        }
        long bytes;
        try {
            bytes = engine.analyze(sql, parameters.stream().map(Value::getType).toList());
            accepted.add(sql);
        }
        catch (SqlException | IllegalArgumentException e) {
            if (dryRun) {
                return error(400, "invalidQuery", e.getMessage());
            }
            Job failed = new Job(jobId, configuration, sql, parameters, maximumBytesBilled);
            failed.fail(new Failure(400, "invalidQuery", e.getMessage()));
            jobs.put(jobId, failed);
            return ok(failed.resource());
        }
        if (dryRun) {
            ObjectNode resource = mapper.createObjectNode().put("kind", "bigquery#job");
            resource.putObject("jobReference").put("projectId", PROJECT).put("location", LOCATION);
            resource.set("configuration", configuration);
            resource.putObject("status").put("state", "DONE");
            String accuracy = accuracy(sql);
            long reported = accuracy.equals("UNKNOWN") ? 0 : bytes;
            ObjectNode statistics = resource.putObject("statistics").put("creationTime", Long.toString(System.currentTimeMillis()))
                    .put("totalBytesProcessed", Long.toString(reported));
            statistics.putObject("query").put("totalBytesProcessed", Long.toString(reported)).put("totalBytesProcessedAccuracy", accuracy)
                    .put("totalBytesBilled", "0").put("cacheHit", false).put("statementType", "SELECT");
            return ok(resource);
        }
        Job job = new Job(jobId, configuration, sql, parameters, maximumBytesBilled);
        jobs.put(jobId, job);
        if (!holdJobs) {
            job.runIfPending();
        }
        return ok(job.resource());
    }

    /** What BigQuery billed ({@code totalBytesBilled}) for the jobs that completed, of statements containing {@code sqlFragment}. */
    public long billedBytes(String sqlFragment)
    {
        long billed = 0;
        for (Job job : jobs.values()) {
            synchronized (job) {
                if (job.done && job.failure == null && job.sql.contains(sqlFragment)) {
                    billed += job.bytesBilled;
                }
            }
        }
        return billed;
    }

    /** Dry runs of statements that name {@code dataset.table} answer UNKNOWN accuracy and 0 bytes from now on. */
    public void unknownEstimates(String dataset, String table)
    {
        unknownEstimates.add(dataset + "`.`" + table);
        unknownEstimates.add(dataset + "." + table);
    }

    /** While {@code failing}, tables.get of {@code dataset.table} answers 500 backendError. */
    public void failTableGets(String dataset, String table, boolean failing)
    {
        if (failing) {
            failingTableGets.add(dataset + "." + table);
        }
        else {
            failingTableGets.remove(dataset + "." + table);
        }
    }

    /** PRECISE unless a scanned table is partitioned or clustered (the fixture prunes neither, so its count is an upper bound). */
    private String accuracy(String sql)
    {
        for (String table : unknownEstimates) {
            if (sql.contains(table)) {
                return "UNKNOWN";
            }
        }
        for (FixtureTable table : engine.tables()) {
            if ((table.partitionColumn() != null || !table.clusteringColumns().isEmpty()) && sql.contains(table.name())) {
                return "UPPER_BOUND";
            }
        }
        return "PRECISE";
    }

    private Response getJob(String jobId)
    {
        Job job = jobs.get(jobId);
        if (job == null) {
            return error(404, "notFound", "Not found: Job " + PROJECT + ":" + LOCATION + "." + jobId);
        }
        return ok(job.resource());
    }

    private Response cancelJob(String jobId)
    {
        Job job = jobs.get(jobId);
        if (job == null) {
            return error(404, "notFound", "Not found: Job " + PROJECT + ":" + LOCATION + "." + jobId);
        }
        cancelled.add(jobId);
        job.cancel();
        ObjectNode response = mapper.createObjectNode().put("kind", "bigquery#jobCancelResponse");
        response.set("job", job.resource());
        return ok(response);
    }

    private Response queryResults(String jobId, Map<String, String> query)
    {
        Job job = jobs.get(jobId);
        if (job == null) {
            return error(404, "notFound", "Not found: Job " + PROJECT + ":" + LOCATION + "." + jobId);
        }
        long timeout = Math.min(Long.parseLong(query.getOrDefault("timeoutMs", "1000")), 1000);
        job.awaitDone(timeout);
        ObjectNode response = mapper.createObjectNode().put("kind", "bigquery#getQueryResultsResponse").put("etag", "fixture");
        reference(response.putObject("jobReference"), jobId);
        synchronized (job) {
            if (!job.done) {
                return ok(response.put("jobComplete", false));
            }
            if (job.failure != null) {
                return error(job.failure.status(), job.failure.reason(), job.failure.message());
            }
        }
        response.put("jobComplete", true).put("cacheHit", false).put("totalBytesProcessed", Long.toString(job.result.bytesProcessed()));
        response.set("schema", schema(job.result.columns()));
        response.setAll(rows(job.result.rows(), query));
        return ok(response);
    }

    private ObjectNode schema(List<SimpleColumn> columns)
    {
        ObjectNode schema = mapper.createObjectNode();
        ArrayNode fields = schema.putArray("fields");
        int anonymous = 0;
        for (SimpleColumn column : columns) {
            String name = column.getName().startsWith("$") ? "f" + anonymous++ + "_" : column.getName();
            fields.add(BigQueryValues.field(name, column.getType(), false, null));
        }
        return schema;
    }

    /** One page: {@code startIndex} or {@code pageToken} (the next row's index), at most {@code maxResults} rows (default 10000). */
    private ObjectNode rows(List<List<Value>> rows, Map<String, String> query)
    {
        int start = Integer.parseInt(query.getOrDefault("pageToken", query.getOrDefault("startIndex", "0")));
        int max = Integer.parseInt(query.getOrDefault("maxResults", Integer.toString(Integer.MAX_VALUE)));
        boolean int64Timestamps = Boolean.parseBoolean(query.getOrDefault("formatOptions.useInt64Timestamp", "false"));
        // BigQuery's pages end at maxResults rows or about 10 MB, whichever comes first
        int end = start;
        long bytes = 0;
        while (end < rows.size() && end - start < max && bytes < PAGE_BYTES) {
            for (Value value : rows.get(end)) {
                bytes += 8 + BigQueryValues.size(value, false);
            }
            end++;
        }
        ObjectNode page = mapper.createObjectNode().put("totalRows", Integer.toString(rows.size()));
        if (end < rows.size()) {
            page.put("pageToken", Integer.toString(end));
        }
        ArrayNode out = page.putArray("rows");
        for (List<Value> row : rows.subList(start, end)) {
            ArrayNode cells = out.addObject().putArray("f");
            row.forEach(value -> cells.add(BigQueryValues.cell(value, int64Timestamps)));
        }
        return page;
    }

    private static void reference(ObjectNode node, String dataset, String table)
    {
        node.put("projectId", PROJECT).put("datasetId", dataset).put("tableId", table);
    }

    private static void reference(ObjectNode node, String jobId)
    {
        node.put("projectId", PROJECT).put("jobId", jobId).put("location", LOCATION);
    }

    /** A query job: pending while held, then DONE with a result or an error. */
    private final class Job
    {
        private final String id;
        private final JsonNode configuration;
        private final String sql;
        private final List<Value> parameters;
        private final Long maximumBytesBilled;
        private final long created = System.currentTimeMillis();
        private boolean started;
        private boolean done;
        private Failure failure;
        private ZetaSqlEngine.Result result;
        private long bytesBilled;

        Job(String id, JsonNode configuration, String sql, List<Value> parameters, Long maximumBytesBilled)
        {
            this.id = requireNonNull(id, "id is null");
            this.configuration = configuration;
            this.sql = sql;
            this.parameters = parameters;
            this.maximumBytesBilled = maximumBytesBilled;
        }

        void runIfPending()
        {
            synchronized (this) {
                if (started || done) {
                    return;
                }
                started = true;
            }
            Failure injected = queryFailure;
            queryFailure = null;
            if (injected != null) {
                fail(injected);
                return;
            }
            try {
                ZetaSqlEngine.Result executed = engine.execute(sql, parameters);
                long billed = executed.bytesProcessed() == 0 ? 0 : Math.max(MINIMUM_BILLED_BYTES, roundUpToMegabyte(executed.bytesProcessed()));
                if (maximumBytesBilled != null && billed > maximumBytesBilled) {
                    fail(new Failure(400, "bytesBilledLimitExceeded",
                            "Query exceeded limit for bytes billed: " + maximumBytesBilled + ". " + billed + " or higher required."));
                    return;
                }
                synchronized (this) {
                    result = executed;
                    bytesBilled = billed;
                    done = true;
                    notifyAll();
                }
            }
            catch (SqlException | IllegalArgumentException e) {
                fail(new Failure(400, "invalidQuery", e.getMessage()));
            }
        }

        synchronized void fail(Failure failure)
        {
            if (!done) {
                this.failure = failure;
                done = true;
                notifyAll();
            }
        }

        void cancel()
        {
            fail(new Failure(400, "stopped", "Job execution was cancelled: User requested cancellation"));
        }

        synchronized void awaitDone(long millis)
        {
            long deadline = System.currentTimeMillis() + millis;
            while (!done && System.currentTimeMillis() < deadline) {
                try {
                    wait(Math.max(1, deadline - System.currentTimeMillis()));
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        synchronized ObjectNode resource()
        {
            ObjectNode resource = mapper.createObjectNode().put("kind", "bigquery#job").put("id", PROJECT + ":" + LOCATION + "." + id)
                    .put("user_email", "fixture@" + PROJECT + ".iam.gserviceaccount.com");
            reference(resource.putObject("jobReference"), id);
            ObjectNode configurationCopy = configuration.deepCopy();
            ObjectNode query = (ObjectNode) configurationCopy.path("query");
            reference(query.putObject("destinationTable"), ANONYMOUS_DATASET, "anon_" + id);
            configurationCopy.put("jobType", "QUERY");
            resource.set("configuration", configurationCopy);
            ObjectNode status = resource.putObject("status").put("state", done ? "DONE" : "RUNNING");
            if (failure != null) {
                ObjectNode error = status.putObject("errorResult").put("reason", failure.reason()).put("message", failure.message());
                status.putArray("errors").add(error.deepCopy());
            }
            ObjectNode statistics = resource.putObject("statistics").put("creationTime", Long.toString(created)).put("startTime", Long.toString(created));
            if (done) {
                statistics.put("endTime", Long.toString(System.currentTimeMillis()));
            }
            if (result != null) {
                statistics.put("totalBytesProcessed", Long.toString(result.bytesProcessed()));
                statistics.putObject("query").put("totalBytesProcessed", Long.toString(result.bytesProcessed()))
                        .put("totalBytesBilled", Long.toString(bytesBilled)).put("billingTier", 1).put("cacheHit", false)
                        .put("statementType", "SELECT").set("schema", schema(result.columns()));
            }
            return resource;
        }
    }

    private static long roundUpToMegabyte(long bytes)
    {
        long megabyte = 1024L * 1024;
        return (bytes + megabyte - 1) / megabyte * megabyte;
    }

    /** Adds tables to the fixture: columns with GoogleSQL types, rows of Java values. */
    public final class TableBuilder
    {
        private final String dataset;
        private final String name;
        private final List<FixtureColumn> columns = new ArrayList<>();
        private final List<List<Object>> rows = new ArrayList<>();
        private String kind = "TABLE";
        private String description;
        private String partitionColumn;
        private List<String> clustering = List.of();

        private TableBuilder(String dataset, String name)
        {
            this.dataset = requireNonNull(dataset, "dataset is null");
            this.name = requireNonNull(name, "name is null");
        }

        public TableBuilder column(String column, Type type)
        {
            return column(column, type, null);
        }

        public TableBuilder column(String column, Type type, String columnDescription)
        {
            columns.add(new FixtureColumn(column, type, false, columnDescription));
            return this;
        }

        /** A GEOGRAPHY column: WKT text (the reference implementation has no geography type). */
        public TableBuilder geographyColumn(String column)
        {
            columns.add(new FixtureColumn(column, com.google.zetasql.TypeFactory.createSimpleType(com.google.zetasql.ZetaSQLType.TypeKind.TYPE_STRING),
                    true, null));
            return this;
        }

        public TableBuilder row(Object... values)
        {
            rows.add(java.util.Arrays.asList(values));
            return this;
        }

        public TableBuilder rows(List<List<Object>> values)
        {
            rows.addAll(values);
            return this;
        }

        /** {@code TABLE}, {@code VIEW} or {@code MATERIALIZED_VIEW}. */
        public TableBuilder kind(String tableKind)
        {
            this.kind = tableKind;
            return this;
        }

        public TableBuilder description(String text)
        {
            this.description = text;
            return this;
        }

        public TableBuilder partitionedBy(String column)
        {
            this.partitionColumn = column;
            return this;
        }

        public TableBuilder clusteredBy(String... clusterColumns)
        {
            this.clustering = List.of(clusterColumns);
            return this;
        }

        /** Creates the table, or replaces one of the same name (its rows and its {@code lastModifiedTime}). */
        public void create()
        {
            List<List<Value>> values = new ArrayList<>();
            for (List<Object> row : rows) {
                List<Value> converted = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    converted.add(BigQueryValues.value(columns.get(i).type(), row.get(i)));
                }
                values.add(converted);
            }
            FixtureTable table = new FixtureTable(dataset, name, kind, columns, values, description, partitionColumn, clustering);
            engine.addTable(table);
            // a replaced table's time moves on even within the same millisecond
            lastModified.merge(table.path(), System.currentTimeMillis(), (before, now) -> Math.max(before + 1, now));
        }
    }

    private record Response(int status, JsonNode body)
    {
    }

    private static Response ok(JsonNode body)
    {
        return new Response(200, body);
    }

    /** BigQuery's error body: {@code {"error": {"code", "message", "errors": [{"reason", "message", "domain"}], "status"}}}. */
    private Response error(int status, String reason, String message)
    {
        ObjectNode body = mapper.createObjectNode();
        ObjectNode error = body.putObject("error").put("code", status).put("message", message);
        error.putArray("errors").addObject().put("message", message).put("domain", "global").put("reason", reason);
        error.put("status", switch (status) {
            case 400 -> "INVALID_ARGUMENT";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ALREADY_EXISTS";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 503 -> "UNAVAILABLE";
            default -> "INTERNAL";
        });
        return new Response(status, body);
    }

    private JsonNode body(HttpExchange exchange)
            throws IOException
    {
        InputStream in = exchange.getRequestBody();
        if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            in = new GZIPInputStream(in);
        }
        byte[] bytes = in.readAllBytes();
        return bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
    }

    private void send(HttpExchange exchange, Response response)
            throws IOException
    {
        byte[] bytes = mapper.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(String rawQuery)
    {
        Map<String, String> values = new HashMap<>();
        if (rawQuery == null) {
            return values;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            values.put(key, value);
        }
        return values;
    }
}
