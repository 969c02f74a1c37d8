package dev.sekisho.it.bigquery;

import dev.sekisho.it.TestingGateway;
import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replicated tables: {@code routed.orders} and {@code routed.customers} live in MariaDB (source
 * {@code routed}) and as a copy a fixed 24 h behind in BigQuery ({@code bq_shop}, source
 * {@code warehouse}), with {@code replica_max_rows: 100}. A point lookup (MariaDB's EXPLAIN: 1 row)
 * stays on MariaDB, a full-table aggregate (10,000 rows) goes to BigQuery, a statement that accepts
 * at most an hour of staleness stays on MariaDB; every answer equals MariaDB's own; the route and
 * its reasons show in EXPLAIN; and the policy applies on the copy exactly as on MariaDB.
 */
class TestReplicatedTableRouting
{
    private static final String AGGREGATE = "SELECT status, COUNT(*), SUM(amount) FROM %s.orders GROUP BY status ORDER BY status";

    private final TestingBigQueryGateway gateway = TestingBigQueryGateway.shared();

    @Test
    void pointLookupStaysOnMySql()
            throws SQLException
    {
        String lookup = "SELECT id, customer_id, amount, status FROM %s.orders WHERE id = 4242";
        List<RecordedJob> sent = sentDuring(() -> assertThat(rows("admin", lookup.formatted("routed"))).isEqualTo(direct(lookup.formatted("shop"))).hasSize(1));
        assertThat(sent).isEmpty();
        // the same with the key as a parameter: EXPLAIN runs with the bound value
        sent = sentDuring(() -> {
            try (Connection connection = gateway.connect("admin");
                    PreparedStatement statement = connection.prepareStatement("SELECT amount FROM routed.orders WHERE id = ?")) {
                statement.setInt(1, 4242);
                try (ResultSet rows = statement.executeQuery()) {
                    assertThat(rows.next()).isTrue();
                    assertThat(rows.getBigDecimal(1)).isEqualByComparingTo(new BigDecimal(direct("SELECT amount FROM shop.orders WHERE id = 4242").get(0).get(0)));
                }
            }
        });
        assertThat(sent).isEmpty();
        assertThat(explain("SELECT id, amount FROM routed.orders WHERE id = 4242"))
                .contains("Route (source routed or copy warehouse): routed: EXPLAIN expects 1 rows, at most replica_max_rows 100")
                .contains("routed.orders: copy bq_shop.orders on source warehouse, a fixed lag of 24h 0m, 24h 0m old now; max_staleness 36h 0m")
                .contains("Route (source routed): ");
    }

    @Test
    void fullTableAggregateGoesToBigQuery()
            throws SQLException
    {
        List<RecordedJob> sent = sentDuring(() -> assertThat(rows("admin", AGGREGATE.formatted("routed"))).isEqualTo(direct(AGGREGATE.formatted("shop"))));
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).sql()).contains("FROM bq_shop.orders", "GROUP BY");
        assertAnalyzed(sent);
        assertThat(explain(AGGREGATE.formatted("routed")))
                .containsPattern("Route \\(source routed or copy warehouse\\): warehouse: EXPLAIN on routed expects [0-9]{4,5} rows, over replica_max_rows 100, "
                        + "and the copy is 24h 0m old, within 36h 0m \\(max_staleness\\)")
                .contains("Pushed down to source warehouse (bigquery):");
    }

    @Test
    void statementNeedingFresherDataStaysOnMySql()
            throws SQLException
    {
        String fresh = "/* sekisho: max_staleness=1h */ " + AGGREGATE.formatted("routed");
        List<RecordedJob> sent = sentDuring(() -> assertThat(rows("admin", fresh)).isEqualTo(direct(AGGREGATE.formatted("shop"))));
        assertThat(sent).isEmpty();
        assertThat(explain(fresh))
                .contains("Route (source routed or copy warehouse): routed: the copy is 24h 0m old, older than 1h 0m (the statement's max_staleness comment)");
    }

    @Test
    void policyAppliesOnTheCopyAsOnMySql()
            throws SQLException
    {
        // alice: orders of other statuses than cancelled, amounts rounded; a join of two replicated tables, all on the copy
        String join = "SELECT c.region, COUNT(*), SUM(o.amount) FROM %1$s.orders o JOIN %1$s.customers c ON c.id = o.customer_id GROUP BY c.region ORDER BY c.region";
        List<List<String>> onMySql = rows("alice", join.formatted("shop"));
        List<RecordedJob> sent = sentDuring(() -> assertThat(rows("alice", join.formatted("routed"))).isEqualTo(onMySql));
        assertThat(onMySql).isNotEmpty();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).sql()).contains("bq_shop.orders", "bq_shop.customers");
        assertAnalyzed(sent);
    }

    private void assertAnalyzed(List<RecordedJob> jobs)
    {
        for (RecordedJob job : jobs) {
            assertThat(gateway.fixture().acceptedByAnalyzer(job.sql())).as("ZetaSQL's analyzer accepted: " + job.sql()).isTrue();
        }
    }

    private String explain(String sql)
    {
        return gateway.explain(sql);
    }

    private interface Action
    {
        void run()
                throws SQLException;
    }

    /** The BigQuery jobs (not dry runs) sent while {@code action} ran. */
    private List<RecordedJob> sentDuring(Action action)
            throws SQLException
    {
        int before = gateway.fixture().jobs().size();
        action.run();
        List<RecordedJob> jobs = gateway.fixture().jobs();
        return jobs.subList(before, jobs.size()).stream().filter(job -> !job.dryRun()).toList();
    }

    private static List<List<String>> direct(String sql)
            throws SQLException
    {
        try (Connection connection = TestingGateway.shared().connectDirect("shop")) {
            return rows(connection, sql);
        }
    }

    private List<List<String>> rows(String user, String sql)
            throws SQLException
    {
        try (Connection connection = gateway.connect(user)) {
            return rows(connection, sql);
        }
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
                    row.add(value instanceof Number number ? new BigDecimal(number.toString()).stripTrailingZeros().toPlainString() : String.valueOf(value));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
