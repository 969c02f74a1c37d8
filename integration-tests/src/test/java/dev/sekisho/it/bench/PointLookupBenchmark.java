package dev.sekisho.it.bench;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.it.TestingGateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

import static java.util.Objects.requireNonNull;

/**
 * Point lookup by primary key on {@code shop.customers}: directly over Connector/J to MariaDB,
 * and through the gateway with pgjdbc: prepared statements (extended protocol; the id bound with
 * {@code setInt}, matching the INT column, and with {@code setLong}), plain statements
 * with the id as a literal (the gateway's plan cache answers repeated texts), plain statements
 * whose text never repeats (Redash's annotation with a new Job ID, and the id as a literal: the
 * normalised statement hits the plan cache), and prepared statements through a second gateway
 * whose result cache holds {@code shop.customers} (after warm-up every lookup is a cache hit), and
 * literal statements through a third gateway that writes an audit file (the cost of the audit trail);
 * and through the gateway's Avatica front door with Avatica's remote driver (JDBC over HTTP,
 * protobuf), prepared as over pgjdbc; and alice's lookups of her own region's customers through a
 * fifth gateway whose policy nulls {@code email} and filters {@code region = :user.region}, beside
 * the same rewrite by hand and the SQL that gateway sends MariaDB, both run directly.
 * Prints a Markdown table of p50/p99/mean latency and throughput, single client and concurrent
 * clients, all in one run against one MariaDB.
 *
 * <p>Not a test (Surefire ignores it): run {@code bench/point-lookup.sh}. Options:
 * {@code --iterations N} (default 20000), {@code --warmup N} (5000), {@code --threads N}
 * (8; 0 skips the concurrent runs).
 */
public final class PointLookupBenchmark
{
    private static final String DIRECT_SQL = "select id, name, email, phone, region from customers where id = ?";
    private static final String GATEWAY_SQL = "select id, name, email, phone, region from shop.customers where id = ?";

    private final TestingGateway gateway;
    private final long minId;
    private final long maxId;
    private Gateway cachingGateway;
    private Gateway auditingGateway;
    private Gateway propertiesGateway;
    private Gateway policedGateway;
    private long[] regionJpIds;
    private String driverProperties = "";
    /** Gateways of {@code --gateway-configs}, by their extra YAML, started on first use. */
    private final Map<String, Gateway> configuredGateways = new HashMap<>();

    private PointLookupBenchmark(TestingGateway gateway, long minId, long maxId)
    {
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.minId = minId;
        this.maxId = maxId;
    }

    public static void main(String[] args)
            throws Exception
    {
        Options options = Options.parse(args);
        // the source pool as shipped (no leak detection, whose per-borrow timer task the tests' pool pays), unless -D says otherwise
        if (System.getProperty(TestingGateway.POOL_PROPERTY) == null) {
            System.setProperty(TestingGateway.POOL_PROPERTY, "{}");
        }
        System.err.println("Source pool settings of the gateways: " + System.getProperty(TestingGateway.POOL_PROPERTY));
        int exitCode = 0;
        try {
            long started = System.nanoTime();
            TestingGateway gateway = TestingGateway.shared();
            System.err.printf(Locale.ROOT, "MariaDB and gateway started in %.1f s%n", (System.nanoTime() - started) / 1e9);
            long[] range = idRange(gateway);
            new PointLookupBenchmark(gateway, range[0], range[1]).run(options);
        }
        catch (Exception | Error e) {
            e.printStackTrace();
            exitCode = 1;
        }
        // the shutdown hook of TestingGateway stops the gateway and MariaDB
        System.exit(exitCode);
    }

    private void run(Options options)
            throws Exception
    {
        List<Path> paths = List.of(
                new Path("direct: Connector/J prepared", "MariaDB", this::directPrepared),
                new Path("gateway: pgjdbc prepared, setInt (extended protocol)", "gateway", () -> gatewayPrepared(false)),
                new Path("gateway: pgjdbc prepared, setLong (int8 parameter, int column)", "gateway", () -> gatewayPrepared(true)),
                new Path("gateway: Avatica prepared, setInt (JDBC over HTTP, protobuf)", "gateway", this::avaticaPrepared),
                new Path("gateway: pgjdbc statement, literal id (plan cache hit)", "gateway", this::gatewayLiteral),
                new Path("gateway: pgjdbc statement, Redash annotation and id change every call (normalised: plan cache hit)", "gateway",
                        this::gatewayUniqueText),
                new Path("gateway with result cache: pgjdbc prepared, setInt (result-cache hit)", "gateway", this::cachedPrepared),
                new Path("gateway with an audit file: pgjdbc statement, literal id (every statement an audit event)", "gateway", this::auditedLiteral),
                new Path("direct: Connector/J prepared, masked + row-filtered, the rewrite by hand (region JP ids)", "gateway", this::directMasked),
                new Path("direct: Connector/J prepared, masked + row-filtered, the SQL the gateway sends (region JP ids)", "gateway", this::directMaskedAsGateway),
                new Path("direct: Connector/J prepared, masked + row-filtered, the policy's derived table the gateway sent before (region JP ids)", "gateway",
                        this::directMaskedAsDerivedTable),
                new Path("gateway with a policy: pgjdbc prepared, setInt, masked + row-filtered (alice, region JP ids)", "gateway",
                        this::policedPrepared));
        if (!options.driverProperties().isEmpty()) {
            driverProperties = options.driverProperties();
            paths = new ArrayList<>(paths);
            paths.add(new Path("gateway with Connector/J " + driverProperties + ": pgjdbc prepared, setInt", "gateway", () -> propertiesPrepared()));
            paths.add(new Path("gateway with Connector/J " + driverProperties + ": pgjdbc statement, Redash annotation", "gateway",
                    () -> propertiesUniqueText()));
        }
        for (String config : options.gatewayConfigs()) {
            paths = new ArrayList<>(paths);
            paths.add(new Path("gateway with `" + config + "`: pgjdbc prepared, setInt (extended protocol)", "gateway",
                    () -> preparedOn(TestingGateway.connect(configuredGateway(config), "alice"))));
            paths.add(new Path("gateway with `" + config + "`: pgjdbc statement, Redash annotation and id change every call", "gateway",
                    () -> redashOn(TestingGateway.connect(configuredGateway(config), "alice"))));
        }
        List<Path> chosen = paths.stream()
                .filter(path -> path.target().equals("MariaDB") || options.paths().isEmpty()
                        || options.paths().stream().anyMatch(part -> path.name().contains(part)))
                .toList();

        List<Integer> clientCounts = options.clients().isEmpty()
                ? (options.threads() > 1 ? List.of(1, options.threads()) : List.of(1))
                : options.clients();
        // every round runs every path again in this JVM: the first round also measures the JIT compiling the gateway
        for (int round = 1; round <= options.rounds(); round++) {
            List<Result> results = runRound(chosen, clientCounts, options);
            System.out.printf(Locale.ROOT, "%n### Round %d of %d%n", round, options.rounds());
            System.out.println(markdown(results, options));
        }
    }

    private List<Result> runRound(List<Path> chosen, List<Integer> clientCounts, Options options)
            throws Exception
    {
        List<Result> results = new ArrayList<>();
        for (int clients : clientCounts) {
            for (Path path : chosen) {
                int iterations = Math.max(1, options.iterations() / clients);
                int warmup = options.warmup() / clients;
                // the time of day: to find a path's part of a profile recorded over the whole run
                System.err.printf(Locale.ROOT, "%tT %s: %d client(s) x (%d warm-up + %d calls)%n", new java.util.Date(), path.name(), clients, warmup,
                        iterations);
                results.add(measure(path, clients, warmup, iterations));
            }
        }
        return results;
    }

    private Result measure(Path path, int clients, int warmup, int iterations)
            throws Exception
    {
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        List<Lookup> lookups = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                lookups.add(path.factory().open());
            }
            // warm-up, all clients at once, then the timed part, all clients at once
            List<Callable<Calls>> warmups = new ArrayList<>();
            List<Callable<Calls>> timed = new ArrayList<>();
            for (Lookup lookup : lookups) {
                warmups.add(() -> calls(lookup, warmup));
                timed.add(() -> calls(lookup, iterations));
            }
            for (Future<Calls> future : executor.invokeAll(warmups)) {
                future.get();
            }
            long compilingBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            ProcessCpu.Sample cpuBefore = ProcessCpu.sample();
            long start = System.nanoTime();
            List<Future<Calls>> futures = executor.invokeAll(timed);
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessCpu.Sample cpu = ProcessCpu.sample().minus(cpuBefore);
            long compilingMillis = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compilingBefore;
            long[] all = new long[0];
            long clientCpuNanos = 0;
            for (Future<Calls> future : futures) {
                long[] latencies = future.get().latencies();
                clientCpuNanos += future.get().clientCpuNanos();
                long[] merged = Arrays.copyOf(all, all.length + latencies.length);
                System.arraycopy(latencies, 0, merged, all.length, latencies.length);
                all = merged;
            }
            Arrays.sort(all);
            return new Result(path, clients, all.length, percentile(all, 0.50), percentile(all, 0.99),
                    Arrays.stream(all).average().orElse(0), all.length / seconds, cpu, compilingMillis, clientCpuNanos);
        }
        finally {
            executor.shutdownNow();
            for (Lookup lookup : lookups) {
                lookup.close();
            }
        }
    }

    /** One client's calls: their latencies, and the CPU the client's own thread spent on them (its driver's work). */
    private record Calls(long[] latencies, long clientCpuNanos) {}

    private Calls calls(Lookup lookup, int count)
            throws SQLException
    {
        long cpuBefore = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        long[] latencies = new long[count];
        for (int call = 0; call < count; call++) {
            long id = randomId();
            long start = System.nanoTime();
            lookup.run(id);
            latencies[call] = System.nanoTime() - start;
        }
        return new Calls(latencies, ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpuBefore);
    }

    private long randomId()
    {
        return ThreadLocalRandom.current().nextLong(minId, maxId + 1);
    }

    private Lookup directPrepared()
            throws SQLException
    {
        Connection connection = gateway.connectDirect("shop");
        PreparedStatement statement = connection.prepareStatement(DIRECT_SQL);
        return new Lookup()
        {
            @Override
            public void run(long id)
                    throws SQLException
            {
                statement.setLong(1, id);
                try (ResultSet resultSet = statement.executeQuery()) {
                    consume(resultSet, id);
                }
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private Lookup gatewayPrepared(boolean bindAsLong)
            throws SQLException
    {
        // pgjdbc's default prepareThreshold (5): from the fifth execution on, a named server-side statement
        Connection connection = gateway.connect("alice");
        PreparedStatement statement = connection.prepareStatement(GATEWAY_SQL);
        return new Lookup()
        {
            @Override
            public void run(long id)
                    throws SQLException
            {
                if (bindAsLong) {
                    statement.setLong(1, id);
                }
                else {
                    statement.setInt(1, Math.toIntExact(id));
                }
                try (ResultSet resultSet = statement.executeQuery()) {
                    consume(resultSet, id);
                }
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private Lookup avaticaPrepared()
            throws SQLException
    {
        // Avatica's remote driver: a prepare request once, then one execute request (HTTP POST) per lookup
        Connection connection = TestingGateway.connectAvatica(gateway.gateway(), "alice");
        PreparedStatement statement = connection.prepareStatement(GATEWAY_SQL);
        return new Lookup()
        {
            @Override
            public void run(long id)
                    throws SQLException
            {
                statement.setInt(1, Math.toIntExact(id));
                try (ResultSet resultSet = statement.executeQuery()) {
                    consume(resultSet, id);
                }
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private Lookup gatewayLiteral()
            throws SQLException
    {
        return gatewayStatement(id -> GATEWAY_SQL.replace("?", Long.toString(id)));
    }

    private Lookup gatewayUniqueText()
            throws SQLException
    {
        AtomicLong counter = new AtomicLong();
        String run = Long.toString(System.nanoTime(), 36);
        // Redash's annotate_query: a new Job ID on every run
        return gatewayStatement(id -> "/* Username: analyst@example.com, query_id: adhoc, Queue: queries, Job ID: " + run + "-" + counter.incrementAndGet()
                + ", Query Hash: 5d41402abc4b2a76b9719d911017c592, Scheduled: False */ " + GATEWAY_SQL.replace("?", Long.toString(id)));
    }

    /** A second gateway on the same MariaDB that caches shop.customers for a minute. */
    private synchronized Gateway cachingGateway()
    {
        if (cachingGateway == null) {
            cachingGateway = gateway.startGatewayWith("result_cache: {tables: {shop.customers: 60s}}", null);
        }
        return cachingGateway;
    }

    /** A third gateway on the same MariaDB that writes an audit file: what building and writing each statement's event costs. */
    private synchronized Gateway auditingGateway()
            throws IOException
    {
        if (auditingGateway == null) {
            java.nio.file.Path file = Files.createTempDirectory("sekisho-bench-audit").resolve("audit.jsonl");
            auditingGateway = gateway.startGatewayWith("audit: {file: " + TestingGateway.yamlString(file) + "}", null);
        }
        return auditingGateway;
    }

    private Lookup auditedLiteral()
            throws SQLException
    {
        try {
            return statementOn(TestingGateway.connect(auditingGateway(), "alice"), id -> GATEWAY_SQL.replace("?", Long.toString(id)));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fourth gateway on the same MariaDB whose source connections have the Connector/J properties of {@code --driver-properties}. */
    private synchronized Gateway propertiesGateway()
    {
        if (propertiesGateway == null) {
            StringBuilder yaml = new StringBuilder("{");
            for (String pair : driverProperties.split(",")) {
                String[] nameValue = pair.split("=", 2);
                yaml.append(yaml.length() > 1 ? ", " : "").append(nameValue[0].strip()).append(": \"").append(nameValue[1].strip()).append('"');
            }
            propertiesGateway = gateway.startGatewayWithDriverProperties(yaml.append('}').toString());
        }
        return propertiesGateway;
    }

    private Lookup propertiesPrepared()
            throws SQLException
    {
        return preparedOn(TestingGateway.connect(propertiesGateway(), "alice"));
    }

    /** A gateway on the same MariaDB, without policies, with this extra YAML in its configuration (A/B runs of two settings). */
    private synchronized Gateway configuredGateway(String extraYaml)
    {
        return configuredGateways.computeIfAbsent(extraYaml, yaml -> gateway.startGatewayWith(yaml, null));
    }

    private Lookup propertiesUniqueText()
            throws SQLException
    {
        return redashOn(TestingGateway.connect(propertiesGateway(), "alice"));
    }

    private static Lookup redashOn(Connection connection)
            throws SQLException
    {
        AtomicLong counter = new AtomicLong();
        String run = Long.toString(System.nanoTime(), 36);
        return statementOn(connection, id -> "/* Username: analyst@example.com, query_id: adhoc, Queue: queries, Job ID: "
                + run + "-" + counter.incrementAndGet() + ", Query Hash: 5d41402abc4b2a76b9719d911017c592, Scheduled: False */ "
                + GATEWAY_SQL.replace("?", Long.toString(id)));
    }

    /** A fifth gateway on the same MariaDB whose policy nulls alice's {@code email} and shows her only her region's rows (JP), as in the suite. */
    private synchronized Gateway policedGateway()
            throws IOException
    {
        if (policedGateway == null) {
            java.nio.file.Path policyDir = BenchPolicy.write("shop.customers", List.of());
            policedGateway = gateway.startGatewayWith("", policyDir);
        }
        return policedGateway;
    }

    /** The ids alice sees under the policy (region JP): each lookup maps its random id onto one of them. */
    private synchronized long[] regionJpIds()
            throws SQLException
    {
        if (regionJpIds == null) {
            List<Long> ids = new ArrayList<>();
            try (Connection connection = gateway.connectDirect("shop");
                    Statement statement = connection.createStatement();
                    ResultSet resultSet = statement.executeQuery("select id from customers where region = 'JP' order by id")) {
                while (resultSet.next()) {
                    ids.add(resultSet.getLong(1));
                }
            }
            regionJpIds = ids.stream().mapToLong(Long::longValue).toArray();
        }
        return regionJpIds;
    }

    private Lookup directMasked()
            throws SQLException
    {
        Connection connection = gateway.connectDirect("shop");
        return maskedOn(connection, connection.prepareStatement("select id, name, NULL AS email, phone, region from customers where id = ? and region = 'JP'"));
    }

    /** The statement the policed gateway sends MariaDB for the masked lookup (its general log shows it), run directly: MariaDB's part of the gap. */
    private Lookup directMaskedAsGateway()
            throws SQLException
    {
        Connection connection = gateway.connectDirect("shop");
        return maskedOn(connection, connection.prepareStatement("SELECT `id`, `name`, CAST(NULL AS CHAR(200)) AS `email`, `phone`, `region` FROM `shop`.`customers`"
                + " WHERE `region` = 'JP' AND CAST(CAST(`region` AS CHAR) AS BINARY) = CAST('JP' AS BINARY) AND `id` = ?"));
    }

    /** The statement the policed gateway sent MariaDB before its SQL merged the policy's derived table into one SELECT, run directly. */
    private Lookup directMaskedAsDerivedTable()
            throws SQLException
    {
        Connection connection = gateway.connectDirect("shop");
        return maskedOn(connection, connection.prepareStatement("SELECT `id`, `name`, `email`, `phone`, `region` FROM (SELECT `id`, `name`,"
                + " CAST(NULL AS CHAR(200)) AS `email`, `phone`, `region`, `segment`, `birth_date`, `created_at`, `is_active` FROM `shop`.`customers`"
                + " WHERE `region` = 'JP' AND CAST(CAST(`region` AS CHAR) AS BINARY) = CAST('JP' AS BINARY)) AS `t0` WHERE `id` = ?"));
    }

    private Lookup policedPrepared()
            throws SQLException
    {
        try {
            Connection connection = TestingGateway.connect(policedGateway(), "alice");
            explainOnce(connection);
            return maskedOn(connection, connection.prepareStatement(GATEWAY_SQL));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean explained;

    /** The source SQL the policy made of the statement, on stderr beside the timings. */
    private synchronized void explainOnce(Connection connection)
            throws SQLException
    {
        if (explained) {
            return;
        }
        explained = true;
        // the statement MariaDB receives, from its general log for the time of one lookup
        try (Connection direct = gateway.connectDirect("shop");
                Statement log = direct.createStatement();
                PreparedStatement lookup = connection.prepareStatement(GATEWAY_SQL)) {
            log.execute("SET GLOBAL log_output = 'TABLE'");
            log.execute("SET GLOBAL general_log = 1");
            lookup.setInt(1, Math.toIntExact(regionJpIds()[0]));
            lookup.executeQuery().close();
            log.execute("SET GLOBAL general_log = 0");
            try (ResultSet resultSet = log.executeQuery("SELECT argument FROM mysql.general_log WHERE argument LIKE '%customers%' AND argument NOT LIKE '%general_log%'")) {
                while (resultSet.next()) {
                    System.err.println("  MariaDB received: " + resultSet.getString(1));
                }
            }
            log.execute("TRUNCATE TABLE mysql.general_log");
        }
    }

    private Lookup maskedOn(Connection connection, PreparedStatement statement)
            throws SQLException
    {
        long[] ids = regionJpIds();
        return new Lookup()
        {
            @Override
            public void run(long id)
                    throws SQLException
            {
                long visible = ids[(int) ((id - minId) % ids.length)];
                statement.setInt(1, Math.toIntExact(visible));
                try (ResultSet resultSet = statement.executeQuery()) {
                    if (!resultSet.next() || resultSet.getLong(1) != visible || resultSet.getString(3) != null || !"JP".equals(resultSet.getString(5))) {
                        throw new IllegalStateException("customer " + visible + ": no JP row with the email nulled");
                    }
                    resultSet.getString(2);
                    resultSet.getString(4);
                    if (resultSet.next()) {
                        throw new IllegalStateException("two customers with id " + visible);
                    }
                }
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private Lookup cachedPrepared()
            throws SQLException
    {
        return preparedOn(TestingGateway.connect(cachingGateway(), "alice"));
    }

    private static Lookup preparedOn(Connection connection)
            throws SQLException
    {
        PreparedStatement statement = connection.prepareStatement(GATEWAY_SQL);
        return new Lookup()
        {
            @Override
            public void run(long id)
                    throws SQLException
            {
                statement.setInt(1, Math.toIntExact(id));
                try (ResultSet resultSet = statement.executeQuery()) {
                    consume(resultSet, id);
                }
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private Lookup gatewayStatement(LongFunction<String> sqlForId)
            throws SQLException
    {
        return statementOn(gateway.connect("alice"), sqlForId);
    }

    private static Lookup statementOn(Connection connection, LongFunction<String> sqlForId)
            throws SQLException
    {
        Statement statement = connection.createStatement();
        return new Lookup()
        {
            @Override
            public void run(long id)
                    throws SQLException
            {
                try (ResultSet resultSet = statement.executeQuery(sqlForId.apply(id))) {
                    consume(resultSet, id);
                }
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private static void consume(ResultSet resultSet, long id)
            throws SQLException
    {
        if (!resultSet.next()) {
            throw new IllegalStateException("no customer with id " + id);
        }
        if (resultSet.getLong(1) != id) {
            throw new IllegalStateException("asked for customer " + id + ", got " + resultSet.getLong(1));
        }
        for (int column = 2; column <= resultSet.getMetaData().getColumnCount(); column++) {
            resultSet.getString(column);
        }
        if (resultSet.next()) {
            throw new IllegalStateException("two customers with id " + id);
        }
    }

    private static long[] idRange(TestingGateway gateway)
            throws SQLException
    {
        try (Connection connection = gateway.connectDirect("shop");
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select min(id), max(id), count(*) from customers")) {
            resultSet.next();
            long min = resultSet.getLong(1);
            long max = resultSet.getLong(2);
            if (resultSet.getLong(3) != max - min + 1) {
                throw new IllegalStateException("customer ids are not dense; random ids would miss");
            }
            return new long[] {min, max};
        }
    }

    private static double percentile(long[] sorted, double quantile)
    {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String markdown(List<Result> results, Options options)
    {
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "%n%s, %d cores, Java %s (%s), load average %.2f%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        table.append(String.format(Locale.ROOT, "%nPoint lookup by primary key on shop.customers (latencies in ms; %d warm-up calls per path)%n%n", options.warmup()));
        table.append("| path | clients | calls | p50 | p99 | mean | throughput (calls/s) | p50 / direct | throughput / direct "
                + "| CPU µs/call: JVM | of which the client threads | CPU µs/call: MariaDB | direct CPU / this CPU | JIT ms |\n");
        table.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Result result : results) {
            Result direct = results.stream()
                    .filter(candidate -> candidate.clients() == result.clients() && candidate.path().target().equals("MariaDB"))
                    .findFirst()
                    .orElseThrow();
            table.append(String.format(Locale.ROOT, "| %s | %d | %,d | %.3f | %.3f | %.3f | %,.0f | %.2fx | %.2fx | %s | %s | %s | %s | %,d |%n",
                    result.path().name(),
                    result.clients(),
                    result.calls(),
                    result.p50Nanos() / 1e6,
                    result.p99Nanos() / 1e6,
                    result.meanNanos() / 1e6,
                    result.throughput(),
                    result.p50Nanos() / direct.p50Nanos(),
                    result.throughput() / direct.throughput(),
                    ProcessCpu.perCall(result.cpu().jvmNanos(), result.calls()),
                    ProcessCpu.perCall(result.clientCpuNanos(), result.calls()),
                    ProcessCpu.perCall(result.cpu().mariadbNanos(), result.calls()),
                    result.totalCpuPerCall() <= 0 || direct.totalCpuPerCall() <= 0
                            ? "n/a"
                            : String.format(Locale.ROOT, "%.2fx", direct.totalCpuPerCall() / result.totalCpuPerCall()),
                    result.compilingMillis()));
        }
        table.append(String.format(Locale.ROOT, "%nCPU per call: this JVM's process CPU (clients, gateway and direct driver) and the embedded MariaDB's, "
                + "over the timed calls (the client threads' part: the benchmark's own threads running the driver, pgjdbc, Avatica's or Connector/J, "
                + "measured by their thread CPU; the rest of the JVM's is the gateway's, GC and JIT); on a saturated machine the throughput ratio tends to the CPU ratio. JIT ms: the JIT compilers' time "
                + "during the timed calls (counted in the JVM's CPU; a round whose gateway paths still compile is a warm-up round).%n"));
        return table.toString();
    }

    /** One way to look a customer up; holds its connection. */
    private interface Lookup
            extends AutoCloseable
    {
        void run(long id)
                throws SQLException;

        @Override
        void close()
                throws SQLException;
    }

    private interface LookupFactory
    {
        Lookup open()
                throws SQLException;
    }

    private record Path(String name, String target, LookupFactory factory) {}

    private record Result(Path path, int clients, int calls, double p50Nanos, double p99Nanos, double meanNanos, double throughput, ProcessCpu.Sample cpu,
            long compilingMillis, long clientCpuNanos)
    {
        /** CPU of this JVM and of MariaDB per call, or -1 when MariaDB's could not be read. */
        double totalCpuPerCall()
        {
            return cpu.mariadbNanos() < 0 ? -1 : (double) (cpu.jvmNanos() + cpu.mariadbNanos()) / calls;
        }
    }

    /**
     * @param paths parts of path names to run (empty: all); the direct path always runs
     * @param clients the client counts to run each path with (empty: 1, then {@code threads})
     * @param driverProperties Connector/J properties ({@code name=value,...}) for two more paths through a gateway that sets them; empty for none
     * @param gatewayConfigs extra YAML for gateways without policies, each with two more paths (e.g. an A/B of {@code protocol: {io_transport: nio}})
     */
    private record Options(int iterations, int warmup, int threads, List<String> paths, List<Integer> clients, String driverProperties, int rounds,
            List<String> gatewayConfigs)
    {
        static Options parse(String[] args)
        {
            int iterations = 20_000;
            int warmup = 5_000;
            int threads = 8;
            List<String> paths = List.of();
            List<Integer> clients = List.of();
            String driverProperties = "";
            int rounds = 2;
            List<String> gatewayConfigs = List.of();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    System.out.println("usage: PointLookupBenchmark [--iterations N] [--warmup N] [--threads N] [--clients N,M] [--paths part,part]"
                            + " [--driver-properties name=value,...] [--rounds N] [--gateway-configs 'yaml;yaml']");
                    System.exit(0);
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                String text = args[++i];
                switch (name) {
                    case "--iterations" -> iterations = Integer.parseInt(text);
                    case "--warmup" -> warmup = Integer.parseInt(text);
                    case "--threads" -> threads = Integer.parseInt(text);
                    case "--paths" -> paths = Arrays.stream(text.split(",")).map(String::strip).filter(part -> !part.isEmpty()).toList();
                    case "--clients" -> clients = Arrays.stream(text.split(",")).map(String::strip).map(Integer::valueOf).toList();
                    case "--driver-properties" -> driverProperties = text.strip();
                    case "--rounds" -> rounds = Integer.parseInt(text);
                    case "--gateway-configs" -> gatewayConfigs = Arrays.stream(text.split(";")).map(String::strip).filter(part -> !part.isEmpty()).toList();
                    default -> throw new IllegalArgumentException("unknown option " + name + "; try --help");
                }
            }
            if (iterations < 1 || warmup < 0 || threads < 0 || rounds < 1 || clients.stream().anyMatch(count -> count < 1)) {
                throw new IllegalArgumentException("iterations, rounds and clients must be positive, warm-up and threads not negative");
            }
            return new Options(iterations, warmup, threads, paths, clients, driverProperties, rounds, gatewayConfigs);
        }
    }
}
