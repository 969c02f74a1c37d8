package dev.sekisho.it.bench;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.it.TestingGateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * <p>Fairness: every path runs in short slices alternating with the direct path ({@link PairedSlices}),
 * and its ratios are against those direct slices, so the machine's drift over a round (CPU frequency,
 * steal, GC) falls on both alike; a warm-up pass runs every path before the first round, so no timed
 * path pays for compiling code the paths before it knocked out of its compiled form (the direct path's
 * client-side Connector/J statements deoptimise what the gateway's server-side ones compiled); and each
 * round starts the paths one later, so no path always follows the same one.
 *
 * <p>Not a test (Surefire ignores it): run {@code bench/point-lookup.sh}; {@link PointLookupOptions} lists the options.
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
        PointLookupOptions options = PointLookupOptions.parse(args);
        if (options == null) {
            return;
        }
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

    private void run(PointLookupOptions options)
            throws Exception
    {
        Path direct = new Path("direct: Connector/J prepared", this::directPrepared);
        List<Path> paths = new ArrayList<>(List.of(
                new Path("gateway: pgjdbc prepared, setInt (extended protocol)", () -> gatewayPrepared(false)),
                new Path("gateway: pgjdbc prepared, setLong (int8 parameter, int column)", () -> gatewayPrepared(true)),
                new Path("gateway: Avatica prepared, setInt (JDBC over HTTP, protobuf)", this::avaticaPrepared),
                new Path("gateway: pgjdbc statement, literal id (plan cache hit)", this::gatewayLiteral),
                new Path("gateway: pgjdbc statement, Redash annotation and id change every call (normalised: plan cache hit)", this::gatewayUniqueText),
                new Path("gateway with result cache: pgjdbc prepared, setInt (result-cache hit)", this::cachedPrepared),
                new Path("gateway with an audit file: pgjdbc statement, literal id (every statement an audit event)", this::auditedLiteral),
                new Path("direct: Connector/J prepared, masked + row-filtered, the rewrite by hand (region JP ids)", this::directMasked),
                new Path("direct: Connector/J prepared, masked + row-filtered, the SQL the gateway sends (region JP ids)", this::directMaskedAsGateway),
                new Path("direct: Connector/J prepared, masked + row-filtered, the policy's derived table the gateway sent before (region JP ids)",
                        this::directMaskedAsDerivedTable),
                new Path("gateway with a policy: pgjdbc prepared, setInt, masked + row-filtered (alice, region JP ids)", this::policedPrepared)));
        if (!options.driverProperties().isEmpty()) {
            driverProperties = options.driverProperties();
            paths.add(new Path("gateway with Connector/J " + driverProperties + ": pgjdbc prepared, setInt", () -> propertiesPrepared()));
            paths.add(new Path("gateway with Connector/J " + driverProperties + ": pgjdbc statement, Redash annotation", () -> propertiesUniqueText()));
        }
        for (String config : options.gatewayConfigs()) {
            paths.add(new Path("gateway with `" + config + "`: pgjdbc prepared, setInt (extended protocol)",
                    () -> preparedOn(TestingGateway.connect(configuredGateway(config), "alice"))));
            paths.add(new Path("gateway with `" + config + "`: pgjdbc statement, Redash annotation and id change every call",
                    () -> redashOn(TestingGateway.connect(configuredGateway(config), "alice"))));
        }
        List<Path> chosen = paths.stream()
                .filter(path -> options.paths().isEmpty() || options.paths().stream().anyMatch(part -> path.name().contains(part)))
                .toList();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--paths " + options.paths() + " matches no path to compare with the direct one");
        }
        PairedSlices slices = new PairedSlices(minId, maxId);
        // before any timed round, every path runs its warm-up beside the direct path's: the JIT has then seen every path's types
        if (options.warmup() > 0) {
            for (int clients : options.clientCounts()) {
                for (Path path : chosen) {
                    System.err.printf(Locale.ROOT, "%tT warm-up pass, %s: %d client(s) x %d calls, alternating with the direct path%n", new java.util.Date(),
                            path.name(), clients, options.warmup() / clients);
                    slices.measure(direct.factory(), path.factory(), clients, options.warmup() / clients, 0, options.slices(), true);
                }
            }
        }
        for (int round = 1; round <= options.rounds(); round++) {
            List<PointLookupTable.Row> rows = runRound(slices, direct, chosen, round, options);
            System.out.printf(Locale.ROOT, "%n### Round %d of %d%n", round, options.rounds());
            System.out.println(PointLookupTable.markdown(rows, options));
        }
    }

    private List<PointLookupTable.Row> runRound(PairedSlices slices, Path direct, List<Path> chosen, int round, PointLookupOptions options)
            throws Exception
    {
        List<Path> order = SliceSchedule.rotation(chosen, round);
        // the pattern's first slice alternates by round too: A B B A with the direct path as A, then as B
        boolean directFirst = round % 2 == 1;
        System.err.printf(Locale.ROOT, "Round %d: %s first%n", round, order.get(0).name());
        List<PointLookupTable.Row> rows = new ArrayList<>();
        for (int clients : options.clientCounts()) {
            int iterations = Math.max(1, options.iterations() / clients);
            int warmup = options.warmup() / clients;
            Map<Path, PairedSlices.Pair> pairs = new LinkedHashMap<>();
            for (Path path : order) {
                // the time of day: to find a path's part of a profile recorded over the whole run
                System.err.printf(Locale.ROOT, "%tT %s: %d client(s) x (%d warm-up + %d calls), alternating with the direct path in %d slices each%n",
                        new java.util.Date(), path.name(), clients, warmup, iterations, Math.min(iterations, options.slices()));
                PairedSlices.Pair pair = slices.measure(direct.factory(), path.factory(), clients, warmup, iterations, options.slices(), directFirst);
                double[] ratios = pair.compared().sliceRatios(pair.direct());
                StringBuilder list = new StringBuilder();
                for (double ratio : ratios) {
                    list.append(String.format(Locale.ROOT, " %.2f", ratio));
                }
                System.err.printf(Locale.ROOT, "  throughput / direct %.2fx; slice pairs:%s%n", pair.compared().throughputRatio(pair.direct()), list);
                pairs.put(path, pair);
            }
            rows.add(new PointLookupTable.Row(direct.name(), clients, SideTotals.merged(pairs.values().stream().map(PairedSlices.Pair::direct).toList()), null));
            // the table lists the paths in their usual order, whatever order the round ran them in
            for (Path path : chosen) {
                rows.add(new PointLookupTable.Row(path.name(), clients, pairs.get(path).compared(), pairs.get(path).direct()));
            }
        }
        return rows;
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


    /** A way to look customers up, by its name in the table. */
    private record Path(String name, Lookup.Factory factory) {}
}
