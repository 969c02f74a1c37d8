package dev.sekisho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Functions PostgreSQL has and MySQL lacks, over MySQL tables: the gateway computes them over the
 * rows the source returns and gives PostgreSQL's answer (its text form, as PostgreSQL 15 prints it),
 * never a MySQL error. Each answer is checked against the same rows read from MariaDB directly, and
 * the connection answers afterwards.
 */
class TestFunctionsMySqlLacks
{
    private static TestingGateway gateway;
    private static Connection pg;
    private static Connection direct;

    @BeforeAll
    static void connect()
            throws SQLException
    {
        gateway = TestingGateway.shared();
        pg = gateway.connect("admin");
        direct = gateway.connectDirect("shop");
    }

    @AfterAll
    static void disconnect()
            throws SQLException
    {
        pg.close();
        direct.close();
    }

    @Test
    void arrayAggGivesPostgresArrays()
            throws SQLException
    {
        List<Object> ids = new ArrayList<>();
        rows(direct, "select id from products where category = 'kitchen' order by id").forEach(row -> ids.add(row.get(0)));
        assertThat(ids).isNotEmpty();
        String expected = "{" + String.join(",", ids.stream().map(Object::toString).toList()) + "}";
        assertThat(text("select array_agg(id order by id) from shop.products where category = 'kitchen'")).isEqualTo(expected);
        // grouped, per category, as PostgreSQL groups
        List<List<Object>> perCategory = rows(pg, "select category, array_agg(id order by id) from shop.products group by category order by category");
        List<List<Object>> directCategories = rows(direct, "select category, group_concat(id order by id) from products group by category order by category");
        assertThat(perCategory).hasSameSizeAs(directCategories);
        for (int i = 0; i < perCategory.size(); i++) {
            assertThat(perCategory.get(i).get(0)).isEqualTo(directCategories.get(i).get(0));
            assertThat(String.valueOf(perCategory.get(i).get(1))).isEqualTo("{" + directCategories.get(i).get(1) + "}");
        }
        assertAnswers();
    }

    @Test
    void jsonBuildObjectGivesPostgresJsonText()
            throws SQLException
    {
        assertThat(text("select json_build_object('a', 1)")).isEqualTo("{\"a\" : 1}");
        List<List<Object>> products = rows(direct, "select id, name, price from products where id <= 3 order by id");
        List<List<Object>> built = rows(pg, "select json_build_object('id', id, 'name', name, 'price', price) from shop.products where id <= 3 order by id");
        assertThat(built).hasSameSizeAs(products);
        for (int i = 0; i < products.size(); i++) {
            List<Object> product = products.get(i);
            // price is DECIMAL(10, 2): PostgreSQL prints its two decimals in JSON too
            assertThat(built.get(i).get(0)).isEqualTo("{\"id\" : " + product.get(0) + ", \"name\" : \"" + product.get(1) + "\", \"price\" : "
                    + ((java.math.BigDecimal) product.get(2)).setScale(2).toPlainString() + "}");
        }
        assertAnswers();
    }

    @Test
    void unknownFunctionsAreNamedByTheGatewayNotTheSource()
            throws SQLException
    {
        try (Statement statement = pg.createStatement()) {
            statement.executeQuery("select no_such_function(id) from shop.products");
            throw new AssertionError("expected 42883");
        }
        catch (SQLException e) {
            assertThat(e.getSQLState()).isEqualTo("42883");
            assertThat(e.getMessage()).contains("no_such_function").doesNotContain("MySQL");
        }
        assertAnswers();
    }

    private static String text(String sql)
            throws SQLException
    {
        try (Statement statement = pg.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }

    private static void assertAnswers()
            throws SQLException
    {
        assertThat(text("select 1")).isEqualTo("1");
    }
}
