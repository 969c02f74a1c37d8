package dev.sekisho.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog statements of SQLAlchemy 2.x's PostgreSQL dialect (Superset's and Jupyter's
 * reflection: {@code Inspector.get_table_names}, {@code get_columns}, {@code get_pk_constraint},
 * {@code get_foreign_keys}, {@code get_indexes}, ...), as that dialect writes them
 * ({@code clients/sqlalchemy2_reflection.sql}, compiled from SQLAlchemy's source: Debian's
 * SQLAlchemy is 1.4, which writes {@code relkind IN (...)} where 2.x writes
 * {@code relkind = ANY (ARRAY[...])}). Each must answer, with the rows the demo's
 * {@code shop.customers} has.
 */
class TestSqlAlchemyReflection
{
    private static TestingGateway gateway;
    private static Map<String, String> statements;

    @BeforeAll
    static void setUp()
            throws IOException
    {
        gateway = TestingGateway.shared();
        statements = new LinkedHashMap<>();
        for (String line : Files.readAllLines(ClientProcess.resource("clients/sqlalchemy2_reflection.sql"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.startsWith("--")) {
                int bar = line.indexOf(" | ");
                statements.put(line.substring(0, bar), line.substring(bar + 3));
            }
        }
    }

    @Test
    void schemaAndTableNames()
            throws SQLException
    {
        assertThat(column(run("schema_names"), 0)).contains("shop").doesNotContain("pg_catalog");
        assertThat(column(run("table_names"), 0)).containsExactlyInAnyOrder("customers", "orders", "order_items", "products");
        assertThat(run("view_names")).isEmpty();
        assertThat(column(run("has_table"), 0)).containsExactly("customers");
        assertThat(column(run("table_oids"), 1)).containsExactly("customers");
    }

    @Test
    void columns()
            throws SQLException
    {
        List<List<String>> columns = run("columns");
        assertThat(column(columns, 0)).containsExactly("id", "name", "email", "phone", "region", "segment", "birth_date", "created_at", "is_active");
        assertThat(column(columns, 1)).containsExactly("integer", "character varying(100)", "character varying(200)", "character varying(20)",
                "character(2)", "character varying(20)", "date", "timestamp(0) without time zone", "boolean");
    }

    @Test
    void constraintsIndexesCommentsAndOptions()
            throws SQLException
    {
        List<List<String>> primaryKey = run("pk_constraint");
        assertThat(primaryKey).hasSize(1);
        assertThat(primaryKey.get(0).get(1)).isEqualTo("{id}");
        assertThat(run("foreign_keys")).allSatisfy(row -> assertThat(row.get(0)).isEqualTo("customers"));
        assertThat(column(run("table_comment"), 0)).containsExactly("customers");
        assertThat(run("check_constraints")).allSatisfy(row -> assertThat(row.get(0)).isEqualTo("customers"));
        assertThat(column(run("table_options"), 1)).containsExactly("customers");
        assertThat(run("indexes")).allSatisfy(row -> assertThat(row.get(1)).isNotNull());
    }

    private static List<List<String>> run(String name)
            throws SQLException
    {
        try (Connection connection = gateway.connect("admin"); Statement statement = connection.createStatement()) {
            String oid;
            try (ResultSet resultSet = statement.executeQuery("SELECT 'shop.customers'::regclass::oid")) {
                resultSet.next();
                oid = resultSet.getString(1);
            }
            List<List<String>> rows = new ArrayList<>();
            try (ResultSet resultSet = statement.executeQuery(statements.get(name).replace("{customers_oid}", oid))) {
                int count = resultSet.getMetaData().getColumnCount();
                while (resultSet.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= count; i++) {
                        row.add(resultSet.getString(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }

    private static List<String> column(List<List<String>> rows, int index)
    {
        return rows.stream().map(row -> row.get(index)).toList();
    }
}
