package dev.sekisho.it.bigquery;

import com.google.zetasql.Type;
import com.google.zetasql.ZetaSQLType.TypeKind;
import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.it.TestingGateway;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.Connector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A gateway with two sources, configured through sekisho.yaml like a deployment: {@code shop} on
 * the shared MariaDB ({@link TestingGateway#shared()}) and {@code warehouse}, a BigQuery source on
 * the ZetaSQL-backed fixture, whose dataset {@code bq_shop} holds a copy of the shop's customers
 * and orders. A third source, {@code limited}, is the same fixture with a tiny
 * {@code maximum_bytes_billed}. It enforces the bypass tests' policy for both copies of the shop
 * (the same rules, table names aside), and a third copy in MariaDB, {@code routed}, whose orders and
 * customers are replicated tables with their copies in {@code bq_shop}. It holds at most 5000 rows for a join it runs itself
 * ({@code execution.local_max_rows}). One instance per test JVM.
 */
public final class TestingBigQueryGateway
{
    public static final String PASSWORD_SUFFIX = TestingGateway.PASSWORD_SUFFIX;

    private static TestingBigQueryGateway shared;

    private final TestingBigQueryServer fixture;
    private final Gateway gateway;

    private final Path config;
    private CalciteQueryPlanner explainPlanner;

    private TestingBigQueryGateway(TestingBigQueryServer fixture, Gateway gateway, Path config)
    {
        this.fixture = fixture;
        this.gateway = gateway;
        this.config = config;
    }

    public static synchronized TestingBigQueryGateway shared()
    {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared.gateway::close, "bigquery-gateway-shutdown"));
        }
        return shared;
    }

    private static TestingBigQueryGateway start()
    {
        TestingGateway mysql = TestingGateway.shared();
        TestingBigQueryServer fixture = TestingBigQueryData.fixture();
        try {
            copyShop(mysql, fixture);
            routedShop(mysql);
            fixture.table("limited", "events")
                    .column("id", TestingBigQueryData.type(TypeKind.TYPE_INT64))
                    .row(1L)
                    .create();
            Path workDir = Files.createTempDirectory("sekisho-bigquery-it-");
            Files.writeString(workDir.resolve("users.yaml"), """
                    users:
                      alice: {password: "%s", groups: [analysts], attributes: {region: JP}}
                      bob: {password: "%s", groups: [finance]}
                      carol: {password: "%s", groups: [analysts, interns], attributes: {region: US}}
                      admin: {password: "%s", groups: [admins]}
                    """.formatted(verifier("alice"), verifier("bob"), verifier("carol"), verifier("admin")), StandardCharsets.UTF_8);
            Path policies = Files.createDirectories(workDir.resolve("policies"));
            TestingGateway.copyResource("policies/bypass/roles.yaml", policies.resolve("roles.yaml"));
            TestingGateway.copyResource("policies/bypass/shop.yaml", policies.resolve("shop.yaml"));
            String shopPolicy = Files.readString(policies.resolve("shop.yaml"), StandardCharsets.UTF_8);
            Files.writeString(policies.resolve("bq_shop.yaml"), shopPolicy.replace("  shop.", "  bq_shop."), StandardCharsets.UTF_8);
            Files.writeString(policies.resolve("routed.yaml"), shopPolicy.replace("  shop.", "  routed."), StandardCharsets.UTF_8);
            Files.writeString(policies.resolve("lake.yaml"), """
                    tables:
                      lake.orders: {allow: [analyst, finance, admin]}
                      lake.all_types: {allow: [analyst, finance, admin]}
                      lake.paid_orders: {allow: [analyst, finance, admin]}
                      lake.numbers: {allow: [analyst, finance, admin]}
                      limited.events: {allow: [analyst, finance, admin]}
                    """, StandardCharsets.UTF_8);
            Path config = workDir.resolve("sekisho.yaml");
            Files.writeString(config, """
                    listen: {host: 127.0.0.1, port: 0}
                    users_file: users.yaml
                    search_path: [shop]
                    execution: {worker_threads: 16, local_max_rows: 5000}
                    policies: {dir: policies, watch: false}
                    sources:
                      shop:
                        type: mysql
                        replicas:
                          - {name: embedded, host: 127.0.0.1, port: %1$d, user: root, password: ""}
                        databases: [shop]
                      warehouse:
                        type: bigquery
                        project: %2$s
                        endpoint: %3$s
                        credentials: none
                        datasets: [lake, bq_shop]
                        maximum_bytes_billed: 1000000000
                      limited:
                        type: bigquery
                        project: %2$s
                        endpoint: %3$s
                        credentials: none
                        datasets: [limited]
                        maximum_bytes_billed: 1000
                      routed:
                        type: mysql
                        replicas:
                          - {name: embedded, host: 127.0.0.1, port: %1$d, user: root, password: ""}
                        databases: [routed]
                    replicated_tables:
                      routed.orders: {copy: bq_shop.orders, lag: 24h, max_staleness: 36h, replica_max_rows: 100}
                      routed.customers: {copy: bq_shop.customers, lag: 24h, max_staleness: 36h, replica_max_rows: 100}
                    """.formatted(mysql.mariaDb().port(), TestingBigQueryServer.PROJECT, fixture.endpoint()), StandardCharsets.UTF_8);
            return new TestingBigQueryGateway(fixture, Gateway.start(SekishoConfigLoader.load(config)), config);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A MariaDB database {@code routed} with the shop's tables, whose orders and customers are
     * replicated tables with their copies in {@code bq_shop} (the shop's other tests keep reading
     * MariaDB only).
     */
    private static void routedShop(TestingGateway mysql)
            throws SQLException
    {
        try (Connection connection = mysql.connectDirect("shop"); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS routed");
            for (String table : List.of("customers", "orders", "order_items", "products")) {
                statement.execute("CREATE OR REPLACE TABLE routed." + table + " LIKE shop." + table);
                statement.execute("INSERT INTO routed." + table + " SELECT * FROM shop." + table);
            }
            statement.execute("ANALYZE TABLE routed.customers, routed.orders");
        }
    }

    /** The shop's tables as {@code bq_shop.*}, as a nightly copy would hold them. */
    private static void copyShop(TestingGateway mysql, TestingBigQueryServer fixture)
            throws SQLException
    {
        try (Connection connection = mysql.connectDirect("shop"); Statement statement = connection.createStatement()) {
            for (String table : List.of("customers", "orders", "order_items", "products")) {
                try (ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
                    ResultSetMetaData metaData = rows.getMetaData();
                    TestingBigQueryServer.TableBuilder builder = fixture.table("bq_shop", table);
                    List<Integer> kinds = new ArrayList<>();
                    for (int i = 1; i <= metaData.getColumnCount(); i++) {
                        builder.column(metaData.getColumnName(i).toLowerCase(Locale.ROOT), bigQueryType(metaData, i));
                        kinds.add(metaData.getColumnType(i));
                    }
                    while (rows.next()) {
                        Object[] values = new Object[kinds.size()];
                        for (int i = 0; i < values.length; i++) {
                            values[i] = value(rows, i + 1, kinds.get(i));
                        }
                        builder.row(values);
                    }
                    builder.create();
                }
            }
        }
    }

    private static Type bigQueryType(ResultSetMetaData metaData, int column)
            throws SQLException
    {
        TypeKind kind = switch (metaData.getColumnType(column)) {
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> TypeKind.TYPE_INT64;
            case Types.DECIMAL, Types.NUMERIC -> TypeKind.TYPE_NUMERIC;
            case Types.BIT, Types.BOOLEAN -> TypeKind.TYPE_BOOL;
            case Types.DATE -> TypeKind.TYPE_DATE;
            case Types.TIMESTAMP -> TypeKind.TYPE_DATETIME;
            case Types.DOUBLE, Types.REAL, Types.FLOAT -> TypeKind.TYPE_DOUBLE;
            default -> TypeKind.TYPE_STRING;
        };
        return TestingBigQueryData.type(kind);
    }

    private static Object value(ResultSet rows, int column, int kind)
            throws SQLException
    {
        Object value = switch (kind) {
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> rows.getLong(column);
            case Types.DECIMAL, Types.NUMERIC -> rows.getBigDecimal(column);
            case Types.BIT, Types.BOOLEAN -> rows.getBoolean(column);
            case Types.DATE -> rows.getObject(column, java.time.LocalDate.class);
            case Types.TIMESTAMP -> rows.getObject(column, java.time.LocalDateTime.class);
            case Types.DOUBLE, Types.REAL, Types.FLOAT -> rows.getDouble(column);
            default -> rows.getString(column);
        };
        return rows.wasNull() ? null : value instanceof BigDecimal decimal ? decimal : value;
    }

    private static String verifier(String user)
    {
        return ScramVerifier.create((user + PASSWORD_SUFFIX).toCharArray()).encoded();
    }

    public TestingBigQueryServer fixture()
    {
        return fixture;
    }

    public Gateway gateway()
    {
        return gateway;
    }

    /** The gateway's {@code sekisho.yaml}. */
    public Path configFile()
    {
        return config;
    }

    /**
     * EXPLAIN of {@code sql} without a policy, planned as the gateway plans it (the options
     * {@code sekisho policy explain} uses), on connectors of the same configuration made once.
     */
    public synchronized String explain(String sql)
    {
        if (explainPlanner == null) {
            SekishoConfig loaded = SekishoConfigLoader.load(config);
            List<Connector> connectors = Gateway.createConnectors(loaded);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> connectors.forEach(Connector::close), "bigquery-explain-shutdown"));
            explainPlanner = new CalciteQueryPlanner(connectors, PlannerOptions.defaults().withLocalJoinMaxRows(loaded.execution().localMaxRows())
                    .withReplicatedTables(loaded.replicatedTables()));
        }
        // as the gateway answers EXPLAIN: planned as written, so plan-time choices see the literals
        return explainPlanner.prepareAsWritten(sql, List.of(), new SessionContext("admin", List.of("shop"))).explain();
    }

    /** A pgjdbc connection through this gateway as one of its users. */
    public Connection connect(String user)
            throws SQLException
    {
        return TestingGateway.connect(gateway, user);
    }
}
