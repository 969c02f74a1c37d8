package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sekisho.it.QueryAssertions.assertSameRows;
import static dev.sekisho.it.QueryAssertions.normalize;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * psqlODBC (Debian's odbc-postgresql, the driver Excel, Power BI and Tableau's ODBC connector load)
 * through unixODBC and pyodbc ({@code clients/psqlodbc_client.py}): queries with and without
 * {@code UseDeclareFetch=1}, compared with MariaDB directly, and the ODBC catalog functions.
 * Skipped when the driver, unixODBC or python3-pyodbc is not installed.
 */
class TestPsqlOdbc
{
    private static final String USER = "bob";
    private static final String ORDERS = "select id, customer_id, amount, currency, status, ordered_at, note from shop.orders where id <= 250 order by id";

    private static TestingGateway gateway;
    private static Path driver;
    private static Connection direct;

    @BeforeAll
    static void setUp()
            throws Exception
    {
        driver = findDriver();
        String missing = driver == null
                ? "the psqlODBC driver psqlodbcw.so is not installed (Debian: apt-get install odbc-postgresql unixodbc)"
                : ClientProcess.missingPythonModules("python3-pyodbc", "pyodbc");
        if (missing != null) {
            System.out.println("TestPsqlOdbc skipped: " + missing);
        }
        assumeTrue(missing == null, missing);
        gateway = TestingGateway.shared();
        direct = gateway.connectDirect("shop");
    }

    @AfterAll
    static void tearDown()
            throws SQLException
    {
        if (direct != null) {
            direct.close();
        }
    }

    @Test
    void queryWithoutDeclareFetch()
            throws Exception
    {
        JsonNode result = odbc("query", "0", ORDERS);
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertSameRows(odbcRows(result), rows(direct, ORDERS));
        assertThat(sent(result)).as("UseDeclareFetch=0 sends the query as it is").contains(ORDERS)
                .noneMatch(statement -> statement.toLowerCase().contains("declare"));
    }

    @Test
    void queryWithDeclareFetch()
            throws Exception
    {
        JsonNode result = odbc("query", "1", ORDERS);
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertSameRows(odbcRows(result), rows(direct, ORDERS));
        // 250 rows in pages of Fetch=100 through a cursor WITH HOLD, as Tableau's ODBC connector reads
        List<String> sent = sent(result);
        assertThat(sent).anyMatch(statement -> statement.matches("(?is).*declare \"SQL_CUR\\w+\" cursor with hold for \\Q" + ORDERS + "\\E.*"));
        assertThat(sent).filteredOn(statement -> statement.matches("(?is).*fetch 100 in \"SQL_CUR\\w+\".*")).hasSizeGreaterThanOrEqualTo(3);
        assertThat(sent).anyMatch(statement -> statement.matches("(?is)close \"SQL_CUR\\w+\".*"));
    }

    @Test
    void emptyResultWithDeclareFetch()
            throws Exception
    {
        String sql = "select id, name from shop.customers where id < 0";
        JsonNode result = odbc("query", "1", sql);
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertThat(result.get("rows")).isEmpty();
        assertThat(result.get("columns")).extracting(column -> column.get("name").asText()).containsExactly("id", "name");
    }

    @Test
    void preparedStatementWithParameters()
            throws Exception
    {
        for (String useDeclareFetch : List.of("0", "1")) {
            JsonNode result = odbc("query", useDeclareFetch, "select c.id, c.name, c.birth_date, count(o.id) as orders from shop.customers c join shop.orders o on o.customer_id = c.id where c.id between ? and ? group by c.id, c.name, c.birth_date order by c.id", "10", "20");
            assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
            assertSameRows(odbcRows(result), rows(direct,
                    "select c.id, c.name, c.birth_date, count(o.id) as orders from customers c join orders o on o.customer_id = c.id where c.id between 10 and 20 group by c.id, c.name, c.birth_date order by c.id"));
        }
    }

    @Test
    void tables()
            throws Exception
    {
        JsonNode result = odbc("tables", "shop");
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertThat(values(result, "table_name")).containsExactly("customers", "order_items", "orders", "products");
        assertThat(values(result, "table_schem")).containsOnly("shop");
        assertThat(values(result, "table_type")).containsOnly("TABLE");
    }

    @Test
    void columns()
            throws Exception
    {
        JsonNode result = odbc("columns", "shop", "customers");
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertThat(values(result, "column_name"))
                .containsExactly("id", "name", "email", "phone", "region", "segment", "birth_date", "created_at", "is_active");
        assertThat(values(result, "type_name"))
                .containsExactly("int4", "varchar", "varchar", "varchar", "bpchar", "varchar", "date", "timestamp", "bool");
        // SQL_INTEGER, SQL_WVARCHAR (Unicode driver), SQL_WCHAR, SQL_TYPE_DATE, SQL_TYPE_TIMESTAMP, SQL_VARCHAR (BoolsAsChar)
        assertThat(values(result, "data_type")).containsExactly("4", "-9", "-9", "-9", "-8", "-9", "91", "93", "12");
        assertThat(values(result, "column_size").subList(1, 6)).containsExactly("100", "200", "20", "2", "20");
        assertThat(values(result, "nullable")).containsExactly("0", "0", "1", "1", "0", "0", "1", "0", "0");
    }

    @Test
    void primaryKeys()
            throws Exception
    {
        JsonNode result = odbc("primary_keys", "shop", "customers");
        assertThat(result.get("error").isNull()).as("SQLPrimaryKeys: %s", result).isTrue();
        assertThat(values(result, "column_name")).containsExactly("id");
        assertThat(values(result, "key_seq")).containsExactly("1");
    }

    @Test
    void statistics()
            throws Exception
    {
        JsonNode result = odbc("statistics", "shop", "orders");
        assertThat(result.get("error").isNull()).as("SQLStatistics: %s", result).isTrue();
        List<String> indexes = new ArrayList<>();
        int nameColumn = column(result, "index_name");
        int columnColumn = column(result, "column_name");
        int nonUniqueColumn = column(result, "non_unique");
        for (JsonNode row : result.get("rows")) {
            if (!row.get(nameColumn).isNull()) {
                indexes.add(row.get(columnColumn).asText() + " unique=" + (row.get(nonUniqueColumn).asInt() == 0));
            }
        }
        // the primary key and the secondary index orders_customer, one row per indexed column
        assertThat(indexes).as(result.toString()).containsExactlyInAnyOrder("id unique=true", "customer_id unique=false");
    }

    private static List<String> sent(JsonNode result)
    {
        List<String> sent = new ArrayList<>();
        result.get("sent").forEach(statement -> sent.add(statement.asText()));
        return sent;
    }

    private static int column(JsonNode result, String name)
    {
        JsonNode columns = result.get("columns");
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).get("name").asText().equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no column " + name + " in " + columns);
    }

    private static List<String> values(JsonNode result, String name)
    {
        int index = column(result, name);
        List<String> values = new ArrayList<>();
        result.get("rows").forEach(row -> values.add(row.get(index).isNull() ? null : row.get(index).asText()));
        return values;
    }

    /** pyodbc's values (Decimal and datetime sent as text), normalised like {@link QueryAssertions} rows. */
    private static List<List<Object>> odbcRows(JsonNode result)
    {
        JsonNode columns = result.get("columns");
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : result.get("rows")) {
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                JsonNode value = row.get(i);
                values.add(value.isNull() ? null : switch (columns.get(i).get("python_type").asText()) {
                    case "int" -> normalize(value.bigIntegerValue());
                    case "Decimal" -> normalize(new BigDecimal(value.asText()));
                    case "float" -> value.asDouble();
                    case "bool" -> value.asBoolean();
                    case "date" -> LocalDate.parse(value.asText());
                    case "datetime" -> LocalDateTime.parse(value.asText());
                    default -> value.asText();
                });
            }
            rows.add(values);
        }
        return rows;
    }

    private static JsonNode odbc(String... arguments)
            throws Exception
    {
        return ClientProcess.runPythonClient("psqlodbc_client.py", gateway, USER, Map.of("SEKISHO_ODBC_DRIVER", driver.toString()), arguments);
    }

    /** The Unicode psqlODBC driver where Debian's odbc-postgresql puts it (the multiarch folder varies). */
    private static Path findDriver()
            throws IOException
    {
        Path lib = Path.of("/usr/lib");
        if (!Files.isDirectory(lib)) {
            return null;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(lib)) {
            for (Path folder : folders) {
                Path candidate = folder.resolve("odbc/psqlodbcw.so");
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        Path flat = lib.resolve("odbc/psqlodbcw.so");
        return Files.isRegularFile(flat) ? flat : null;
    }
}
