package dev.sekisho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pgjdbc's {@link DatabaseMetaData} through the gateway, as DBeaver, Metabase and Tableau's JDBC
 * connector browse a database: every call runs pgjdbc's own pg_catalog SQL against the emulated
 * catalog and must describe the MariaDB shop with PostgreSQL types.
 */
class TestPgJdbcMetadata
{
    private static Connection connection;
    private static DatabaseMetaData metaData;

    @BeforeAll
    static void connect()
            throws SQLException
    {
        connection = TestingGateway.shared().connect("alice");
        metaData = connection.getMetaData();
    }

    @AfterAll
    static void disconnect()
            throws SQLException
    {
        if (connection != null) {
            connection.close();
        }
    }

    @Test
    void productVersion()
            throws SQLException
    {
        assertThat(metaData.getDatabaseProductName()).isEqualTo("PostgreSQL");
        assertThat(metaData.getDatabaseMajorVersion()).isGreaterThanOrEqualTo(12);
    }

    @Test
    void schemas()
            throws SQLException
    {
        List<String> schemas = strings(metaData.getSchemas(), "TABLE_SCHEM");
        assertThat(schemas).contains("shop", "it", "pg_catalog", "information_schema");
        assertThat(schemas).isSorted();
        assertThat(strings(metaData.getSchemas(null, "sh%"), "TABLE_SCHEM")).containsExactly("shop");
    }

    @Test
    void tables()
            throws SQLException
    {
        // with no type filter pgjdbc lists every relation of the schema, indexes included, as PostgreSQL does
        List<String> all = rows(metaData.getTables(null, "shop", "%", null),
                row -> row.getString("TABLE_TYPE") + " " + row.getString("TABLE_SCHEM") + "." + row.getString("TABLE_NAME"));
        assertThat(all).filteredOn(row -> row.startsWith("TABLE "))
                .containsExactly("TABLE shop.customers", "TABLE shop.order_items", "TABLE shop.orders", "TABLE shop.products");
        assertThat(all).allMatch(row -> row.startsWith("TABLE ") || row.startsWith("INDEX "));
        assertThat(strings(metaData.getTables(null, "shop", "%", new String[] {"TABLE"}), "TABLE_NAME"))
                .containsExactly("customers", "order_items", "orders", "products");
        assertThat(strings(metaData.getTables(null, "shop", "order%", new String[] {"TABLE"}), "TABLE_NAME")).containsExactly("order_items", "orders");
        assertThat(strings(metaData.getTables(null, "shop", "%", new String[] {"VIEW"}), "TABLE_NAME")).isEmpty();
        assertThat(strings(metaData.getTables(null, null, "all_types", null), "TABLE_SCHEM")).containsExactly("it");
    }

    @Test
    void tableTypes()
            throws SQLException
    {
        assertThat(strings(metaData.getTableTypes(), "TABLE_TYPE")).contains("TABLE", "VIEW");
    }

    @Test
    void columns()
            throws SQLException
    {
        List<String> columns = rows(metaData.getColumns(null, "shop", "customers", "%"), row -> String.join(" ",
                row.getString("ORDINAL_POSITION"),
                row.getString("COLUMN_NAME"),
                Integer.toString(row.getInt("DATA_TYPE")),
                row.getString("TYPE_NAME"),
                row.getString("COLUMN_SIZE"),
                row.getString("IS_NULLABLE")));
        assertThat(columns).containsExactly(
                "1 id %d int4 10 NO".formatted(Types.INTEGER),
                "2 name %d varchar 100 NO".formatted(Types.VARCHAR),
                "3 email %d varchar 200 YES".formatted(Types.VARCHAR),
                "4 phone %d varchar 20 YES".formatted(Types.VARCHAR),
                "5 region %d bpchar 2 NO".formatted(Types.CHAR),
                "6 segment %d varchar 20 NO".formatted(Types.VARCHAR),
                "7 birth_date %d date 13 YES".formatted(Types.DATE),
                "8 created_at %d timestamp 22 NO".formatted(Types.TIMESTAMP), // timestamp(0): pgjdbc reports 22 + fractional digits
                "9 is_active %d bool 1 NO".formatted(Types.BIT));
    }

    @Test
    void remarksAreTheSourcesComments()
            throws SQLException
    {
        // MySQL's COMMENTs, through pg_description as pgjdbc reads it
        assertThat(rows(metaData.getTables(null, "shop", "customers", new String[] {"TABLE"}), row -> row.getString("REMARKS")))
                .containsExactly("One row per customer account");
        assertThat(rows(metaData.getTables(null, "shop", "products", new String[] {"TABLE"}), row -> row.getString("REMARKS")))
                .containsExactly((String) null);
        assertThat(rows(metaData.getColumns(null, "shop", "customers", "%"), row -> row.getString("COLUMN_NAME") + "=" + row.getString("REMARKS")))
                .contains("region=JP, US or EU", "segment=consumer, business or enterprise", "name=null");
    }

    @Test
    void numericColumns()
            throws SQLException
    {
        List<String> columns = rows(metaData.getColumns(null, "shop", "orders", "amount"), row -> String.join(" ",
                row.getString("COLUMN_NAME"),
                Integer.toString(row.getInt("DATA_TYPE")),
                row.getString("TYPE_NAME"),
                row.getString("COLUMN_SIZE"),
                row.getString("DECIMAL_DIGITS")));
        assertThat(columns).containsExactly("amount %d numeric 12 2".formatted(Types.NUMERIC));
    }

    @Test
    void primaryKeys()
            throws SQLException
    {
        List<String> keys = rows(metaData.getPrimaryKeys(null, "shop", "customers"),
                row -> row.getString("TABLE_NAME") + " " + row.getString("COLUMN_NAME") + " " + row.getInt("KEY_SEQ"));
        assertThat(keys).containsExactly("customers id 1");
        assertThat(strings(metaData.getPrimaryKeys(null, "shop", "order_items"), "COLUMN_NAME")).containsExactly("id");
    }

    @Test
    void indexesAreRelations()
            throws SQLException
    {
        // one index relation per primary key and per MariaDB secondary index
        List<String> indexes = strings(metaData.getTables(null, "shop", "%", new String[] {"INDEX"}), "TABLE_NAME");
        assertThat(indexes).hasSize(7).contains("orders_customer", "order_items_order", "order_items_product");
    }

    @Test
    void indexInfo()
            throws SQLException
    {
        List<String> indexes = rows(metaData.getIndexInfo(null, "shop", "orders", false, false),
                row -> row.getString("COLUMN_NAME") + " unique=" + !row.getBoolean("NON_UNIQUE"));
        assertThat(indexes).containsExactlyInAnyOrder("id unique=true", "customer_id unique=false");
        List<String> named = strings(metaData.getIndexInfo(null, "shop", "orders", false, false), "INDEX_NAME");
        assertThat(named).contains("orders_customer");
    }

    @Test
    void typeInfo()
            throws SQLException
    {
        List<String> types = strings(metaData.getTypeInfo(), "TYPE_NAME");
        assertThat(types).contains("int2", "int4", "int8", "numeric", "float4", "float8", "bool", "varchar", "bpchar", "text",
                "date", "timestamp", "timestamptz", "bytea");
    }

    @Test
    void resultSetMetaDataOfQuery()
            throws SQLException
    {
        try (var statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select id, name, birth_date from shop.customers where id = 1")) {
            var resultMetaData = resultSet.getMetaData();
            assertThat(resultMetaData.getColumnTypeName(1)).isEqualTo("int4");
            assertThat(resultMetaData.getColumnTypeName(2)).isEqualTo("varchar");
            assertThat(resultMetaData.getColumnTypeName(3)).isEqualTo("date");
            assertThat(resultMetaData.getPrecision(2)).isEqualTo(100);
        }
    }

    private static List<String> strings(ResultSet resultSet, String column)
            throws SQLException
    {
        return rows(resultSet, row -> row.getString(column));
    }

    private interface RowMapper
    {
        String map(ResultSet row)
                throws SQLException;
    }

    private static List<String> rows(ResultSet resultSet, RowMapper mapper)
            throws SQLException
    {
        try (resultSet) {
            List<String> rows = new ArrayList<>();
            while (resultSet.next()) {
                rows.add(mapper.map(resultSet));
            }
            return rows;
        }
    }
}
