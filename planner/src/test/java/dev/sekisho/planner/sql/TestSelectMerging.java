package dev.sekisho.planner.sql;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.planner.testing.TestingSecuredShop.ANALYST_JP;
import static dev.sekisho.planner.testing.TestingSecuredShop.planner;
import static dev.sekisho.planner.testing.TestingSecuredShop.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL MySQL receives for statements on a masked and row-filtered table: one SELECT whose
 * predicates and expressions read the masks' expressions, never the columns beneath them; what a
 * derived table computes on its own (LIMIT, DISTINCT) keeps its derived table. That the rows are
 * the policy's is proven against MariaDB in the integration tests ({@code TestMaskedPredicates}).
 */
class TestSelectMerging
{
    /** The email mask of {@code TestingSecuredShop}'s policy, as MySQL receives it. */
    private static final String EMAIL_MASK = "CASE WHEN LOCATE('@', REVERSE(`email`)) = 0 THEN '****' ELSE CONCAT('****', SUBSTRING(`email` , "
            + "GREATEST(CHAR_LENGTH(`email`) - LOCATE('@', REVERSE(`email`)) + 1 , 1))) END";
    private static final String ROW_FILTER = "`region` = ? AND CAST(CAST(`region` AS CHAR) AS BINARY) = CAST(? AS BINARY)";

    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner = planner(shop);

    @Test
    void pointLookupIsOneSelectWithTheRowFilterFirst()
    {
        PreparedQuery query = prepare("SELECT id, name, email, region FROM customers WHERE id = $1");
        query.execute(List.of(3), TestingShop.context()).close();
        assertThat(shop.lastQuery().sql()).isEqualTo("SELECT `id`, `name`, " + EMAIL_MASK + " AS `email`, `region` FROM `shop`.`customers` WHERE "
                + ROW_FILTER + " AND `id` = ?");
        // the policy's value for each of its placeholders, then the client's
        assertThat(shop.lastQuery().parameters()).containsExactly("JP", "JP", 3);
    }

    @Test
    void predicatesAndSortsOnAMaskedColumnReadTheMask()
    {
        for (String sql : List.of(
                "SELECT id FROM customers WHERE email IS NOT NULL",
                "SELECT id FROM customers WHERE email = 'alice@example.com'",
                "SELECT id, email FROM customers WHERE lower(email) LIKE '%alice%' ORDER BY email",
                "SELECT email, count(*) FROM customers WHERE email <> 'x' GROUP BY email",
                "SELECT id FROM customers WHERE id IN (1, 2, 3) AND (email LIKE 'a%' OR name = email)")) {
            PreparedQuery query = prepare(sql);
            query.execute(List.of(), TestingShop.context()).close();
            String sourceSql = shop.lastQuery().sql();
            assertThat(sourceSql).as(sql).doesNotContain("FROM (SELECT").contains("FROM `shop`.`customers` WHERE " + ROW_FILTER + " AND ");
            // every reading of the column is inside its mask (the rest is the name of the mask's value)
            assertThat(sourceSql.replace(EMAIL_MASK, "").replace(" AS `email`", "")).as(sql).doesNotContain("`email`");
        }
    }

    @Test
    void whatADerivedTableComputesKeepsItsDerivedTable()
    {
        PreparedQuery limited = prepare("SELECT * FROM (SELECT id, email FROM customers ORDER BY id LIMIT 5) t WHERE email LIKE 'a%'");
        limited.execute(List.of(), TestingShop.context()).close();
        String sql = shop.lastQuery().sql();
        // the client's filter applies to the five rows, after the LIMIT
        assertThat(sql).contains("FROM (SELECT").containsPattern("LIMIT 5\\) AS `t\\d*` WHERE `email` LIKE 'a%'");
        assertThat(sql).contains("SELECT `id`, " + EMAIL_MASK + " AS `email` FROM `shop`.`customers` WHERE " + ROW_FILTER + " ORDER BY");

        PreparedQuery distinct = prepare("SELECT * FROM (SELECT DISTINCT email FROM customers) t WHERE email LIKE 'a%'");
        distinct.execute(List.of(), TestingShop.context()).close();
        assertThat(shop.lastQuery().sql()).contains("FROM (SELECT").containsPattern("\\) AS `t\\d*` WHERE `email` LIKE 'a%'");
    }

    private PreparedQuery prepare(String sql)
    {
        return planner.prepare(sql, List.of(), session(ANALYST_JP));
    }
}
