package dev.sekisho.it.bench;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.it.TestingGateway;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * The benchmark suite of issue 13: every case through the gateway (pgjdbc) beside the same query
 * run directly over Connector/J against the same MariaDB in the same run, with the ratios. Data
 * is generated deterministically in the embedded MariaDB's {@code it} database (MariaDB's
 * sequence engine): {@code bench_customers} (1M by default), {@code bench_orders} (5M) and
 * {@code bench_events} (10M, for the stream). Cases: the Redash-annotated literal point lookup
 * (simple protocol, a new Job ID every call), the prepared point lookup, the masked and
 * row-filtered lookup (direct: the same rewrite by hand), a 1,000-row range scan, a grouped
 * aggregate over all orders, a join, a result-cache hit, cold planning of new 4-table join shapes,
 * and rows/s of the 10M-row stream with the JVM's peak heap.
 *
 * <p>Not a test: run {@code bench/suite.sh} (see docs/benchmarks.md). The client, the gateway and
 * the benchmark share one JVM; MariaDB is its own process.
 */
public final class SuiteBenchmark
{
    private static final String COLUMNS = "id, name, email, phone, region";
    /** A Redash annotation, as {@code annotate_query} writes it; the Job ID changes on every call. */
    private static final String REDASH = "/* Username: analyst@example.com, query_id: adhoc, Queue: queries, Job ID: %s, Query Hash: 5d41402abc4b2a76b9719d911017c592,"
            + " Scheduled: False */ ";

    private final TestingGateway testing;
    private final Options options;
    private final List<Row> rows = new ArrayList<>();
    /** Per stream round, its CPU per row by thread group. */
    private final List<String> streamThreads = new ArrayList<>();
    private final AtomicLong jobs = new AtomicLong();
    private Gateway plain;
    private Gateway policed;
    private Gateway caching;
    /**
     * With --stream-read-ahead-ab: a gateway that does not read suspended portals ahead ({@code protocol.read_ahead_bytes: 0}), streamed in
     * the same rounds as the plain gateway, which does (the default); else null.
     */
    private Gateway readAheadOff;
    private int streamRound;
    /** Rows per batch of the timed reads through the gateways (pgjdbc's fetch size). */
    private static final int STREAM_FETCH_SIZE = 10_000;
    /** Rows per batch of the warm-up's reads through the gateways, all but the last. */
    private static final int WARMUP_FETCH_SIZE = 100;

    /** The JIT compiler's time during the current round's direct read, in ms. */
    private long directCompileMillis;

    private SuiteBenchmark(TestingGateway testing, Options options)
    {
        this.testing = requireNonNull(testing, "testing is null");
        this.options = requireNonNull(options, "options is null");
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
            TestingGateway testing = TestingGateway.shared();
            new SuiteBenchmark(testing, options).run();
        }
        catch (Exception | Error e) {
            e.printStackTrace();
            exitCode = 1;
        }
        // TestingGateway's shutdown hook stops its gateway and MariaDB
        System.exit(exitCode);
    }

    private void run()
            throws Exception
    {
        double loadBefore = load();
        generate();
        Path policyDir = BenchPolicy.write("it.bench_customers", List.of("it.bench_orders", "it.bench_events"));
        // started after the data exists, so their catalogs hold the bench tables
        plain = testing.startGatewayWith("", null);
        if (options.streamOnly()) {
            if (options.streamReadAheadAb()) {
                readAheadOff = testing.startGatewayWith("protocol: {read_ahead_bytes: 0}", null);
            }
            try {
                warmUpStreams();
                for (int round = 0; round < options.streamRounds(); round++) {
                    stream();
                }
            }
            finally {
                plain.close();
                if (readAheadOff != null) {
                    readAheadOff.close();
                }
            }
            System.out.println(report(loadBefore, load()));
            return;
        }
        policed = testing.startGatewayWith("", policyDir);
        caching = testing.startGatewayWith("result_cache: {max_bytes: 268435456, tables: {it.bench_customers: 10m}}", null);
        try {
            pointLookups();
            scansAndJoins();
            coldPlanning();
            warmUpStreams();
            for (int round = 0; round < options.streamRounds(); round++) {
                stream();
            }
        }
        finally {
            plain.close();
            policed.close();
            caching.close();
        }
        System.out.println(report(loadBefore, load()));
    }

    /** Customers, orders and events from MariaDB's sequence engine: the same rows on every run. */
    private void generate()
            throws SQLException
    {
        long started = System.nanoTime();
        try (Connection direct = testing.connectDirect("it"); Statement statement = direct.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench_customers, bench_orders, bench_events");
            statement.execute("CREATE TABLE bench_customers (id INT PRIMARY KEY, name VARCHAR(64) NOT NULL, email VARCHAR(64), phone VARCHAR(20),"
                    + " region CHAR(2) NOT NULL)");
            statement.execute("CREATE TABLE bench_orders (id INT PRIMARY KEY, customer_id INT NOT NULL, amount DECIMAL(10,2) NOT NULL,"
                    + " status VARCHAR(10) NOT NULL, ordered_on DATE NOT NULL, KEY (customer_id))");
            statement.execute("CREATE TABLE bench_events (id BIGINT PRIMARY KEY, customer_id INT NOT NULL, kind VARCHAR(8) NOT NULL)");
            chunks(statement, options.customers(), (from, to) -> "INSERT INTO bench_customers SELECT seq, CONCAT('customer ', seq), CONCAT('c', seq, '@example.com'),"
                    + " CONCAT('+81-', LPAD(seq, 9, '0')), ELT(1 + seq % 4, 'JP', 'US', 'EU', 'BR') FROM seq_" + from + "_to_" + to);
            chunks(statement, options.orders(), (from, to) -> "INSERT INTO bench_orders SELECT seq, 1 + (seq * 7919) % " + options.customers()
                    + ", (seq * 31) % 100000 / 100, ELT(1 + seq % 3, 'new', 'paid', 'shipped'), '2025-01-01' + INTERVAL (seq % 365) DAY FROM seq_" + from + "_to_" + to);
            chunks(statement, options.streamRows(), (from, to) -> "INSERT INTO bench_events SELECT seq, 1 + seq % " + options.customers()
                    + ", ELT(1 + seq % 3, 'view', 'click', 'buy') FROM seq_" + from + "_to_" + to);
            statement.execute("ANALYZE TABLE bench_customers, bench_orders, bench_events");
        }
        System.err.printf(Locale.ROOT, "generated %,d customers, %,d orders, %,d events in %.0f s%n", options.customers(), options.orders(), options.streamRows(),
                (System.nanoTime() - started) / 1e9);
    }

    private interface ChunkSql
    {
        String of(long from, long to);
    }

    private static void chunks(Statement statement, long rows, ChunkSql sql)
            throws SQLException
    {
        for (long from = 1; from <= rows; from += 1_000_000) {
            statement.execute(sql.of(from, Math.min(rows, from + 999_999)));
        }
    }

    private void pointLookups()
            throws Exception
    {
        int customers = options.customers();
        String lookup = "SELECT " + COLUMNS + " FROM it.bench_customers WHERE id = ";
        String directLookup = "SELECT " + COLUMNS + " FROM bench_customers WHERE id = ";
        for (int clients : options.clientCounts()) {
            compare("Redash-annotated literal point lookup (simple protocol)", clients, options.iterations(),
                    () -> literal(plain, "alice", id -> REDASH.formatted(jobs.incrementAndGet()) + lookup + id, customers),
                    () -> directLiteral(id -> REDASH.formatted(jobs.incrementAndGet()) + directLookup + id, customers));
            compare("prepared point lookup", clients, options.iterations(),
                    () -> prepared(plain, "alice", lookup + "?", customers, 1),
                    () -> directPrepared(directLookup + "?", customers, 1));
            // alice sees region JP (ids divisible by 4) with email nulled; direct: the same rewrite by hand
            compare("masked + row-filtered point lookup (direct: the rewrite by hand)", clients, options.iterations(),
                    () -> prepared(policed, "alice", lookup + "?", customers / 4, 4),
                    () -> directPrepared("SELECT id, name, NULL AS email, phone, region FROM bench_customers WHERE id = ? AND region = 'JP'", customers / 4, 4));
            // the hot set: 1,000 customers, all cached after the warm-up
            compare("result-cache hit (prepared lookup over 1,000 hot ids)", clients, options.iterations(),
                    () -> prepared(caching, "alice", lookup + "?", 1000, 1),
                    () -> directPrepared(directLookup + "?", 1000, 1));
        }
    }

    private void scansAndJoins()
            throws Exception
    {
        int customers = options.customers();
        int scans = Math.max(10, options.iterations() / 20);
        for (int clients : options.clientCounts()) {
            compare("1,000-row range scan", clients, scans,
                    () -> rangeScan(plain, customers),
                    () -> directRangeScan(customers));
            compare("join: orders of 100 customers with their customers, grouped by status", clients, scans,
                    () -> prepared(plain, "alice", "SELECT o.status, count(*), sum(o.amount) FROM it.bench_orders o JOIN it.bench_customers c ON c.id = o.customer_id"
                            + " WHERE c.id BETWEEN ? AND ? + 99 GROUP BY o.status", customers - 100, 1),
                    () -> directPrepared("SELECT o.status, count(*), sum(o.amount) FROM bench_orders o JOIN bench_customers c ON c.id = o.customer_id"
                            + " WHERE c.id BETWEEN ? AND ? + 99 GROUP BY o.status", customers - 100, 1));
        }
        compare("grouped aggregate over all orders", 1, options.heavyIterations(), 1,
                () -> literal(plain, "alice", id -> "SELECT status, count(*), sum(amount), min(ordered_on), max(ordered_on) FROM it.bench_orders GROUP BY status", 1),
                () -> directLiteral(id -> "SELECT status, count(*), sum(amount), min(ordered_on), max(ordered_on) FROM bench_orders GROUP BY status", 1));
    }

    /** New 4-table join shapes (each column list unseen before): what planning costs when the plan cache cannot help. */
    private void coldPlanning()
            throws Exception
    {
        AtomicLong shapes = new AtomicLong();
        String shape = "SELECT c.id AS k%1$d, o.amount AS a%1$d, c2.region AS r%1$d, o2.status AS s%1$d FROM %2$sbench_customers c"
                + " JOIN %2$sbench_orders o ON o.customer_id = c.id JOIN %2$sbench_customers c2 ON c2.id = o.customer_id"
                + " JOIN %2$sbench_orders o2 ON o2.id = o.id WHERE c.id = %3$d";
        compare("cold planning: a new 4-table join shape per call", 1, options.coldShapes(),
                () -> literal(plain, "alice", id -> shape.formatted(shapes.incrementAndGet(), "it.", id), options.customers()),
                () -> directLiteral(id -> shape.formatted(shapes.incrementAndGet(), "", id), options.customers()));
    }

    /**
     * Streams the first {@code --stream-warmup-rows} rows directly and through each gateway,
     * untimed, in {@code --stream-warmup-runs} statements of equal length, so that the first timed
     * round does not measure the JIT compiling one path's code while the other's is compiled
     * already: every part of a statement's run (its start, its suspended batches, its end) is seen
     * by the JIT several times, as it is in a gateway that has run for a while. Through the
     * gateways the warm-up reads in batches of {@link #WARMUP_FETCH_SIZE} rows, so that the code run
     * once per batch (an Execute, a flush, a buffer) runs thousands of times, as per-row code does,
     * and is compiled too: at the timed rounds' 10,000 rows a batch it would reach the JIT's
     * thresholds only during them; its last read is in the timed rounds' batches.
     */
    private void warmUpStreams()
            throws Exception
    {
        if (options.streamWarmupRows() == 0) {
            return;
        }
        int runs = options.streamWarmupRuns();
        String sql = "SELECT id, customer_id, kind FROM %sbench_events LIMIT " + Math.max(1, options.streamWarmupRows() / runs);
        for (int run = 0; run < runs; run++) {
            try (Connection connection = testing.connectDirect("it");
                    Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(Integer.MIN_VALUE);
                drain(statement.executeQuery(sql.formatted("")));
            }
            for (Gateway gateway : readAheadOff == null ? List.of(plain) : List.of(plain, readAheadOff)) {
                try (Connection connection = TestingGateway.connect(gateway, "alice")) {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                        // the last warm-up read in the timed reads' batches, whose sizes the JIT then knows too
                        statement.setFetchSize(run == runs - 1 ? STREAM_FETCH_SIZE : WARMUP_FETCH_SIZE);
                        drain(statement.executeQuery(sql.formatted("it.")));
                    }
                    connection.commit();
                }
            }
        }
        System.err.printf(Locale.ROOT, "warmed up: %,d rows of the stream in %d statements directly and through each gateway%n", options.streamWarmupRows(), runs);
    }

    private void stream()
            throws Exception
    {
        String sql = "SELECT id, customer_id, kind FROM %sbench_events";
        streamRound++;
        long[] direct = new long[1];
        ThreadCpu.Sample directCpu = ThreadCpu.sample();
        long directCompileStart = compilationMillis();
        double directSeconds = timed(() -> {
            try (Connection connection = testing.connectDirect("it");
                    Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(Integer.MIN_VALUE);
                direct[0] = drain(statement.executeQuery(sql.formatted("")));
            }
        });
        ThreadCpu.Sample directEnd = ThreadCpu.sample();
        directCompileMillis = compilationMillis() - directCompileStart;
        long directCpuNanos = directEnd.process().minus(directCpu.process()).totalNanos();
        if (direct[0] != options.streamRows()) {
            throw new IllegalStateException("the stream returned " + direct[0] + " rows directly");
        }
        if (readAheadOff == null) {
            streamThroughGateway(plain, "", sql, direct[0] / directSeconds, directCpu, directEnd, directCpuNanos);
            return;
        }
        // A/B in one run: the order alternates between rounds, so that neither always runs warmer
        boolean offFirst = streamRound % 2 == 0;
        streamThroughGateway(offFirst ? readAheadOff : plain, offFirst ? ", read ahead off" : ", read ahead on", sql, direct[0] / directSeconds, directCpu,
                directEnd, directCpuNanos);
        streamThroughGateway(offFirst ? plain : readAheadOff, offFirst ? ", read ahead on" : ", read ahead off", sql, direct[0] / directSeconds, directCpu,
                directEnd, directCpuNanos);
    }

    /** The JIT compiler's time so far (all its threads), in ms; 0 where the JVM does not tell. */
    private static long compilationMillis()
    {
        java.lang.management.CompilationMXBean compilation = java.lang.management.ManagementFactory.getCompilationMXBean();
        return compilation != null && compilation.isCompilationTimeMonitoringSupported() ? compilation.getTotalCompilationTime() : 0;
    }

    private void streamThroughGateway(Gateway gateway, String label, String sql, double directRowsPerSecond, ThreadCpu.Sample directCpu,
            ThreadCpu.Sample directEnd, long directCpuNanos)
            throws Exception
    {
        long[] read = new long[1];
        resetPeaks();
        ThreadCpu.Sample gatewayCpu = ThreadCpu.sample();
        long gatewayCompileStart = compilationMillis();
        double gatewaySeconds = timed(() -> {
            try (Connection connection = TestingGateway.connect(gateway, "alice")) {
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.setFetchSize(STREAM_FETCH_SIZE);
                    read[0] = drain(statement.executeQuery(sql.formatted("it.")));
                }
                connection.commit();
            }
        });
        ThreadCpu.Sample gatewayEnd = ThreadCpu.sample();
        long gatewayCpuNanos = gatewayEnd.process().minus(gatewayCpu.process()).totalNanos();
        long gatewayCompileMillis = compilationMillis() - gatewayCompileStart;
        streamThreads.add(String.format(Locale.ROOT, "- round %d%s: gateway: %s (%,.0f ns of wall time per row); direct: %s; the JIT compiler's time during"
                        + " the read (in the rest of the JVM): gateway %,d ms, direct %,d ms", streamRound, label,
                ThreadCpu.perRow(gatewayCpu, gatewayEnd, options.streamRows()), gatewaySeconds * 1e9 / options.streamRows(),
                ThreadCpu.perRow(directCpu, directEnd, options.streamRows()), gatewayCompileMillis, directCompileMillis));
        long peakHeap = peakHeap();
        if (read[0] != options.streamRows()) {
            throw new IllegalStateException("the stream returned " + read[0] + " rows through the gateway");
        }
        rows.add(Row.stream(options.streamRows(), label, read[0] / gatewaySeconds, directRowsPerSecond, peakHeap, Runtime.getRuntime().maxMemory(),
                gatewayCpuNanos, directCpuNanos));
    }

    private interface Work
    {
        void run()
                throws Exception;
    }

    private static double timed(Work work)
            throws Exception
    {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static long drain(ResultSet resultSet)
            throws SQLException
    {
        long count = 0;
        try (resultSet) {
            int columns = resultSet.getMetaData().getColumnCount();
            while (resultSet.next()) {
                for (int column = 1; column <= columns; column++) {
                    resultSet.getString(column);
                }
                count++;
            }
        }
        return count;
    }

    private static void resetPeaks()
    {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap()
    {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    /** One client's way to run the case; holds its connection. */
    private interface Client
            extends AutoCloseable
    {
        void call()
                throws SQLException;

        @Override
        void close()
                throws SQLException;
    }

    private interface ClientFactory
    {
        Client open()
                throws SQLException;
    }

    private interface SqlForId
    {
        String sql(long id);
    }

    /** Plain statements (simple protocol): ids drawn from 1..{@code ids}. */
    private static Client literal(Gateway gateway, String user, SqlForId sql, int ids)
            throws SQLException
    {
        Connection connection = TestingGateway.connect(gateway, user);
        Statement statement = connection.createStatement();
        return client(connection, () -> drain(statement.executeQuery(sql.sql(randomId(ids, 1)))));
    }

    private Client directLiteral(SqlForId sql, int ids)
            throws SQLException
    {
        Connection connection = testing.connectDirect("it");
        Statement statement = connection.createStatement();
        return client(connection, () -> drain(statement.executeQuery(sql.sql(randomId(ids, 1)))));
    }

    /** A prepared statement whose parameters (all of them) are one id drawn from {@code step}, 2 {@code step}, ... {@code ids * step}. */
    private static Client prepared(Gateway gateway, String user, String sql, int ids, int step)
            throws SQLException
    {
        Connection connection = TestingGateway.connect(gateway, user);
        return preparedClient(connection, connection.prepareStatement(sql), ids, step);
    }

    private Client directPrepared(String sql, int ids, int step)
            throws SQLException
    {
        Connection connection = testing.connectDirect("it");
        return preparedClient(connection, connection.prepareStatement(sql), ids, step);
    }

    private static Client preparedClient(Connection connection, PreparedStatement statement, int ids, int step)
            throws SQLException
    {
        int parameters = statement.getParameterMetaData().getParameterCount();
        return client(connection, () -> {
            long id = randomId(ids, step);
            for (int parameter = 1; parameter <= parameters; parameter++) {
                statement.setInt(parameter, Math.toIntExact(id));
            }
            if (drain(statement.executeQuery()) == 0) {
                throw new IllegalStateException("no rows for id " + id);
            }
        });
    }

    private static Client rangeScan(Gateway gateway, int customers)
            throws SQLException
    {
        return prepared(gateway, "admin", "SELECT " + COLUMNS + " FROM it.bench_customers WHERE id BETWEEN ? AND ? + 999", customers - 1000, 1);
    }

    private Client directRangeScan(int customers)
            throws SQLException
    {
        return directPrepared("SELECT " + COLUMNS + " FROM bench_customers WHERE id BETWEEN ? AND ? + 999", customers - 1000, 1);
    }

    private interface Call
    {
        void call()
                throws SQLException;
    }

    private static Client client(Connection connection, Call call)
    {
        return new Client()
        {
            @Override
            public void call()
                    throws SQLException
            {
                call.call();
            }

            @Override
            public void close()
                    throws SQLException
            {
                connection.close();
            }
        };
    }

    private static long randomId(int ids, int step)
    {
        return (long) ThreadLocalRandom.current().nextInt(1, ids + 1) * step;
    }

    /** Runs the case through the gateway, then directly, with the same clients and calls. */
    private void compare(String name, int clients, int calls, ClientFactory gateway, ClientFactory direct)
            throws Exception
    {
        compare(name, clients, calls, Math.min(options.warmup(), Math.max(1, calls / clients)), gateway, direct);
    }

    private void compare(String name, int clients, int calls, int warmup, ClientFactory gateway, ClientFactory direct)
            throws Exception
    {
        System.err.printf(Locale.ROOT, "%s: %d client(s), %d warm-up and %d timed calls%n", name, clients, warmup, calls);
        Measured viaGateway = measure(gateway, clients, warmup, calls);
        Measured viaDirect = measure(direct, clients, warmup, calls);
        rows.add(Row.of(name, clients, viaGateway, viaDirect));
    }

    private Measured measure(ClientFactory factory, int clients, int warmup, int calls)
            throws Exception
    {
        ExecutorService executor = Executors.newFixedThreadPool(clients);
        List<Client> opened = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                opened.add(factory.open());
            }
            int perClient = Math.max(1, calls / clients);
            List<Callable<long[]>> warmups = new ArrayList<>();
            List<Callable<long[]>> timed = new ArrayList<>();
            for (Client client : opened) {
                warmups.add(() -> calls(client, warmup));
                timed.add(() -> calls(client, perClient));
            }
            for (Future<long[]> future : executor.invokeAll(warmups)) {
                future.get();
            }
            ProcessCpu.Sample cpuBefore = ProcessCpu.sample();
            long start = System.nanoTime();
            List<Future<long[]>> futures = executor.invokeAll(timed);
            long[] all = new long[0];
            for (Future<long[]> future : futures) {
                long[] latencies = future.get();
                long[] merged = Arrays.copyOf(all, all.length + latencies.length);
                System.arraycopy(latencies, 0, merged, all.length, latencies.length);
                all = merged;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            ProcessCpu.Sample cpu = ProcessCpu.sample().minus(cpuBefore);
            Arrays.sort(all);
            return new Measured(all.length, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6, all.length / seconds, cpu.totalNanos());
        }
        finally {
            executor.shutdownNow();
            for (Client client : opened) {
                client.close();
            }
        }
    }

    private static long[] calls(Client client, int count)
            throws SQLException
    {
        long[] latencies = new long[count];
        for (int call = 0; call < count; call++) {
            long start = System.nanoTime();
            client.call();
            latencies[call] = System.nanoTime() - start;
        }
        return latencies;
    }

    private static double percentile(long[] sorted, double quantile)
    {
        int index = (int) Math.ceil(quantile * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double load()
    {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private String report(double loadBefore, double loadAfter)
    {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%n%s, %d cores, Java %s, -Xmx%dm, load average %.2f before and %.2f after the run%n", LocalDate.now(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() / (1024 * 1024), loadBefore, loadAfter));
        text.append(String.format(Locale.ROOT, "%,d customers, %,d orders, %,d events; %d warm-up calls per client; latencies in ms%n%n", options.customers(), options.orders(),
                options.streamRows(), options.warmup()));
        text.append("| case | clients | calls | gateway p50 | gateway p99 | gateway /s | direct p50 | direct p99 | direct /s | p50 − direct | throughput / direct "
                + "| direct CPU / gateway CPU |\n");
        text.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            text.append(row.markdown()).append('\n');
        }
        text.append(String.format(Locale.ROOT, "%nCPU: this JVM's process CPU (clients, gateway, direct driver) plus the embedded MariaDB's over the timed calls (the "
                + "stream: over the whole read), per call or row; on a saturated machine the throughput ratio tends to the CPU ratio.%n"));
        if (!streamThreads.isEmpty()) {
            text.append(String.format(Locale.ROOT, "%nThe stream's CPU per row by thread (system calls included):%n"));
            streamThreads.forEach(line -> text.append(line).append('\n'));
        }
        return text.toString();
    }

    /** {@code cpuNanos}: JVM and MariaDB CPU over the timed calls, or -1 where MariaDB's could not be read. */
    private record Measured(int calls, double p50Millis, double p99Millis, double perSecond, long cpuNanos)
    {
        double cpuPerCall()
        {
            return cpuNanos < 0 ? -1 : (double) cpuNanos / calls;
        }
    }

    private static String cpuRatio(double directPerUnit, double gatewayPerUnit)
    {
        return directPerUnit <= 0 || gatewayPerUnit <= 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", directPerUnit / gatewayPerUnit);
    }

    private record Row(String markdown)
    {
        static Row of(String name, int clients, Measured gateway, Measured direct)
        {
            return new Row(String.format(Locale.ROOT, "| %s | %d | %,d | %.3f | %.3f | %,.0f | %.3f | %.3f | %,.0f | %+.3f ms | %.2fx | %s |", name, clients, gateway.calls(),
                    gateway.p50Millis(), gateway.p99Millis(), gateway.perSecond(), direct.p50Millis(), direct.p99Millis(), direct.perSecond(),
                    gateway.p50Millis() - direct.p50Millis(), gateway.perSecond() / direct.perSecond(), cpuRatio(direct.cpuPerCall(), gateway.cpuPerCall())));
        }

        static Row stream(long rows, String label, double gatewayRowsPerSecond, double directRowsPerSecond, long peakHeap, long maxHeap, long gatewayCpuNanos,
                long directCpuNanos)
        {
            return new Row(String.format(Locale.ROOT, "| %,d-row stream%s (rows/s; gateway peak heap %,d MiB of %,d MiB; CPU per row, JVM + MariaDB: gateway %,d ns, direct %,d ns)"
                            + " | 1 | 1 | | | %,.0f | | | %,.0f | | %.2fx | %s |", rows, label, peakHeap / (1024 * 1024), maxHeap / (1024 * 1024), gatewayCpuNanos / rows,
                    directCpuNanos / rows, gatewayRowsPerSecond, directRowsPerSecond, gatewayRowsPerSecond / directRowsPerSecond,
                    cpuRatio(directCpuNanos, gatewayCpuNanos)));
        }
    }

    /**
     * @param streamOnly only the stream (a plain gateway, no other case), e.g. while profiling it
     * @param streamRounds how many times the stream runs (gateway and direct each time, in turn)
     * @param streamReadAheadAb with streamOnly: each round streams through a second gateway that does not read suspended portals ahead
     *         ({@code protocol.read_ahead_bytes: 0}) too, beside the default one that does, in alternating order
     * @param streamWarmupRows rows of the stream read, untimed, directly and through each gateway before the first round (0: none)
     * @param streamWarmupRuns in how many statements of equal length those rows are read
     */
    private record Options(int customers, int orders, int streamRows, int iterations, int heavyIterations, int coldShapes, int warmup, int threads,
            boolean streamOnly, int streamRounds, boolean streamReadAheadAb, int streamWarmupRows, int streamWarmupRuns)
    {
        List<Integer> clientCounts()
        {
            return threads > 1 ? List.of(1, threads) : List.of(1);
        }

        static Options parse(String[] args)
        {
            int customers = 1_000_000;
            int orders = 5_000_000;
            int streamRows = 10_000_000;
            int iterations = 8_000;
            int heavy = 3;
            int cold = 20;
            int warmup = 2_000;
            int threads = 8;
            boolean streamOnly = false;
            boolean streamReadAheadAb = false;
            int streamRounds = 1;
            int streamWarmupRows = 1_000_000;
            int streamWarmupRuns = 5;
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (name.equals("--help") || name.equals("-h")) {
                    System.out.println("usage: SuiteBenchmark [--customers N] [--orders N] [--stream-rows N] [--iterations N] [--heavy-iterations N]"
                            + " [--cold-shapes N] [--warmup N] [--threads N] [--stream-rounds N] [--stream-warmup-rows N] [--stream-warmup-runs N] [--stream-only [--stream-read-ahead-ab]]");
                    System.exit(0);
                }
                if (name.equals("--stream-only")) {
                    streamOnly = true;
                    continue;
                }
                if (name.equals("--stream-read-ahead-ab")) {
                    streamReadAheadAb = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("missing value after " + name);
                }
                int value = Integer.parseInt(args[++i].replace("_", ""));
                switch (name) {
                    case "--customers" -> customers = value;
                    case "--orders" -> orders = value;
                    case "--stream-rows" -> streamRows = value;
                    case "--iterations" -> iterations = value;
                    case "--heavy-iterations" -> heavy = value;
                    case "--cold-shapes" -> cold = value;
                    case "--warmup" -> warmup = value;
                    case "--threads" -> threads = value;
                    case "--stream-rounds" -> streamRounds = value;
                    case "--stream-warmup-rows" -> streamWarmupRows = value;
                    case "--stream-warmup-runs" -> streamWarmupRuns = value;
                    default -> throw new IllegalArgumentException("unknown option " + name + "; try --help");
                }
            }
            if (customers < 2000 || orders < 1 || streamRows < 1 || iterations < 1 || heavy < 1 || cold < 1 || warmup < 0 || threads < 0 || streamRounds < 1
                    || streamWarmupRows < 0 || streamWarmupRuns < 1) {
                throw new IllegalArgumentException("customers must be at least 2000; counts positive; warm-up and threads not negative");
            }
            if (streamReadAheadAb && !streamOnly) {
                throw new IllegalArgumentException("--stream-read-ahead-ab needs --stream-only");
            }
            return new Options(customers, orders, streamRows, iterations, heavy, cold, warmup, threads, streamOnly, streamRounds, streamReadAheadAb,
                    Math.min(streamWarmupRows, streamRows), streamWarmupRuns);
        }
    }
}
