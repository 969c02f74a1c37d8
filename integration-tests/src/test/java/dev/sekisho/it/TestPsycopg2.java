package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.sekisho.it.QueryAssertions.assertSameRows;
import static dev.sekisho.it.QueryAssertions.normalize;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Redash's PostgreSQL data source against the gateway: {@code clients/redash_pg_runner.py} replays
 * Redash's {@code pg.py} with Debian's psycopg2 (libpq, {@code async_=True}, simple Query protocol):
 * the Test Connection button, the schema browser, an annotated and auto-limited query whose column
 * types go through Redash's type map, and a cancel from another thread. Skipped when
 * {@code /usr/bin/python3} cannot import psycopg2.
 */
class TestPsycopg2
{
    private static final String USER = "alice";

    private static TestingGateway gateway;
    private static Connection direct;

    @BeforeAll
    static void setUp()
            throws InterruptedException, SQLException
    {
        String missing = ClientProcess.missingPythonModules("python3-psycopg2", "psycopg2");
        if (missing != null) {
            System.out.println("TestPsycopg2 skipped: " + missing);
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
    void testConnection()
            throws Exception
    {
        JsonNode result = redash("test_connection");
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertThat(result.at("/data/rows")).hasSize(1);
        assertThat(result.at("/data/rows/0/?column?").asInt()).isEqualTo(1);
        assertThat(result.at("/data/columns/0/type").asText()).isEqualTo("integer");
        assertThat(result.at("/type_codes/0").asInt()).isEqualTo(23);
    }

    @Test
    void schemaBrowser()
            throws Exception
    {
        JsonNode result = redash("schema");
        assertThat(result.get("error").isNull()).as("the schema browser query failed: %s", result).isTrue();
        assertThat(result.get("columns")).extracting(column -> column.get("name").asText())
                .containsExactly("table_schema", "table_name", "column_name", "data_type");

        Map<String, Map<String, String>> browsed = new TreeMap<>();
        for (JsonNode table : result.get("schema")) {
            Map<String, String> columns = new TreeMap<>();
            for (JsonNode column : table.get("columns")) {
                // build_schema keeps a bare name when data_type is NULL (materialized views)
                columns.put(column.isTextual() ? column.asText() : column.get("name").asText(), column.path("type").asText(null));
            }
            browsed.put(table.get("name").asText(), columns);
        }
        // every table and column MariaDB has in the two exposed databases, named schema.table
        Map<String, Set<String>> expected = new TreeMap<>();
        try (Statement statement = direct.createStatement();
                ResultSet resultSet = statement.executeQuery(
                        "select table_schema, table_name, column_name from information_schema.columns where table_schema in ('shop', 'it')")) {
            while (resultSet.next()) {
                expected.computeIfAbsent(resultSet.getString(1) + "." + resultSet.getString(2), key -> new TreeSet<>()).add(resultSet.getString(3));
            }
        }
        assertThat(expected).containsKeys("shop.customers", "shop.orders", "shop.products", "shop.order_items");
        assertThat(browsed.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((table, columns) -> assertThat(browsed.get(table).keySet()).as(table).containsExactlyInAnyOrderElementsOf(columns));
        assertThat(result.get("row_count").asInt()).isEqualTo(expected.values().stream().mapToInt(Set::size).sum());

        // data_type is PostgreSQL's information_schema spelling of the mapped type
        assertThat(browsed.get("shop.customers")).containsExactlyInAnyOrderEntriesOf(Map.of(
                "id", "integer",
                "name", "character varying",
                "email", "character varying",
                "phone", "character varying",
                "region", "character",
                "segment", "character varying",
                "birth_date", "date",
                "created_at", "timestamp without time zone",
                "is_active", "boolean"));
        assertThat(browsed.get("shop.orders")).containsEntry("amount", "numeric").containsEntry("note", "text");
    }

    @Test
    void annotatedQueryWithAutoLimit()
            throws Exception
    {
        String query = "SELECT id, name, birth_date, created_at, is_active, region FROM shop.customers WHERE id <= 40 ORDER BY id";
        JsonNode result = redash("query", query);
        assertThat(result.get("sent").asText())
                .startsWith("/* Username: alice@example.com, query_id: 42, ")
                .endsWith(query + " LIMIT 1000");
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        // PostgreSQL's OIDs: int4, varchar, date, timestamp, bool, bpchar (not in Redash's map)
        assertThat(result.get("type_codes")).extracting(JsonNode::asInt).containsExactly(23, 1043, 1082, 1114, 16, 1042);
        assertThat(redashTypes(result)).containsExactly("integer", "string", "date", "datetime", "boolean", null);
        assertSameRows(redashRows(result), rows(direct, query));
    }

    @Test
    void aggregateQueryTypes()
            throws Exception
    {
        String query = "SELECT status, count(*) AS orders, sum(amount) AS total, max(ordered_at) AS latest FROM shop.orders GROUP BY status ORDER BY status";
        JsonNode result = redash("query", query);
        assertThat(result.get("error").isNull()).as(result.toString()).isTrue();
        assertThat(result.get("type_codes")).extracting(JsonNode::asInt).containsExactly(1043, 20, 1700, 1114);
        assertThat(redashTypes(result)).containsExactly("string", "integer", "float", "datetime");
        assertSameRows(redashRows(result), rows(direct, query));
    }

    @Test
    void cancelFromAnotherThread()
            throws Exception
    {
        // 10,000 x 10,000 rows: several seconds in MariaDB; cancelled after one
        assertCancelled("select count(*) from shop.orders a cross join shop.orders b");
    }

    @Test
    void cancelPgSleep()
            throws Exception
    {
        // the long-running query of Redash's entry in the client corpus
        assertCancelled("select pg_sleep(5)");
    }

    private static void assertCancelled(String query)
            throws Exception
    {
        double cancelAfter = 1.0;
        JsonNode result = redash("cancel", query, Double.toString(cancelAfter));
        assertThat(result.get("cancel_errors")).as(result.toString()).isEmpty();
        assertThat(result.path("pgcode").asText()).as(result.toString()).isEqualTo("57014");
        assertThat(result.get("exception").asText()).isEqualTo("QueryCanceled");
        assertThat(result.get("error").asText()).contains("canceling statement due to user request");
        double elapsed = result.get("elapsed").asDouble();
        assertThat(elapsed).as("the query was still running when cancel was called").isGreaterThanOrEqualTo(cancelAfter);
        assertThat(elapsed).as("the cancel took effect promptly").isLessThan(cancelAfter + 2.5);
        assertThat(result.at("/after/error").isNull()).as("a new connection after the cancel works: %s", result).isTrue();
        assertThat(result.at("/after/data/rows/0/?column?").asInt()).isEqualTo(1);
    }

    private static List<String> redashTypes(JsonNode result)
    {
        List<String> types = new ArrayList<>();
        result.at("/data/columns").forEach(column -> types.add(column.get("type").isNull() ? null : column.get("type").asText()));
        return types;
    }

    /** Redash's result rows (dicts keyed by column name), normalised like {@link QueryAssertions} rows. */
    private static List<List<Object>> redashRows(JsonNode result)
    {
        JsonNode columns = result.at("/data/columns");
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : result.at("/data/rows")) {
            List<Object> values = new ArrayList<>();
            for (JsonNode column : columns) {
                JsonNode value = row.get(column.get("name").asText());
                values.add(value.isNull() ? null : switch (column.get("type").asText("")) {
                    case "integer" -> normalize(value.bigIntegerValue());
                    case "float" -> normalize(new BigDecimal(value.asText()));
                    case "boolean" -> value.asBoolean();
                    case "date" -> LocalDate.parse(value.asText());
                    case "datetime" -> LocalDateTime.parse(value.asText());
                    default -> value.asText();
                });
            }
            rows.add(values);
        }
        return rows;
    }

    private static JsonNode redash(String... arguments)
            throws Exception
    {
        return ClientProcess.runPythonClient("redash_pg_runner.py", gateway, USER, Map.of(), arguments);
    }
}
