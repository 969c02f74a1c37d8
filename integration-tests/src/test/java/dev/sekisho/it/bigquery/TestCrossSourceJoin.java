package dev.sekisho.it.bigquery;

import dev.sekisho.it.TestingGateway;
import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A join of a MariaDB table with a BigQuery table, run by the gateway: the same rows as the join
 * computed by MariaDB alone (the BigQuery table is a copy of a MariaDB one); each source gets its
 * filters and columns, and the big side gets the small side's join keys as a bound array (a dynamic
 * filter); a join whose held side is over {@code execution.local_max_rows} fails with 53200 and a
 * message that says to filter, before the gateway's heap grows.
 */
class TestCrossSourceJoin
{
    private static final String JOIN = """
            SELECT i.id, i.order_id, i.quantity, i.unit_price, p.name
            FROM %s.order_items i JOIN shop.products p ON i.product_id = p.id
            WHERE p.category = 'books' AND i.quantity > 2
            ORDER BY i.id""";

    @Test
    void sameRowsAsTheJoinInOneDatabaseWithADynamicFilter()
            throws SQLException
    {
        TestingBigQueryGateway gateway = TestingBigQueryGateway.shared();
        List<List<String>> expected;
        try (Connection direct = TestingGateway.shared().connectDirect("shop")) {
            expected = rows(direct, JOIN.formatted("shop"));
        }
        assertThat(expected).hasSizeGreaterThan(100);
        int jobs = gateway.fixture().jobs().size();
        try (Connection connection = gateway.connect("admin")) {
            assertThat(rows(connection, JOIN.formatted("bq_shop"))).isEqualTo(expected);
        }
        List<RecordedJob> sent = gateway.fixture().jobs().subList(jobs, gateway.fixture().jobs().size());
        assertThat(sent).hasSize(1);
        RecordedJob scan = sent.get(0);
        // BigQuery got the columns, its filter and the keys of the 20 books read from MariaDB, as one bound array
        assertThat(scan.sql()).isEqualTo(
                "SELECT id, order_id, product_id, quantity, unit_price FROM bq_shop.order_items WHERE quantity > 2 AND product_id IN UNNEST(?)");
        assertThat(scan.parameterTypes()).containsExactly("ARRAY");
        assertThat(gateway.fixture().acceptedByAnalyzer(scan.sql())).as("ZetaSQL's analyzer accepted it").isTrue();
        // EXPLAIN shows each source's statement: its columns, its pushed filter, and where the dynamic filter goes
        assertThat(gateway.explain(JOIN.formatted("bq_shop")))
                .contains("warehouse: SELECT id, order_id, product_id, quantity, unit_price FROM bq_shop.order_items WHERE quantity > 2"
                        + " AND product_id IN UNNEST(?) -- dynamic filter: the join keys read from shop shop.products")
                .containsPattern("shop: SELECT .*`category`.* FROM `shop`.`products` WHERE `category` = 'books'");
    }

    @Test
    void overTheMemoryLimitFailsWith53200()
            throws Exception
    {
        TestingBigQueryGateway gateway = TestingBigQueryGateway.shared();
        long before = usedHeapAfterGc();
        try (Connection connection = gateway.connect("admin"); Statement statement = connection.createStatement()) {
            // the right side (30000 order items) is held: over local_max_rows (5000)
            assertThatThrownBy(() -> statement.executeQuery(
                    "SELECT p.name, i.quantity FROM shop.products p JOIN bq_shop.order_items i ON i.product_id = p.id"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("would hold more than 5000 rows of bq_shop.order_items (source warehouse) in memory")
                    .hasMessageContaining("Add a filter on bq_shop.order_items")
                    .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("53200");
            // the connection is usable
            try (ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM lake.orders")) {
                assertThat(rows.next()).isTrue();
            }
        }
        assertThat(usedHeapAfterGc() - before).as("heap growth (bytes)").isLessThan(32L * 1024 * 1024);
    }

    private static List<List<String>> rows(Connection connection, String sql)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    Object value = result.getObject(i);
                    row.add(value instanceof Number number ? new java.math.BigDecimal(number.toString()).stripTrailingZeros().toPlainString()
                            : String.valueOf(value));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static long usedHeapAfterGc()
            throws InterruptedException
    {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
