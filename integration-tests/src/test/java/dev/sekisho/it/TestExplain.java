package dev.sekisho.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SQL's {@code EXPLAIN [ANALYZE] [VERBOSE]} through the policy gateway: an admin sees where the
 * statement runs, the SQL sent to the source and the policy's rules; a masked and filtered analyst
 * sees where it runs and that a policy applied, but no expression, filter value or salt (the
 * rewritten SQL carries the row filter and the masks).
 */
class TestExplain
{
    private static TestingGateway gateway;

    @BeforeAll
    static void setUp()
    {
        gateway = TestingGateway.shared();
    }

    @Test
    void adminSeesThePlanTheSourceSqlAndThePolicy()
            throws SQLException
    {
        String plan = explain("admin", "EXPLAIN SELECT id, email FROM shop.customers WHERE id = 7");
        assertThat(plan).contains("Pushed down to source shop (mysql)").contains("FROM `shop`.`customers`").contains("Policy");
        String analyzed = explain("admin", "EXPLAIN ANALYZE VERBOSE SELECT id FROM shop.customers WHERE id <= 7");
        assertThat(analyzed).contains("Rows: 7").contains("Execution Time:");
        assertThat(explain("admin", "EXPLAIN (ANALYZE, VERBOSE) SELECT 1")).contains("Rows: 1");
    }

    @Test
    void maskedUserSeesNoPolicyExpression()
            throws SQLException
    {
        String plan = explain("alice", "EXPLAIN SELECT name, email, phone FROM shop.customers WHERE segment = 'business'");
        assertThat(plan).contains("Pushed down to source shop").contains("Policy applied");
        // the row filter's value (alice's region), the masks' expressions and the source SQL stay hidden
        assertThat(plan).doesNotContain("JP").doesNotContain("SELECT").doesNotContain("region").doesNotContain("CONCAT").doesNotContain("SHA2")
                .doesNotContain("?");
        String analyzed = explain("alice", "EXPLAIN ANALYZE SELECT name FROM shop.customers");
        assertThat(analyzed).contains("Rows: 600").doesNotContain("JP");
    }

    @Test
    void explainOfAWriteIsRefused()
    {
        assertThatThrownBy(() -> explain("admin", "EXPLAIN ANALYZE DELETE FROM shop.customers"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
    }

    private static String explain(String user, String sql)
            throws SQLException
    {
        List<String> lines = new ArrayList<>();
        try (Connection connection = gateway.connectWithPolicies(user); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.getMetaData().getColumnLabel(1)).isEqualTo("QUERY PLAN");
            while (resultSet.next()) {
                lines.add(resultSet.getString(1));
            }
        }
        return String.join("\n", lines);
    }
}
