package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorFactory;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.planner.spi.TableMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The MySQL connector against a real MariaDB: metadata, every mapped type, parameters, streaming,
 * cancel, errors, replica failover, and the demo's shop script. One server for the whole class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class TestMySqlConnector
{
    private static final String PASSWORD = "s3cret-Pw-77";

    private TestingMySqlServer server;
    private Connector connector;

    @BeforeAll
    public void setUp()
    {
        server = new TestingMySqlServer();
        server.execute(
                "CREATE DATABASE testdb",
                "CREATE DATABASE otherdb",
                "CREATE TABLE otherdb.t (x INT)",
                "CREATE USER 'sekisho'@'localhost' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON testdb.* TO 'sekisho'@'localhost'",
                "GRANT SELECT ON otherdb.* TO 'sekisho'@'localhost'",
                // the routing monitor reads SHOW REPLICA STATUS (docs/routing.md)
                "GRANT SLAVE MONITOR ON *.* TO 'sekisho'@'localhost'",
                "CREATE TABLE testdb.customers (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, email VARCHAR(200) NULL COMMENT 'work address, 「業務用」') "
                        + "COMMENT = 'one row per account'",
                "CREATE TABLE testdb.order_lines (order_id INT NOT NULL, line_no SMALLINT NOT NULL, sku CHAR(8) NOT NULL, note VARCHAR(200), " +
                        "PRIMARY KEY (line_no, order_id), KEY by_order (order_id), UNIQUE KEY by_sku (sku, order_id), KEY by_note (note(10)), " +
                        "FULLTEXT KEY note_text (note))",
                "CREATE VIEW testdb.v_customers AS SELECT id, name FROM testdb.customers",
                "INSERT INTO testdb.customers VALUES (1, 'Aoki', 'aoki@example.jp'), (2, 'Baba', NULL)",
                "CREATE TABLE testdb.types_test (" + TYPES.keySet().stream().map(c -> c + " " + TYPES.get(c).mysqlType).reduce((a, b) -> a + ", " + b).orElseThrow() + ")",
                "SET time_zone = '+09:00'",
                "INSERT INTO testdb.types_test VALUES (" + String.join(", ", TYPES.values().stream().map(t -> t.literal).toList()) + ")",
                "INSERT INTO testdb.types_test (id) VALUES (2)");
        server.execute(EDGE_VALUES);
        connector = connector(List.of(replica("live", server.port())), Map.of());
    }

    @AfterAll
    public void tearDown()
    {
        if (connector != null) {
            connector.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** Column, MySQL type, literal inserted, expected ColumnType and value read back. */
    private static final Map<String, TypeCase> TYPES = new LinkedHashMap<>();

    static {
        add("id", "INT NOT NULL PRIMARY KEY", "1", ColumnType.of(Kind.INTEGER), 1);
        add("c_bool", "BOOL", "TRUE", ColumnType.of(Kind.BOOLEAN), true);
        add("c_boolean", "BOOLEAN", "FALSE", ColumnType.of(Kind.BOOLEAN), false);
        add("c_tinyint1", "TINYINT(1)", "1", ColumnType.of(Kind.BOOLEAN), true);
        add("c_tinyint", "TINYINT", "-5", ColumnType.of(Kind.SMALLINT), (short) -5);
        add("c_tinyint_u", "TINYINT UNSIGNED", "250", ColumnType.of(Kind.SMALLINT), (short) 250);
        add("c_smallint", "SMALLINT", "-300", ColumnType.of(Kind.SMALLINT), (short) -300);
        add("c_smallint_u", "SMALLINT UNSIGNED", "65000", ColumnType.of(Kind.INTEGER), 65000);
        add("c_mediumint", "MEDIUMINT", "-8000000", ColumnType.of(Kind.INTEGER), -8000000);
        add("c_int", "INT", "-2000000000", ColumnType.of(Kind.INTEGER), -2000000000);
        add("c_int_u", "INT UNSIGNED", "4000000000", ColumnType.of(Kind.BIGINT), 4000000000L);
        add("c_bigint", "BIGINT", "-9000000000000000000", ColumnType.of(Kind.BIGINT), -9000000000000000000L);
        add("c_bigint_u", "BIGINT UNSIGNED", "18446744073709551615", ColumnType.decimal(20, 0), new BigDecimal("18446744073709551615"));
        add("c_decimal", "DECIMAL(12,3)", "12345.678", ColumnType.decimal(12, 3), new BigDecimal("12345.678"));
        add("c_float", "FLOAT", "1.5", ColumnType.of(Kind.REAL), 1.5f);
        add("c_double", "DOUBLE", "2.25", ColumnType.of(Kind.DOUBLE), 2.25d);
        add("c_char", "CHAR(5)", "'ab'", ColumnType.character(5), "ab   ");
        add("c_varchar", "VARCHAR(20)", "'hello'", ColumnType.varchar(20), "hello");
        add("c_tinytext", "TINYTEXT", "'tiny'", ColumnType.of(Kind.TEXT), "tiny");
        add("c_text", "TEXT", "'日本語のテキスト'", ColumnType.of(Kind.TEXT), "日本語のテキスト");
        add("c_mediumtext", "MEDIUMTEXT", "'medium'", ColumnType.of(Kind.TEXT), "medium");
        add("c_longtext", "LONGTEXT", "'long'", ColumnType.of(Kind.TEXT), "long");
        add("c_enum", "ENUM('small','medium','large')", "'medium'", ColumnType.varchar(6), "medium");
        add("c_set", "SET('a','bb','ccc')", "'a,ccc'", ColumnType.varchar(8), "a,ccc");
        add("c_date", "DATE", "'2024-02-29'", ColumnType.of(Kind.DATE), LocalDate.of(2024, 2, 29));
        add("c_time", "TIME", "'13:14:15'", new ColumnType(Kind.TIME, 0, ColumnType.UNSPECIFIED), LocalTime.of(13, 14, 15));
        add("c_time3", "TIME(3)", "'01:02:03.456'", new ColumnType(Kind.TIME, 3, ColumnType.UNSPECIFIED), LocalTime.of(1, 2, 3, 456_000_000));
        add("c_datetime", "DATETIME", "'2024-01-02 03:04:05'", ColumnType.timestamp(0), LocalDateTime.of(2024, 1, 2, 3, 4, 5));
        add("c_datetime6", "DATETIME(6)", "'2024-01-02 03:04:05.123456'", ColumnType.timestamp(6), LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000));
        // inserted in a +09:00 session: stored as 03:34:56 UTC
        add("c_timestamp", "TIMESTAMP NULL", "'2024-01-02 12:34:56'", new ColumnType(Kind.TIMESTAMP_WITH_TIME_ZONE, 0, ColumnType.UNSPECIFIED),
                OffsetDateTime.of(2024, 1, 2, 3, 34, 56, 0, ZoneOffset.UTC));
        add("c_timestamp3", "TIMESTAMP(3) NULL", "'2024-01-02 12:34:56.789'", new ColumnType(Kind.TIMESTAMP_WITH_TIME_ZONE, 3, ColumnType.UNSPECIFIED),
                OffsetDateTime.of(2024, 1, 2, 3, 34, 56, 789_000_000, ZoneOffset.UTC));
        add("c_year", "YEAR", "2024", ColumnType.of(Kind.SMALLINT), (short) 2024);
        add("c_json", "JSON", "'{\"a\": [1, 2]}'", ColumnType.of(Kind.JSON), "{\"a\": [1, 2]}");
        add("c_binary", "BINARY(4)", "X'01020304'", ColumnType.of(Kind.BINARY), new byte[] {1, 2, 3, 4});
        add("c_varbinary", "VARBINARY(10)", "X'0A0B'", ColumnType.of(Kind.BINARY), new byte[] {10, 11});
        add("c_tinyblob", "TINYBLOB", "X'01'", ColumnType.of(Kind.BINARY), new byte[] {1});
        add("c_blob", "BLOB", "X'0203'", ColumnType.of(Kind.BINARY), new byte[] {2, 3});
        add("c_mediumblob", "MEDIUMBLOB", "X'04'", ColumnType.of(Kind.BINARY), new byte[] {4});
        add("c_longblob", "LONGBLOB", "X'FF'", ColumnType.of(Kind.BINARY), new byte[] {(byte) 0xFF});
        add("c_bit1", "BIT(1)", "b'1'", ColumnType.of(Kind.BOOLEAN), true);
        add("c_bit8", "BIT(8)", "b'10000001'", ColumnType.of(Kind.BIGINT), 129L);
        add("c_uuid", "UUID", "'123e4567-e89b-12d3-a456-426614174000'", ColumnType.of(Kind.UUID), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        add("c_inet6", "INET6", "'::1'", ColumnType.of(Kind.UNKNOWN), "::1");
    }

    /**
     * Values where MySQL's text and binary protocols are decoded by different code in Connector/J:
     * fractions, the ends of each range, zero dates, out-of-range TIME, rounding of FLOAT and DOUBLE.
     * One row per case, so that a value that cannot be read fails only its own row.
     */
    private static final String[] EDGE_VALUES = {
            "SET sql_mode = ''",
            "SET time_zone = '+00:00'",
            "CREATE TABLE testdb.edge_values (id INT NOT NULL PRIMARY KEY, c_datetime6 DATETIME(6), c_datetime3 DATETIME(3), c_timestamp6 TIMESTAMP(6) NULL, "
                    + "c_date DATE, c_time6 TIME(6), c_time TIME, c_year YEAR, c_bit1 BIT(1), c_bit16 BIT(16), c_bit63 BIT(63), c_float FLOAT, c_double DOUBLE, "
                    + "c_decimal DECIMAL(65,30), c_decimal0 DECIMAL(5,0), c_bigint_u BIGINT UNSIGNED, c_bigint BIGINT, c_tinyint1 TINYINT(1), "
                    + "c_tinyint1_u TINYINT(1) UNSIGNED, c_json JSON, c_char CHAR(3), c_varbinary VARBINARY(8), c_set SET('a','b'), c_uuid UUID)",
            "INSERT INTO testdb.edge_values (id, c_datetime6, c_datetime3, c_timestamp6, c_date, c_time6, c_time, c_year, c_bit1, c_bit16, c_bit63, c_float, "
                    + "c_double, c_decimal, c_decimal0, c_bigint_u, c_bigint, c_tinyint1, c_tinyint1_u, c_json, c_char, c_varbinary, c_set, c_uuid) VALUES "
                    + "(1, '2024-01-02 03:04:05.000001', '2024-01-02 03:04:05.5', '2038-01-19 03:14:07.999999', '0001-01-01', '23:59:59.999999', '00:00:00', 1901, "
                    + "b'0', b'1111111111111111', b'111111111111111111111111111111111111111111111111111111111111111', 0.1, 0.1, "
                    + "'12345678901234567890123456789012345.123456789012345678901234567890', -99999, 9223372036854775808, -9223372036854775808, 2, 255, "
                    + "'{\"k\": \"日本\", \"n\": 1.50, \"e\": 1e3}', '', X'0000', '', '00000000-0000-0000-0000-000000000000'), "
                    + "(2, '9999-12-31 23:59:59.999999', '1000-01-01 00:00:00.001', '1970-01-01 00:00:01.000001', '9999-12-31', '00:00:00.000001', '23:59:59', 2155, "
                    + "b'1', b'0', b'0', -3.40282e38, 1.7976931348623157e308, -0.000000000000000000000000000001, 0, 18446744073709551615, 9223372036854775807, -1, 0, "
                    + "'[]', 'a b', X'', 'a,b', 'ffffffff-ffff-ffff-ffff-ffffffffffff'), "
                    + "(3, '0000-00-00 00:00:00', '2024-02-29 12:00:00', '2024-02-29 12:00:00', '0000-00-00', '12:00:00', '12:00:00', 0, "
                    + "NULL, NULL, NULL, 1.17549e-38, 4.9e-324, 0, 1, 0, 0, 0, 1, 'null', 'xyz', X'FF', 'b', NULL), "
                    + "(4, '2024-00-00 00:00:00', NULL, NULL, '2024-00-00', NULL, NULL, 2000, NULL, NULL, NULL, 123456789, -0.0, NULL, NULL, NULL, NULL, 1, NULL, "
                    + "'\"text\"', NULL, NULL, NULL, NULL), "
                    + "(5, NULL, NULL, NULL, NULL, '-01:02:03', NULL, NULL, NULL, NULL, NULL, 3.14159, 0.30000000000000004, NULL, NULL, NULL, NULL, NULL, NULL, "
                    + "NULL, NULL, NULL, NULL, NULL), "
                    + "(6, NULL, NULL, NULL, NULL, NULL, '100:00:00', NULL, NULL, NULL, NULL, NULL, 1e-300, NULL, NULL, NULL, NULL, NULL, NULL, "
                    + "NULL, NULL, NULL, NULL, NULL)"};

    private static final int EDGE_ROWS = 6;

    private static void add(String column, String mysqlType, String literal, ColumnType type, Object value)
    {
        TYPES.put(column, new TypeCase(mysqlType, literal, type, value));
    }

    private record TypeCase(String mysqlType, String literal, ColumnType type, Object value) {}

    @Test
    public void testFactoryIsRegistered()
    {
        List<String> names = ServiceLoader.load(ConnectorFactory.class).stream().map(provider -> provider.get().name()).toList();
        assertThat(names).contains("mysql");
    }

    @Test
    public void testEstimateRowsIsExplainsRowsWithTheParametersBound()
    {
        TestingExecutionContext context = new TestingExecutionContext();
        BackendQuery lookup = new BackendQuery("mysql", "SELECT name FROM testdb.customers WHERE id = ?", List.of(1L), List.of(ColumnType.of(Kind.BIGINT)));
        assertThat(connector.estimateRows(lookup, context)).hasValue(1);
        assertThat(connector.estimateRows(BackendQuery.of("mysql", "SELECT seq FROM testdb.seq_1_to_1000000000"), context).orElseThrow())
                .isGreaterThanOrEqualTo(1_000_000);
        assertThatThrownBy(() -> connector.estimateRows(BackendQuery.of("mysql", "SELECT nope FROM testdb.customers"), context))
                .isInstanceOf(QueryException.class);
    }

    @Test
    public void testMetadata()
    {
        ConnectorMetadata metadata = connector.metadata();
        assertThat(metadata.listSchemas()).contains("testdb", "otherdb").doesNotContain("mysql", "information_schema", "performance_schema", "sys");
        assertThat(metadata.listTables("testdb")).contains("customers", "order_lines", "v_customers", "types_test");
        assertThat(metadata.listTables("no_such_db")).isEmpty();
        assertThat(metadata.getTable("testdb", "no_such_table")).isEmpty();

        TableMetadata customers = metadata.getTable("testdb", "customers").orElseThrow();
        assertThat(customers.schema()).isEqualTo("testdb");
        assertThat(customers.view()).isFalse();
        assertThat(customers.primaryKey()).containsExactly("id");
        assertThat(customers.rowCountEstimate()).isPresent();
        assertThat(customers.columns()).containsExactly(
                new ColumnMetadata("id", ColumnType.of(Kind.BIGINT), false, "bigint(20)"),
                new ColumnMetadata("name", ColumnType.varchar(100), false, "varchar(100)"),
                new ColumnMetadata("email", ColumnType.varchar(200), true, "varchar(200)", Optional.of("work address, 「業務用」")));
        assertThat(customers.comment()).contains("one row per account");

        // key order, not column order
        TableMetadata orderLines = metadata.getTable("testdb", "order_lines").orElseThrow();
        assertThat(orderLines.primaryKey()).containsExactly("line_no", "order_id");
        // secondary indexes by name, columns in key order; a prefix index counts, full-text does not
        assertThat(orderLines.indexes()).containsExactly(
                new IndexMetadata("by_note", List.of("note"), false),
                new IndexMetadata("by_order", List.of("order_id"), false),
                new IndexMetadata("by_sku", List.of("sku", "order_id"), true));
        assertThat(customers.indexes()).isEmpty();

        TableMetadata view = metadata.getTable("testdb", "v_customers").orElseThrow();
        assertThat(view.view()).isTrue();
        assertThat(view.kind()).isEqualTo(TableMetadata.TableKind.VIEW);
        // MySQL gives every view the comment 'VIEW': not a description
        assertThat(view.comment()).isEmpty();
        assertThat(view.primaryKey()).isEmpty();
        assertThat(view.columns()).extracting(ColumnMetadata::name).containsExactly("id", "name");
    }

    @Test
    public void testConfiguredDatabasesAndRefresh()
    {
        try (Connector only = connector(List.of(replica("live", server.port())), Map.of("databases", List.of("otherdb", "missing_db")))) {
            ConnectorMetadata metadata = only.metadata();
            assertThat(metadata.listSchemas()).containsExactly("otherdb");
            assertThat(metadata.listTables("otherdb")).containsExactly("t");
            assertThat(metadata.listTables("testdb")).isEmpty();

            server.execute("CREATE TABLE otherdb.added_later (y INT)");
            assertThat(metadata.listTables("otherdb")).containsExactly("t");
            metadata.refresh();
            assertThat(metadata.listTables("otherdb")).containsExactly("added_later", "t");
        }
        finally {
            server.execute("DROP TABLE otherdb.added_later");
        }
    }

    @Test
    public void testTypeMappingOfEveryType()
    {
        TableMetadata table = connector.metadata().getTable("testdb", "types_test").orElseThrow();
        Map<String, ColumnType> catalogTypes = new HashMap<>();
        table.columns().forEach(column -> catalogTypes.put(column.name(), column.type()));
        TYPES.forEach((column, expected) -> assertThat(catalogTypes.get(column)).as("catalog type of %s (%s)", column, expected.mysqlType).isEqualTo(expected.type));

        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT * FROM testdb.types_test ORDER BY id"), new TestingExecutionContext())) {
            List<ColumnMetadata> columns = stream.columns();
            assertThat(columns).extracting(ColumnMetadata::name).containsExactlyElementsOf(TYPES.keySet());
            for (ColumnMetadata column : columns) {
                // the stream's view must give values of the same Java class as the catalog's type
                assertThat(column.type().kind()).as("result type of %s", column.name()).isEqualTo(TYPES.get(column.name()).type.kind());
            }

            assertThat(stream.next()).isTrue();
            for (int i = 0; i < columns.size(); i++) {
                String name = columns.get(i).name();
                Object expected = TYPES.get(name).value;
                Object actual = stream.value(i);
                assertThat(actual).as("value of %s", name).isNotNull();
                assertThat(actual.getClass()).as("class of %s", name).isEqualTo(expected.getClass());
                if (expected instanceof byte[]) {
                    assertThat((byte[]) actual).as("value of %s", name).isEqualTo((byte[]) expected);
                }
                else {
                    assertThat(actual).as("value of %s", name).isEqualTo(expected);
                }
            }

            assertThat(stream.next()).isTrue();
            assertThat(stream.value(0)).isEqualTo(2);
            for (int i = 1; i < columns.size(); i++) {
                assertThat(stream.value(i)).as("NULL in %s", columns.get(i).name()).isNull();
            }
            assertThat(stream.next()).isFalse();
        }
    }

    /**
     * Every type's values read three ways are the same: as text (a statement without parameters),
     * through a server-prepared statement (binary protocol, the default for statements with
     * parameters) and through a client-prepared one (text protocol, {@code useServerPrepStmts=false}).
     * Values that cannot be read fail the same way in each.
     */
    @Test
    public void testTextAndBinaryProtocolsReadTheSameValues()
            throws Exception
    {
        Connector serverPrepared = serverPreparedConnector();
        Connector clientPrepared = connector;
        try (serverPrepared; java.sql.Connection probe = java.sql.DriverManager.getConnection(server.jdbcUrl("testdb"), "root", "")) {
            long executionsBefore = statementExecutions(probe);
            int reads = 0;
            for (String table : List.of("types_test", "edge_values")) {
                int rows = table.equals("types_test") ? 2 : EDGE_ROWS;
                for (int id = 1; id <= rows; id++) {
                    String select = "SELECT * FROM testdb." + table + " WHERE id = ";
                    BackendQuery byParameter = new BackendQuery("mysql", select + "?", List.of(id), List.of(ColumnType.of(Kind.INTEGER)));
                    Object text = outcome(connector, BackendQuery.of("mysql", select + id));
                    assertThat(outcome(serverPrepared, byParameter)).as("%s row %d, binary protocol against text", table, id).isEqualTo(text);
                    assertThat(outcome(clientPrepared, byParameter)).as("%s row %d, client-prepared against text", table, id).isEqualTo(text);
                    reads++;
                }
            }
            // the binary reads above went through server-prepared statements (read as root, apart from the connector's)
            assertThat(statementExecutions(probe) - executionsBefore).as("COM_STMT_EXECUTE of the reads by parameter").isGreaterThanOrEqualTo(reads);

            // parameters in the select list: the server types them when it prepares, not from the value, so
            // "? + 1" is BIGINT there and INT with the value inlined; the values are the same, and the plan
            // converts every computed column to its own result type (ResultColumns), so clients see no difference
            BackendQuery expressions = new BackendQuery("mysql", "SELECT ?, ? + 1, CONCAT(?, 'x'), c_decimal * ?, c_int + ? FROM testdb.types_test WHERE id = ?",
                    List.of(7, 7, "a", 2, 3L, 1), List.of(ColumnType.of(Kind.INTEGER), ColumnType.of(Kind.INTEGER), ColumnType.of(Kind.VARCHAR),
                            ColumnType.of(Kind.INTEGER), ColumnType.of(Kind.BIGINT), ColumnType.of(Kind.INTEGER)));
            assertThat(numbers(outcome(serverPrepared, expressions))).isEqualTo(numbers(outcome(clientPrepared, expressions)))
                    .isEqualTo(List.of(new BigDecimal("7"), new BigDecimal("8"), "ax", new BigDecimal("24691.356"), new BigDecimal("-1999999997")));
        }
        // zero dates read as NULL; what cannot be read fails its statement with a data exception naming the column
        assertThat(outcome(connector, BackendQuery.of("mysql", "SELECT c_date, c_datetime6, c_year FROM testdb.edge_values WHERE id = 3")))
                .isEqualTo(List.of(List.of(ColumnType.of(Kind.DATE), ColumnType.timestamp(0), ColumnType.of(Kind.SMALLINT)), Arrays.asList(null, null, (short) 0)));
        assertThat(outcome(connector, BackendQuery.of("mysql", "SELECT c_date FROM testdb.edge_values WHERE id = 4")))
                .asString().startsWith("failed: 22008: column \"c_date\" holds a value that cannot be read as date");
        assertThat(outcome(connector, BackendQuery.of("mysql", "SELECT c_time6 FROM testdb.edge_values WHERE id = 5")))
                .asString().startsWith("failed: 22008: column \"c_time6\" holds a value that cannot be read as time");
        assertThat(outcome(connector, new BackendQuery("mysql", "SELECT c_time FROM testdb.edge_values WHERE id = ?", List.of(6), List.of(ColumnType.of(Kind.INTEGER)))))
                .asString().startsWith("failed: 22008: column \"c_time\" holds a value that cannot be read as time");
    }

    /**
     * A statement the server will not prepare (here: every server-side statement slot is taken,
     * {@code max_prepared_stmt_count = 0}) still runs, client-side prepared, and a statement with a
     * syntax error reports the server's error as it would over text.
     */
    @Test
    public void testStatementTheServerWillNotPrepareRunsClientSidePrepared()
    {
        Connector serverPrepared = serverPreparedConnector();
        server.execute("SET GLOBAL max_prepared_stmt_count = 0");
        try (serverPrepared) {
            BackendQuery lookup = new BackendQuery("mysql", "SELECT name FROM testdb.customers WHERE id = ? /* not prepared */", List.of(1L),
                    List.of(ColumnType.of(Kind.BIGINT)));
            assertThat(rows(serverPrepared, lookup)).containsExactly(List.of("Aoki"));
            assertThat(rows(serverPrepared, lookup)).containsExactly(List.of("Aoki"));
        }
        finally {
            server.execute("SET GLOBAL max_prepared_stmt_count = DEFAULT");
        }
        Object prepared = outcome(connector, new BackendQuery("mysql", "SELECT name FROM testdb.customers WHERE id = ? AND", List.of(1L), List.of(ColumnType.of(Kind.BIGINT))));
        Object text = outcome(connector, BackendQuery.of("mysql", "SELECT name FROM testdb.customers WHERE id = 1 AND"));
        assertThat(prepared).asString().startsWith("failed: 42601: ");
        assertThat(text).asString().startsWith("failed: 42601: ");
    }

    /**
     * Text parameters the planner found free of collation ({@link BackendQuery#collationFreeParameters()})
     * run server-prepared and answer as the client-prepared statement (the value inlined as a literal)
     * does, for columns of every kind of collation: latin1, utf8mb4_bin, utf8mb4_general_ci, the
     * database's utf8mb4_unicode_ci and an explicit COLLATE, values that differ only in case, accents,
     * trailing spaces or width, that latin1 cannot hold, quotes and backslashes. A parameter beside a
     * literal is exactly what must stay client-prepared: server-prepared it fails with error 1267.
     */
    @Test
    public void testTextParametersFreeOfCollationRunServerPreparedWithTheLiteralsAnswers()
            throws Exception
    {
        List<String> columns = List.of("w_latin1", "w_bin", "w_general", "w_default", "w_explicit", "w_char");
        List<String> values = List.of("abc", "ABC", "abc ", "Äbc", "äbc", "ß", "ss", "日本", "😀", "", "a'b", "a\\b");
        server.execute(
                "CREATE DATABASE colldb CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
                "GRANT SELECT ON colldb.* TO 'sekisho'@'localhost'",
                "CREATE TABLE colldb.words (id INT NOT NULL PRIMARY KEY, w_latin1 VARCHAR(20) CHARACTER SET latin1, w_bin VARCHAR(20) COLLATE utf8mb4_bin, "
                        + "w_general VARCHAR(20) COLLATE utf8mb4_general_ci, w_default VARCHAR(20), w_explicit VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_520_ci, "
                        + "w_char CHAR(6))");
        try (java.sql.Connection root = java.sql.DriverManager.getConnection(server.jdbcUrl("colldb"), "root", "");
                java.sql.PreparedStatement insert = root.prepareStatement("INSERT INTO colldb.words VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                insert.setInt(1, i + 1);
                // latin1 holds neither Japanese nor emoji
                insert.setString(2, value.codePoints().allMatch(c -> c < 256) ? value : null);
                for (int column = 3; column <= 7; column++) {
                    insert.setString(column, value);
                }
                insert.executeUpdate();
            }
        }
        Connector source = connector(List.of(replica("live", server.port())), Map.of("databases", List.of("colldb")));
        try (source; java.sql.Connection probe = java.sql.DriverManager.getConnection(server.jdbcUrl("colldb"), "root", "")) {
            ColumnType text = ColumnType.varchar(20);
            int serverRuns = 0;
            long executionsBefore = statementExecutions(probe);
            List<Object[]> compared = new ArrayList<>();
            for (String column : columns) {
                for (String value : values) {
                    for (String operator : List.of("=", "<>", "<", ">=")) {
                        String sql = "SELECT id FROM colldb.words WHERE " + column + " " + operator + " ? ORDER BY id";
                        compared.add(new Object[] {sql, List.<Object>of(value), List.of(text)});
                    }
                    // the exact term of a text equality (TextComparisons), the parameter cast to bytes
                    compared.add(new Object[] {"SELECT id FROM colldb.words WHERE " + column + " = ? AND CAST(CAST(" + column + " AS CHAR) AS BINARY) = CAST(? AS BINARY) ORDER BY id",
                            List.<Object>of(value, value), List.of(text, text)});
                    compared.add(new Object[] {"SELECT id FROM colldb.words WHERE ? = " + column + " ORDER BY id", List.<Object>of(value), List.of(text)});
                }
            }
            List<Object> serverOutcomes = new ArrayList<>();
            for (Object[] statement : compared) {
                @SuppressWarnings("unchecked")
                List<Object> parameters = (List<Object>) statement[1];
                @SuppressWarnings("unchecked")
                List<ColumnType> types = (List<ColumnType>) statement[2];
                Set<Integer> all = new java.util.HashSet<>();
                for (int i = 0; i < parameters.size(); i++) {
                    all.add(i);
                }
                serverOutcomes.add(sqlStateOnly(outcome(source, new BackendQuery("mysql", (String) statement[0], parameters, types, List.of(), all))));
                serverRuns++;
            }
            long serverExecutions = statementExecutions(probe) - executionsBefore;
            long clientBefore = statementExecutions(probe);
            for (int i = 0; i < compared.size(); i++) {
                Object[] statement = compared.get(i);
                @SuppressWarnings("unchecked")
                List<Object> parameters = (List<Object>) statement[1];
                @SuppressWarnings("unchecked")
                List<ColumnType> types = (List<ColumnType>) statement[2];
                Object clientPrepared = sqlStateOnly(outcome(source, new BackendQuery("mysql", (String) statement[0], parameters, types, List.of())));
                assertThat(serverOutcomes.get(i)).as("%s with %s, server-prepared against client-prepared", statement[0], parameters).isEqualTo(clientPrepared);
            }
            assertThat(serverExecutions).as("COM_STMT_EXECUTE of the free statements").isGreaterThanOrEqualTo(serverRuns);
            assertThat(statementExecutions(probe) - clientBefore).as("COM_STMT_EXECUTE of the statements without free parameters").isZero();
            // the comparisons ran and found rows: latin1 holds "Äbc", the _ci collations fold case and accents, utf8mb4_bin does not
            assertThat(rows(source, new BackendQuery("mysql", "SELECT id FROM colldb.words WHERE w_bin = ? ORDER BY id", List.of("abc"), List.of(text), List.of(), Set.of(0))))
                    .containsExactly(List.of(1), List.of(3));
            assertThat(rows(source, new BackendQuery("mysql", "SELECT id FROM colldb.words WHERE w_latin1 = ? ORDER BY id", List.of("äbc"), List.of(text), List.of(), Set.of(0))))
                    .isNotEmpty();
            // values latin1 cannot hold fail alike in both (error 1267, the value cannot be converted to the column's character set)
            assertThat(serverOutcomes).as("outcomes that are failures").filteredOn(String.class::isInstance).hasSize(2 * 6);

            // a parameter beside a literal: fine inlined, error 1267 server-prepared (why the planner does not free it)
            BackendQuery besideLiteral = new BackendQuery("mysql", "SELECT id FROM colldb.words WHERE ? = 'abc' ORDER BY id", List.of("abc"), List.of(text));
            assertThat(rows(source, besideLiteral)).hasSize(values.size());
            assertThat(outcome(source, new BackendQuery("mysql", besideLiteral.sql(), besideLiteral.parameters(), besideLiteral.parameterTypes(), List.of(), Set.of(0))))
                    .asString().startsWith("failed: ").contains("MySQL error 1267");
        }
    }

    /** A failure as its SQLSTATE only: the messages name the collations, which differ by preparation. */
    private static Object sqlStateOnly(Object outcome)
    {
        return outcome instanceof String failure ? failure.substring(0, "failed: ".length() + 5) : outcome;
    }

    /** The column types and the values of a statement's rows (byte arrays as lists), or its SQLSTATE and message when it fails. */
    private static Object outcome(Connector connector, BackendQuery query)
    {
        try (ResultStream stream = connector.execute(query, new TestingExecutionContext())) {
            List<Object> outcome = new ArrayList<>();
            outcome.add(stream.columns().stream().map(ColumnMetadata::type).toList());
            while (stream.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    Object value = stream.value(i);
                    row.add(value instanceof byte[] bytes ? toList(bytes) : value);
                }
                outcome.add(row);
            }
            return outcome;
        }
        catch (QueryException e) {
            return "failed: " + e.sqlState() + ": " + e.getMessage();
        }
    }

    /** The first row of an outcome, numbers as BigDecimal (their Java class follows the column type). */
    private static List<Object> numbers(Object outcome)
    {
        assertThat(outcome).isInstanceOf(List.class);
        List<?> row = (List<?>) ((List<?>) outcome).get(1);
        return row.stream().map(value -> value instanceof Number number ? (Object) new BigDecimal(number.toString()) : value).toList();
    }

    private static List<Byte> toList(byte[] bytes)
    {
        List<Byte> list = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            list.add(b);
        }
        return list;
    }

    private static long statementExecutions(java.sql.Connection probe)
            throws java.sql.SQLException
    {
        try (java.sql.Statement statement = probe.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'")) {
            assertThat(rows.next()).isTrue();
            return rows.getLong(2);
        }
    }

    /**
     * Integers and UTF-8 strings of a text-protocol result hand on their raw bytes as their text:
     * every type's column says whether it does, and wherever bytes come they are exactly
     * {@code String.valueOf} of the value read the ordinary way (zero-filled integers, latin1 and
     * non-ASCII text fall back per value). A server-side prepared statement (binary rows) hands on none.
     */
    @Test
    public void testSourceTextIsTheValuesTextForEveryType()
    {
        server.execute("CREATE TABLE testdb.text_cases (id INT PRIMARY KEY, c_zerofill INT(6) ZEROFILL, c_latin1 VARCHAR(10) CHARACTER SET latin1,"
                        + " c_utf8 VARCHAR(10) CHARACTER SET utf8mb4, c_small SMALLINT, c_big BIGINT, c_medium_u MEDIUMINT UNSIGNED)",
                "INSERT INTO testdb.text_cases VALUES (1, 42, 'café', 'naïve 😀', -32768, -9223372036854775808, 16777215),"
                        + " (2, 0, '', '', 0, 9223372036854775807, 0), (3, NULL, NULL, NULL, NULL, NULL, NULL), (4, 123456, 'plain', 'a\0b ', 32767, -1, 1)");
        List<String> withText = List.of("id", "c_tinyint", "c_tinyint_u", "c_smallint", "c_smallint_u", "c_mediumint", "c_int", "c_int_u", "c_bigint",
                "c_varchar", "c_tinytext", "c_text", "c_mediumtext", "c_longtext", "c_enum", "c_set");
        List<String> textColumns = new ArrayList<>();
        int exactValues = 0;
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT * FROM testdb.types_test ORDER BY id"), new TestingExecutionContext())) {
            for (int i = 0; i < stream.columns().size(); i++) {
                if (stream.hasText(i)) {
                    textColumns.add(stream.columns().get(i).name());
                }
            }
            while (stream.next()) {
                exactValues += assertTextIsValueText(stream);
            }
        }
        assertThat(textColumns).containsExactlyElementsOf(withText);

        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT * FROM testdb.text_cases ORDER BY id"), new TestingExecutionContext())) {
            for (int i = 0; i < stream.columns().size(); i++) {
                assertThat(stream.hasText(i)).as("text of %s", stream.columns().get(i).name()).isEqualTo(!stream.columns().get(i).name().equals("c_latin1"));
            }
            assertThat(stream.next()).isTrue();
            // zero-filled (and so unsigned, a bigint): 000042 is not 42's text; non-ASCII UTF-8 is decoded and encoded again
            assertThat(stream.text(1)).isNull();
            assertThat(stream.value(1)).isEqualTo(42L);
            assertThat(stream.text(3)).isNull();
            assertThat(stream.value(3)).isEqualTo("naïve 😀");
            assertThat(stream.text(4)).isEqualTo("-32768".getBytes(StandardCharsets.UTF_8));
            assertThat(stream.text(5)).isEqualTo("-9223372036854775808".getBytes(StandardCharsets.UTF_8));
            assertThat(stream.text(6)).isEqualTo("16777215".getBytes(StandardCharsets.UTF_8));
            do {
                exactValues += assertTextIsValueText(stream);
            }
            while (stream.next());
        }
        assertThat(exactValues).as("values handed on as source text").isGreaterThan(30);

        // a numeric parameter: server-prepared by default, so the rows are binary and no column hands on text
        BackendQuery byNumber = new BackendQuery("mysql", "SELECT * FROM testdb.types_test WHERE id > ? ORDER BY id", List.of(0), List.of(ColumnType.of(Kind.INTEGER)));
        try (ResultStream stream = connector.execute(byNumber, new TestingExecutionContext())) {
            for (int i = 0; i < stream.columns().size(); i++) {
                assertThat(stream.hasText(i)).as("binary rows: text of %s", stream.columns().get(i).name()).isFalse();
            }
        }
        // a string parameter: prepared on the client, so the rows are text again
        BackendQuery byString = new BackendQuery("mysql", "SELECT * FROM testdb.types_test WHERE c_varchar <> ? ORDER BY id", List.of("-"),
                List.of(ColumnType.of(Kind.VARCHAR)));
        List<String> textByString = new ArrayList<>();
        try (ResultStream stream = connector.execute(byString, new TestingExecutionContext())) {
            for (int i = 0; i < stream.columns().size(); i++) {
                if (stream.hasText(i)) {
                    textByString.add(stream.columns().get(i).name());
                }
            }
            while (stream.next()) {
                assertTextIsValueText(stream);
            }
        }
        assertThat(textByString).containsExactlyElementsOf(withText);
    }

    /**
     * Connector/J's streamed text rows are read in place ({@link MySqlRowBytes}): for every column
     * of every type, and for values whose length takes one, two and three bytes to say (the
     * length-encoded string's forms around 251 and 65,536 bytes) and NULLs, the bytes located are
     * exactly those {@code getBytes} copies out.
     */
    @Test
    public void testRowBytesLocateWhatGetBytesReads()
            throws Exception
    {
        assertThat(MySqlRowBytes.available()).as("this Connector/J's rows can be located").isTrue();
        server.execute("CREATE TABLE testdb.long_values (id INT PRIMARY KEY, a MEDIUMTEXT CHARACTER SET latin1, b INT, c MEDIUMTEXT)");
        int[] lengths = {0, 1, 250, 251, 252, 65535, 65536, 70000};
        for (int i = 0; i < lengths.length; i++) {
            server.execute("INSERT INTO testdb.long_values VALUES (" + i + ", REPEAT('x', " + lengths[i] + "), " + (i % 2 == 0 ? "NULL" : i)
                    + ", REPEAT('yz', " + lengths[i] + "))");
        }
        server.execute("INSERT INTO testdb.long_values VALUES (100, NULL, NULL, NULL)");
        int located = 0;
        try (java.sql.Connection direct = java.sql.DriverManager.getConnection(server.jdbcUrl("testdb"), "root", "")) {
            for (String table : List.of("types_test", "edge_values", "long_values")) {
                try (java.sql.Statement statement = direct.createStatement(java.sql.ResultSet.TYPE_FORWARD_ONLY, java.sql.ResultSet.CONCUR_READ_ONLY)) {
                    statement.setFetchSize(Integer.MIN_VALUE);
                    java.sql.ResultSet rows = statement.executeQuery("SELECT * FROM testdb." + table + " ORDER BY id");
                    int columns = rows.getMetaData().getColumnCount();
                    dev.sekisho.connectors.jdbc.TextColumn[] text = new dev.sekisho.connectors.jdbc.TextColumn[columns];
                    text[0] = dev.sekisho.connectors.jdbc.TextColumn.INTEGER;
                    dev.sekisho.connectors.jdbc.RowBytes rowBytes = MySqlRowBytes.of(rows, text);
                    int[] offsets = new int[columns];
                    int[] valueLengths = new int[columns];
                    while (rows.next()) {
                        byte[] bytes = rowBytes.locate(offsets, valueLengths);
                        assertThat(bytes).as("%s row %s located", table, rows.getString(1)).isNotNull();
                        for (int i = 0; i < columns; i++) {
                            byte[] expected = rows.getBytes(i + 1);
                            byte[] actual = valueLengths[i] < 0 ? null : Arrays.copyOfRange(bytes, offsets[i], offsets[i] + valueLengths[i]);
                            assertThat(actual).as("%s row %s column %s", table, rows.getString(1), rows.getMetaData().getColumnName(i + 1)).isEqualTo(expected);
                            located++;
                        }
                    }
                }
            }
        }
        finally {
            server.execute("DROP TABLE testdb.long_values");
        }
        assertThat(located).as("values located").isGreaterThan(100);

        // a row whose every column is text is copied whole, as each value's length and text (-1 for NULL), when every value is exact
        int wholeRows = 0;
        int columnByColumn = 0;
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT id, c_small, c_big, c_utf8, c_zerofill FROM testdb.text_cases ORDER BY id"),
                new TestingExecutionContext())) {
            while (stream.next()) {
                java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
                boolean exact = true;
                for (int i = 0; i < stream.columns().size(); i++) {
                    byte[] text = stream.text(i);
                    exact &= text != null || stream.value(i) == null;
                    int length = text == null ? -1 : text.length;
                    expected.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
                    expected.write(text == null ? new byte[0] : text);
                }
                byte[] target = new byte[expected.size() + 5];
                int end = stream.copyTextRow(target, 5);
                if (exact) {
                    assertThat(end).as("row %s copied whole", stream.value(0)).isEqualTo(target.length);
                    assertThat(Arrays.copyOfRange(target, 5, end)).isEqualTo(expected.toByteArray());
                    assertThat(stream.copyTextRow(new byte[target.length - 1], 5)).as("too little room").isEqualTo(-2);
                    wholeRows++;
                }
                else {
                    assertThat(end).as("row %s has a value without exact text", stream.value(0)).isEqualTo(-1);
                    columnByColumn++;
                }
            }
        }
        assertThat(wholeRows).as("rows copied whole").isGreaterThanOrEqualTo(1);
        assertThat(columnByColumn).as("rows asked column by column").isGreaterThanOrEqualTo(1);
        // a result without a text column is not looked into
        try (java.sql.Connection direct = java.sql.DriverManager.getConnection(server.jdbcUrl("testdb"), "root", "");
                java.sql.Statement statement = direct.createStatement()) {
            assertThat(MySqlRowBytes.of(statement.executeQuery("SELECT 1"), new dev.sekisho.connectors.jdbc.TextColumn[1])).isSameAs(dev.sekisho.connectors.jdbc.RowBytes.NONE);
        }
    }

    /**
     * Wherever a value of the current row comes as text, it is the value's text, and its length and
     * copy say the same; returns how many came.
     */
    private static int assertTextIsValueText(ResultStream stream)
    {
        int exact = 0;
        for (int i = 0; i < stream.columns().size(); i++) {
            byte[] text = stream.text(i);
            assertThat(stream.textLength(i)).as("text length of %s", stream.columns().get(i).name()).isEqualTo(text == null ? -1 : text.length);
            if (text != null) {
                byte[] copy = new byte[text.length + 3];
                stream.copyText(i, copy, 3);
                assertThat(Arrays.copyOfRange(copy, 3, copy.length)).as("copied text of %s", stream.columns().get(i).name()).isEqualTo(text);
            }
            Object value = stream.value(i);
            if (text != null) {
                assertThat(stream.hasText(i)).isTrue();
                assertThat(new String(text, StandardCharsets.UTF_8)).as("text of %s", stream.columns().get(i).name()).isEqualTo(String.valueOf(value));
                assertThat(text).isEqualTo(String.valueOf(value).getBytes(StandardCharsets.UTF_8));
                exact++;
            }
        }
        return exact;
    }

    @Test
    public void testParameterBindingOfEveryType()
    {
        for (Map.Entry<String, TypeCase> entry : TYPES.entrySet()) {
            String column = entry.getKey();
            TypeCase type = entry.getValue();
            if (type.type.kind() == Kind.UNKNOWN) {
                continue;
            }
            Object value = type.value;
            if (type.type.kind() == Kind.TIMESTAMP_WITH_TIME_ZONE) {
                // the same instant in another offset must find the row
                value = ((OffsetDateTime) value).withOffsetSameInstant(ZoneOffset.ofHours(9));
            }
            if (type.type.kind() == Kind.CHAR) {
                value = ((String) value).strip();
            }
            BackendQuery query = new BackendQuery("mysql", "SELECT id FROM testdb.types_test WHERE " + column + " = ?", Arrays.asList(value), List.of(type.type));
            assertThat(rows(query)).as("lookup by %s (%s)", column, type.mysqlType).containsExactly(List.of(1));

            BackendQuery nullQuery = new BackendQuery("mysql", "SELECT CASE WHEN ? IS NULL THEN 'null' ELSE 'value' END", Arrays.asList((Object) null), List.of(type.type));
            assertThat(rows(nullQuery)).as("NULL of %s", type.type).containsExactly(List.of("null"));
        }

        assertThatThrownBy(() -> rows(new BackendQuery("mysql", "SELECT ?", List.of("not a number"), List.of(ColumnType.of(Kind.INTEGER)))))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22023"));
    }

    @Test
    public void testStreamsLargeResultInBoundedHeap()
    {
        int total = 1_000_000;
        Runtime runtime = Runtime.getRuntime();
        long baseline = usedHeapAfterGc(runtime);
        long maxUsed = 0;
        long count = 0;
        long sum = 0;
        try (ResultStream stream = connector.execute(
                BackendQuery.of("mysql", "SELECT seq, REPEAT('x', 200) FROM testdb.seq_1_to_" + total),
                new TestingExecutionContext())) {
            while (stream.next()) {
                count++;
                // seq is BIGINT UNSIGNED, which maps to DECIMAL(20,0)
                sum += ((BigDecimal) stream.value(0)).longValueExact();
                assertThat(((String) stream.value(1)).length()).isEqualTo(200);
                if (count % 100_000 == 0) {
                    maxUsed = Math.max(maxUsed, usedHeapAfterGc(runtime));
                }
            }
        }
        assertThat(count).isEqualTo(total);
        assertThat(sum).isEqualTo((long) total * (total + 1) / 2);
        // buffering the result would take well over 200 MB (1M rows of 200 characters)
        assertThat(maxUsed - baseline).as("heap growth while streaming, bytes").isLessThan(40L * 1024 * 1024);
    }

    @Test
    public void testCancelWhileExecuting()
    {
        TestingExecutionContext context = new TestingExecutionContext();
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(context::cancel);
        long start = System.nanoTime();
        assertThatThrownBy(() -> {
            try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT SLEEP(30)"), context)) {
                while (stream.next()) {
                    stream.value(0);
                }
            }
        }).isInstanceOfSatisfying(QueryException.class, e -> {
            assertThat(e.sqlState()).isEqualTo("57014");
            assertThat(e.getMessage()).isEqualTo("canceling statement due to user request");
        });
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(context.registrations()).isZero();
        assertThat(rows(BackendQuery.of("mysql", "SELECT 1"))).containsExactly(List.of(1));
    }

    /** A server-prepared statement is cancelled the same way, and its text runs again afterwards on the pool's connections. */
    @Test
    public void testCancelServerPreparedWhileExecuting()
    {
        try (Connector serverPrepared = serverPreparedConnector()) {
            cancelWhileExecuting(serverPrepared);
        }
    }

    private static void cancelWhileExecuting(Connector connector)
    {
        BackendQuery sleep = new BackendQuery("mysql", "SELECT SLEEP(?)", List.of(30), List.of(ColumnType.of(Kind.INTEGER)));
        TestingExecutionContext context = new TestingExecutionContext();
        CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS).execute(context::cancel);
        long start = System.nanoTime();
        assertThatThrownBy(() -> rows(connector, sleep, context))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(context.registrations()).isZero();
        for (int i = 0; i < 3; i++) {
            List<List<Object>> rows = rows(connector, new BackendQuery("mysql", "SELECT SLEEP(?)", List.of(0), List.of(ColumnType.of(Kind.INTEGER))));
            assertThat(rows).hasSize(1);
            assertThat(((Number) rows.get(0).get(0)).intValue()).isZero();
        }
    }

    @Test
    public void testCancelWhileStreaming()
    {
        TestingExecutionContext context = new TestingExecutionContext();
        ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT seq FROM testdb.seq_1_to_1000000000"), context);
        for (int i = 0; i < 1000; i++) {
            assertThat(stream.next()).isTrue();
        }
        long start = System.nanoTime();
        CompletableFuture.runAsync(context::cancel).join();
        assertThatThrownBy(() -> {
            while (stream.next()) {
                stream.value(0);
            }
        }).isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("57014"));
        stream.close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(rows(BackendQuery.of("mysql", "SELECT 2"))).containsExactly(List.of(2));
    }

    /**
     * A statement with number parameters runs its connection's kept statement again: prepared once,
     * never closed or reset between runs (MariaDB's counters), every run with its own values.
     */
    @Test
    public void testAPreparedLookupRunsItsConnectionsKeptStatementAgain()
    {
        try (MySqlConnector single = (MySqlConnector) connector(List.of(replica("live", server.port())), Map.of("pool", Map.of("max_size", 1)))) {
            Map<String, Long> before = statementCounters();
            assertThat(rows(single, lookupById(1L))).containsExactly(List.of(1L, "Aoki"));
            assertThat(rows(single, lookupById(2L))).containsExactly(List.of(2L, "Baba"));
            assertThat(rows(single, lookupById(null))).isEmpty();
            assertThat(rows(single, lookupById(1L))).containsExactly(List.of(1L, "Aoki"));
            Map<String, Long> after = statementCounters();
            assertThat(single.keptStatements().prepared()).isEqualTo(1);
            assertThat(after.get("Com_stmt_prepare") - before.get("Com_stmt_prepare")).isEqualTo(1);
            assertThat(after.get("Com_stmt_execute") - before.get("Com_stmt_execute")).isEqualTo(4);
            assertThat(after.get("Com_stmt_close") - before.get("Com_stmt_close")).isZero();
            assertThat(after.get("Com_stmt_reset") - before.get("Com_stmt_reset")).isZero();
        }
    }

    /** A run's warnings (MySQL's NULL for a division by zero, raised as 22012) never reach the next run of the same kept statement. */
    @Test
    public void testAKeptStatementCarriesNoWarningIntoItsNextRun()
    {
        try (MySqlConnector single = (MySqlConnector) connector(List.of(replica("live", server.port())), Map.of("pool", Map.of("max_size", 1)))) {
            assertThatThrownBy(() -> rows(single, divide(0)))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
            assertThat(rows(single, divide(5))).containsExactly(List.of(2));
            assertThatThrownBy(() -> rows(single, divide(0)))
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("22012"));
            assertThat(rows(single, divide(2))).containsExactly(List.of(5));
            assertThat(single.keptStatements().prepared()).isEqualTo(1);
        }
    }

    /**
     * Kept statements live and die with their connection: after an abort (a cancel while rows
     * stream) and after the server killed the connection, the lookup is prepared afresh on the new
     * connection and answers right; the closed connections are forgotten.
     */
    @Test
    public void testKeptStatementsDieWithTheirConnection()
            throws Exception
    {
        try (MySqlConnector single = (MySqlConnector) connector(List.of(replica("live", server.port())), Map.of("pool", Map.of("max_size", 1)))) {
            KeptStatements kept = single.keptStatements();
            assertThat(rows(single, lookupById(1L))).containsExactly(List.of(1L, "Aoki"));
            assertThat(kept.prepared()).isEqualTo(1);

            TestingExecutionContext context = new TestingExecutionContext();
            ResultStream stream = single.execute(BackendQuery.of("mysql", "SELECT seq FROM testdb.seq_1_to_1000000000"), context);
            assertThat(stream.next()).isTrue();
            context.cancel();
            assertThatThrownBy(() -> {
                while (stream.next()) {
                    stream.value(0);
                }
            }).isInstanceOf(QueryException.class);
            stream.close();
            assertThat(rows(single, lookupById(2L))).containsExactly(List.of(2L, "Baba"));
            assertThat(kept.prepared()).isEqualTo(2);

            long connectionId = ((Number) rows(single, BackendQuery.of("mysql", "SELECT CONNECTION_ID()")).get(0).get(0)).longValue();
            server.execute("KILL " + connectionId);
            // HikariCP finds the killed connection dead when it validates it before lending it (idle over half a second)
            Thread.sleep(700);
            assertThat(rows(single, lookupById(1L))).containsExactly(List.of(1L, "Aoki"));
            assertThat(kept.prepared()).isEqualTo(3);
            assertThat(((Number) rows(single, BackendQuery.of("mysql", "SELECT CONNECTION_ID()")).get(0).get(0)).longValue()).isNotEqualTo(connectionId);

            kept.forgetClosedConnections();
            assertThat(kept.connections()).isEqualTo(1);
        }
    }

    private static BackendQuery lookupById(Long id)
    {
        List<Object> values = new ArrayList<>();
        values.add(id);
        return new BackendQuery("mysql", "SELECT id, name FROM testdb.customers WHERE id = ?", values, List.of(ColumnType.of(Kind.BIGINT)));
    }

    private static BackendQuery divide(int divisor)
    {
        return new BackendQuery("mysql", "SELECT 10 DIV ?", List.of(divisor), List.of(ColumnType.of(Kind.INTEGER)));
    }

    private Map<String, Long> statementCounters()
    {
        Map<String, Long> counters = new HashMap<>();
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection(server.jdbcUrl(null), "root", "");
                java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_stmt_%'")) {
            while (result.next()) {
                counters.put(result.getString(1), result.getLong(2));
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return counters;
    }

    /**
     * The pool's connections keep their socket in blocking mode ({@link BlockingSocketFactory}), also
     * after HikariCP validated an idle one (a timed ping); with Connector/J's own factory, the timed
     * connect alone makes it non-blocking.
     */
    @Test
    public void testSourceConnectionsStayInBlockingMode()
            throws Exception
    {
        BackendQuery ownAddress = BackendQuery.of("mysql", "SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()");
        for (int i = 0; i < 2; i++) {
            if (i == 1) {
                // HikariCP validates a connection idle for over half a second before lending it
                Thread.sleep(700);
            }
            String host = (String) rows(ownAddress).get(0).get(0);
            assertThat(TestingSocketModes.nonBlocking(clientPort(host), server.port())).as(host).isFalse();
        }
        try (java.sql.Connection plain = java.sql.DriverManager.getConnection(server.jdbcUrl(null) + "&connectTimeout=5000", "root", "")) {
            assertThat(TestingSocketModes.nonBlocking(clientPort(plain), server.port())).isTrue();
        }
    }

    /** Connector/J's abort (a cancel while rows stream, the pool's guard) wakes a thread waiting for the server in a blocking read. */
    @Test
    public void testAbortWakesAStatementWaitingInABlockingRead()
            throws Exception
    {
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(ReplicaPool.DEFAULT_PROPERTIES);
        properties.setProperty("connectTimeout", "5000");
        properties.setProperty("user", "root");
        properties.setProperty("password", "");
        java.sql.Connection connection = java.sql.DriverManager.getConnection(server.jdbcUrl(null), properties);
        try {
            assertThat(TestingSocketModes.nonBlocking(clientPort(connection), server.port())).isFalse();
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.executeQuery("SELECT SLEEP(30)");
                }
                catch (java.sql.SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(500);
            assertThat(sleeping).isNotDone();
            long start = System.nanoTime();
            connection.abort(Runnable::run);
            assertThatThrownBy(() -> sleeping.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        }
        finally {
            connection.close();
        }
    }

    private static int clientPort(java.sql.Connection connection)
            throws java.sql.SQLException
    {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet result = statement.executeQuery("SELECT host FROM information_schema.processlist WHERE id = CONNECTION_ID()")) {
            assertThat(result.next()).isTrue();
            return clientPort(result.getString(1));
        }
    }

    /** The client's port in the processlist's {@code host} ({@code localhost:51234}). */
    private static int clientPort(String host)
    {
        return Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
    }

    /**
     * Whether a streamed row has arrived is told without blocking, from what Connector/J and the
     * socket hold ({@link MySqlRowArrival}): every row of a result MariaDB sent at once is reported
     * arrived, and asking again before reading changes nothing (the header looked at is handed back
     * to the read, the rows come in order); a row MariaDB is still producing is not reported
     * arrived, nor one whose end MariaDB keeps in its network buffer until it writes the next row.
     */
    @Test
    public void testStreamedRowsArriveWithoutBlocking()
            throws InterruptedException
    {
        // small rows are counted in Connector/J's buffer, a look per buffer rather than per row
        assertThat(MySqlRowArrival.countsBufferedPackets()).as("this Connector/J's read-ahead buffer can be looked at").isTrue();
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT seq FROM testdb.seq_1_to_5000"), new TestingExecutionContext())) {
            assertThat(stream.next()).isTrue();
            for (long expected = 2; expected <= 5000; expected++) {
                awaitArrived(stream);
                assertThat(stream.nextRowArrived()).isTrue();
                assertThat(stream.next()).isTrue();
                assertThat(((Number) stream.value(0)).longValue()).isEqualTo(expected);
            }
            awaitArrived(stream);
            assertThat(stream.next()).isFalse();
            assertThat(stream.nextRowArrived()).as("at the end").isTrue();
        }
        // rows of 20 KB, the 4th taking 4 seconds to produce
        String slow = "SELECT seq, REPEAT('x', 20000) AS pad, SLEEP(IF(seq = 4, 4, 0)) AS slept FROM testdb.seq_1_to_4";
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", slow), new TestingExecutionContext())) {
            long start = System.nanoTime();
            assertThat(stream.next()).isTrue();
            Thread.sleep(300);
            int read = 1;
            while (read < 4 && stream.nextRowArrived()) {
                assertThat(stream.next()).isTrue();
                read++;
                assertThat(((Number) stream.value(0)).longValue()).isEqualTo(read);
            }
            assertThat(read).as("rows read while they had arrived").isBetween(2, 3);
            assertThat(stream.nextRowArrived()).isFalse();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("nothing waited for the slow row").isLessThan(2_500);
            while (read < 4) {
                assertThat(stream.next()).isTrue();
                read++;
                assertThat(((Number) stream.value(0)).longValue()).isEqualTo(read);
                assertThat((String) stream.value(1)).hasSize(20000);
            }
            assertThat(stream.next()).isFalse();
        }
    }

    /**
     * A lease's abort from another thread (a cancel) racing its return: the abort either reaches
     * the connection before it goes back to the pool or not at all, so the statement HikariCP lends
     * the connection to next never finds it closed under it (which the connector would take for the
     * server going away). One connection in the pool, so the next lease is the same one whenever it
     * survived.
     */
    @Test
    public void testALateAbortNeverReachesTheConnectionLentNext()
            throws Exception
    {
        Map<String, Object> settings = new HashMap<>();
        settings.put("replicas", List.of(replica("live", server.port())));
        settings.put("pool", Map.of("max_size", 1));
        try (ReplicaPool pool = new ReplicaPool(MySqlConfig.parse(new SourceConfig("mysql", "mysql", settings)), new RoundRobinSelector())) {
            for (int i = 0; i < 200; i++) {
                ReplicaPool.Lease lease = pool.acquire();
                java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
                Thread canceller = new Thread(() -> {
                    try {
                        start.await();
                        lease.abort();
                    }
                    catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                canceller.start();
                start.await();
                lease.close();
                try (ReplicaPool.Lease next = pool.acquire(); java.sql.Statement statement = next.connection().createStatement()) {
                    // long enough for a late abort to land while the next statement holds the connection
                    java.sql.ResultSet rows = statement.executeQuery("SELECT SLEEP(0.002), " + i);
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getInt(2)).isEqualTo(i);
                }
                canceller.join();
            }
        }
    }

    private static void awaitArrived(ResultStream stream)
            throws InterruptedException
    {
        for (int i = 0; i < 2000 && !stream.nextRowArrived(); i++) {
            Thread.sleep(5);
        }
    }

    @Test
    public void testEarlyCloseIsFast()
    {
        TestingExecutionContext context = new TestingExecutionContext();
        long start = System.nanoTime();
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT seq FROM testdb.seq_1_to_1000000000"), context)) {
            for (int i = 0; i < 10; i++) {
                assertThat(stream.next()).isTrue();
            }
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
        assertThat(context.registrations()).isZero();

        // a small leftover is drained, and the pool keeps working either way
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT seq FROM testdb.seq_1_to_100"), context)) {
            assertThat(stream.next()).isTrue();
        }
        assertThat(rows(BackendQuery.of("mysql", "SELECT count(*) FROM testdb.customers"))).containsExactly(List.of(2L));
    }

    @Test
    public void testErrorMapping()
    {
        assertError("SELECT * FROM testdb.no_such_table", "42P01", "no_such_table");
        assertError("SELECT no_such_column FROM testdb.customers", "42703", "no_such_column");
        assertError("SELEC 1", "42601", "syntax");
        // MySQL does not tell a user without rights whether a database exists
        assertError("SELECT * FROM no_such_db.t", "42501", "may not read");
        assertError("SELECT * FROM mysql.user", "42501", "may not read");
    }

    private void assertError(String sql, String sqlState, String messagePart)
    {
        assertThatThrownBy(() -> rows(BackendQuery.of("mysql", sql)))
                .as(sql)
                .isInstanceOfSatisfying(QueryException.class, e -> {
                    assertThat(e.sqlState()).as(e.getMessage()).isEqualTo(sqlState);
                    assertThat(e.getMessage()).containsIgnoringCase(messagePart).doesNotContain(PASSWORD);
                });
    }

    @Test
    public void testDownReplicaIsSkipped()
    {
        int deadPort = TestingMySqlServer.freePort();
        try (Connector failover = connector(List.of(replica("dead", deadPort), replica("live", server.port())), Map.of("pool", Map.of("connection_timeout_ms", 1000, "min_idle", 0)))) {
            long start = System.nanoTime();
            for (int i = 0; i < 6; i++) {
                assertThat(rows(failover, BackendQuery.of("mysql", "SELECT count(*) FROM testdb.customers"))).containsExactly(List.of(2L));
            }
            // the dead replica costs one connection timeout, then it is skipped
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
            assertThat(failover.metadata().listTables("testdb")).contains("customers");
        }

        int otherDeadPort = TestingMySqlServer.freePort();
        try (Connector allDead = connector(List.of(replica("dead-1", deadPort), replica("dead-2", otherDeadPort)), Map.of("pool", Map.of("connection_timeout_ms", 500, "min_idle", 0)))) {
            // routing fails closed: every server is named with its state (57P03, docs/routing.md)
            assertThatThrownBy(() -> rows(allDead, BackendQuery.of("mysql", "SELECT 1")))
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("57P03");
                        assertThat(e.getMessage()).contains("dead-1 is down (connection refused)", "dead-2 is down (connection refused)").doesNotContain(PASSWORD);
                    });
        }
    }

    @Test
    public void testWrongPasswordIsReportedWithoutSecrets()
    {
        Map<String, Object> wrong = new HashMap<>(replica("live", server.port()));
        wrong.put("password", "wrong-" + PASSWORD);
        try (Connector connector = connector(List.of(wrong), Map.of("pool", Map.of("connection_timeout_ms", 500, "min_idle", 0)))) {
            // the monitor finds the server refusing the credentials: down, and routing fails closed naming it (57P03)
            assertThatThrownBy(() -> rows(connector, BackendQuery.of("mysql", "SELECT 1")))
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("57P03");
                        assertThat(e.getMessage()).contains("live is down (refused the gateway's credentials (MySQL error 1045))").doesNotContain(PASSWORD);
                    });
        }
    }

    @Test
    public void testShopDemoScript()
            throws Exception
    {
        Path script = Path.of("..", "gateway", "src", "main", "resources", "demo", "shop.sql");
        assumeThat(Files.exists(script)).as("demo script next to this module").isTrue();
        try (InputStream in = Files.newInputStream(script)) {
            server.runScript(in);
        }
        try (Connector shop = connector(List.of(Map.of("name", "demo", "host", "localhost", "port", server.port(), "user", "sekisho_reader", "password", "sekisho-demo")),
                Map.of("databases", List.of("shop")))) {
            assertThat(shop.metadata().listTables("shop")).contains("customers", "orders", "products", "order_items");
            assertThat(rows(shop, BackendQuery.of("mysql", "SELECT (SELECT count(*) FROM shop.customers), (SELECT count(*) FROM shop.orders), " +
                    "(SELECT count(*) FROM shop.products), (SELECT count(*) FROM shop.order_items)")))
                    .containsExactly(List.of(1000L, 10000L, 100L, 30000L));
            List<List<Object>> joined = rows(shop, BackendQuery.of("mysql",
                    "SELECT c.region, count(DISTINCT o.id), sum(i.quantity * p.price) FROM shop.customers c " +
                            "JOIN shop.orders o ON o.customer_id = c.id JOIN shop.order_items i ON i.order_id = o.id " +
                            "JOIN shop.products p ON p.id = i.product_id GROUP BY c.region ORDER BY c.region"));
            assertThat(joined).hasSizeGreaterThan(1);
            TableMetadata customers = shop.metadata().getTable("shop", "customers").orElseThrow();
            assertThat(customers.primaryKey()).containsExactly("id");
            assertThat(shop.metadata().getTable("shop", "orders").orElseThrow().indexes())
                    .containsExactly(new IndexMetadata("orders_customer", List.of("customer_id"), false));
            assertThat(shop.metadata().getTable("shop", "order_items").orElseThrow().indexes()).extracting(IndexMetadata::name)
                    .containsExactly("order_items_order", "order_items_product");
            assertThat(customers.columns()).filteredOn(c -> c.name().equals("is_active")).extracting(ColumnMetadata::type).containsExactly(ColumnType.of(Kind.BOOLEAN));
            assertThat(rows(shop, BackendQuery.of("mysql", "SELECT count(*) FROM shop.customers WHERE email IS NULL")).get(0).get(0)).isNotEqualTo(0L);
        }
    }

    private List<List<Object>> rows(BackendQuery query)
    {
        return rows(connector, query);
    }

    private static List<List<Object>> rows(Connector connector, BackendQuery query)
    {
        return rows(connector, query, new TestingExecutionContext());
    }

    private static List<List<Object>> rows(Connector connector, BackendQuery query, TestingExecutionContext context)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultStream stream = connector.execute(query, context)) {
            while (stream.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    row.add(stream.value(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    public void aStreamNobodyClosesGoesBackWhenItsStatementEnds()
    {
        try (MySqlConnector pool = (MySqlConnector) connector(List.of(replica("live", server.port())), Map.of("pool", Map.of("max_size", 2, "min_idle", 0)))) {
            TestingExecutionContext statement = new TestingExecutionContext();
            // an engine that opens two scans and fails before closing either
            ResultStream first = pool.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), statement);
            ResultStream second = pool.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), statement);
            assertThat(first.next()).isTrue();
            assertThat(pool.leasedConnections()).isEqualTo(2);
            assertThat(active(pool)).isEqualTo(2);
            statement.finish();
            assertThat(pool.leasedConnections()).isZero();
            assertThat(active(pool)).isZero();
            assertThat(statement.heldResources()).isZero();
            // closing the streams later (or never) changes nothing
            first.close();
            second.close();
            assertThat(pool.leasedConnections()).isZero();
            assertThat(rows(pool, "SELECT count(*) FROM testdb.customers", new TestingExecutionContext())).containsExactly(List.of(2L));
        }
    }

    @Test
    public void aClosedStreamLeavesNothingToCloseWithItsStatement()
    {
        TestingExecutionContext statement = new TestingExecutionContext();
        try (ResultStream stream = connector.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), statement)) {
            assertThat(statement.heldResources()).isEqualTo(1);
            while (stream.next()) {
                assertThat(stream.value(0)).isNotNull();
            }
        }
        assertThat(statement.heldResources()).isZero();
    }

    @Test
    public void theGuardReclaimsAConnectionWhoseStatementEnded()
            throws InterruptedException
    {
        try (MySqlConnector pool = (MySqlConnector) connector(List.of(replica("live", server.port())), Map.of("pool", Map.of("max_size", 2, "min_idle", 0)))) {
            // a caller that neither closes the stream nor ends its statements' resources
            TestingExecutionContext statement = TestingExecutionContext.forgetful();
            ResultStream leaked = pool.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), statement);
            assertThat(leaked.next()).isTrue();
            Thread.sleep(ReplicaPool.GUARD_INTERVAL_MILLIS + 500);
            assertThat(pool.leasedConnections()).as("a running statement keeps its connection").isEqualTo(1);
            statement.finish();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ReplicaPool.GUARD_INTERVAL_MILLIS * 3);
            while (pool.leasedConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(pool.leasedConnections()).isZero();
            assertThat(active(pool)).isZero();
        }
    }

    @Test
    public void aStatementWantingMoreConnectionsThanAreFreeFailsFastInsteadOfDeadlocking()
    {
        try (MySqlConnector pool = (MySqlConnector) connector(List.of(replica("live", server.port())),
                Map.of("pool", Map.of("max_size", 2, "min_idle", 0, "connection_timeout_ms", 30000, "extra_connection_wait_ms", 200)))) {
            TestingExecutionContext a = new TestingExecutionContext();
            TestingExecutionContext b = new TestingExecutionContext();
            ResultStream heldByA = pool.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), a);
            ResultStream heldByB = pool.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), b);
            // each holds one and wants another: with waits of connection_timeout_ms this would hang for 30 s each
            long start = System.nanoTime();
            assertThatThrownBy(() -> pool.execute(BackendQuery.of("mysql", "SELECT 1"), a))
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("53300");
                        assertThat(e.getMessage()).contains("holds 1 connection(s) of source 'mysql' and needs another");
                    });
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(5_000);
            a.finish();
            heldByA.close();
            // the busy pool did not count against the server: it still answers
            assertThat(pool.servers()).extracting(status -> status.state()).containsExactly("up");
            assertThat(rows(pool, "SELECT 1", new TestingExecutionContext())).containsExactly(List.of(1L));
            heldByB.close();
            b.finish();
            assertThat(pool.leasedConnections()).isZero();
        }
    }

    @Test
    public void aBusyPoolGivesTooManyConnectionsAndLeavesTheServerUp()
    {
        try (MySqlConnector pool = (MySqlConnector) connector(List.of(replica("live", server.port())),
                Map.of("pool", Map.of("max_size", 1, "min_idle", 0, "connection_timeout_ms", 300, "extra_connection_wait_ms", 100)))) {
            TestingExecutionContext holder = new TestingExecutionContext();
            ResultStream held = pool.execute(BackendQuery.of("mysql", "SELECT id FROM testdb.customers"), holder);
            assertThatThrownBy(() -> pool.execute(BackendQuery.of("mysql", "SELECT 1"), new TestingExecutionContext()))
                    .isInstanceOfSatisfying(QueryException.class, e -> {
                        assertThat(e.sqlState()).isEqualTo("53300");
                        assertThat(e.getMessage()).contains("connections per server of source 'mysql' are busy");
                    });
            assertThat(pool.servers()).extracting(status -> status.state()).containsExactly("up");
            held.close();
            holder.finish();
            assertThat(rows(pool, "SELECT 1", new TestingExecutionContext())).containsExactly(List.of(1L));
        }
    }

    @Test
    public void configuredDatabasesAreExposedWhileNoServerAnswers()
    {
        int deadPort = TestingMySqlServer.freePort();
        try (Connector down = connector(List.of(replica("dead", deadPort)),
                Map.of("databases", List.of("testdb"), "pool", Map.of("connection_timeout_ms", 500, "min_idle", 0)))) {
            // the gateway starts and serves its other sources; this one's tables appear when it answers
            assertThat(down.metadata().listSchemas()).containsExactly("testdb");
        }
    }

    private static int active(MySqlConnector pool)
    {
        return pool.servers().stream().mapToInt(status -> status.activeConnections()).sum();
    }

    private static List<List<Object>> rows(Connector source, String sql, TestingExecutionContext context)
    {
        List<List<Object>> rows = new ArrayList<>();
        try (ResultStream stream = source.execute(BackendQuery.of("mysql", sql), context)) {
            while (stream.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 0; i < stream.columns().size(); i++) {
                    Object value = stream.value(i);
                    row.add(value instanceof Number number ? (Object) number.longValue() : value);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** A connector whose statements with parameters are prepared on the server ({@code useServerPrepStmts=true}); the caller closes it. */
    private Connector serverPreparedConnector()
    {
        return connector(List.of(replica("live", server.port())), Map.of("properties", Map.of("useServerPrepStmts", "true")));
    }

    private static Map<String, Object> replica(String name, int port)
    {
        return Map.of("name", name, "host", "localhost", "port", port, "user", "sekisho", "password", PASSWORD);
    }

    private static Connector connector(List<Map<String, Object>> replicas, Map<String, Object> extra)
    {
        Map<String, Object> settings = new HashMap<>(extra);
        settings.put("replicas", replicas);
        return new MySqlConnectorFactory().create(new SourceConfig("mysql", "mysql", settings));
    }

    private static long usedHeapAfterGc(Runtime runtime)
    {
        System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
