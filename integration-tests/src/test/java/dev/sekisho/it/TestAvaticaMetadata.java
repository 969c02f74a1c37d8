package dev.sekisho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only the Avatica door answers in its own way, checked against the PostgreSQL door for the same
 * users of the test policy ({@code policies/bypass}): {@code DatabaseMetaData} (Avatica asks its own
 * calls, pgjdbc sends catalog queries; both must show exactly what the policy shows), and errors
 * (the same SQLSTATE and message on both doors). Avatica's protocol has no request for primary keys
 * (nor indexes or foreign keys): its remote driver answers {@code getPrimaryKeys} itself, with no rows.
 */
class TestAvaticaMetadata
{
    private static final List<String> USERS = List.of("alice", "carol", "admin", "mallory");

    private static final Map<String, Connection> avatica = new HashMap<>();
    private static final Map<String, Connection> pg = new HashMap<>();

    @BeforeAll
    static void connect()
            throws SQLException
    {
        TestingGateway testing = TestingGateway.shared();
        for (String user : USERS) {
            avatica.put(user, FrontDoor.AVATICA.connect(testing.policyGateway(), user));
            pg.put(user, FrontDoor.PGJDBC.connect(testing.policyGateway(), user));
        }
    }

    @AfterAll
    static void disconnect()
            throws SQLException
    {
        for (Connection connection : avatica.values()) {
            connection.close();
        }
        for (Connection connection : pg.values()) {
            connection.close();
        }
    }

    @Test
    void tablesAndColumnsAreWhatThePolicyShows()
            throws SQLException
    {
        for (String user : USERS) {
            DatabaseMetaData through = avatica.get(user).getMetaData();
            DatabaseMetaData reference = pg.get(user).getMetaData();
            assertThat(sorted(column(through.getTables(null, "shop", "%", new String[] {"TABLE"}), "TABLE_NAME")))
                    .as(user + ": getTables").isEqualTo(sorted(column(reference.getTables(null, "shop", "%", new String[] {"TABLE"}), "TABLE_NAME")));
            for (String table : List.of("customers", "orders", "products")) {
                assertThat(column(through.getColumns(null, "shop", table, "%"), "COLUMN_NAME"))
                        .as(user + ": getColumns of " + table).isEqualTo(column(reference.getColumns(null, "shop", table, "%"), "COLUMN_NAME"));
                assertThat(column(through.getColumns(null, "shop", table, "%"), "TYPE_NAME"))
                        .as(user + ": column types of " + table).isEqualTo(column(reference.getColumns(null, "shop", table, "%"), "TYPE_NAME"));
            }
        }
        // the policy's effect, stated plainly: carol does not see products or birth_date, mallory sees nothing
        assertThat(column(avatica.get("carol").getMetaData().getTables(null, "shop", "%", null), "TABLE_NAME")).doesNotContain("products");
        assertThat(column(avatica.get("alice").getMetaData().getTables(null, "shop", "%", null), "TABLE_NAME")).contains("products");
        assertThat(column(avatica.get("carol").getMetaData().getColumns(null, "shop", "customers", "%"), "COLUMN_NAME")).doesNotContain("birth_date")
                .contains("email");
        assertThat(column(avatica.get("mallory").getMetaData().getTables(null, "shop", "%", null), "TABLE_NAME")).isEmpty();
        assertThat(column(avatica.get("mallory").getMetaData().getColumns(null, "shop", "customers", "%"), "COLUMN_NAME")).isEmpty();
        // the database admin sees no table of "it" (no rule: denied by default)
        assertThat(column(avatica.get("admin").getMetaData().getTables(null, "it", "%", null), "TABLE_NAME")).isEmpty();
    }

    @Test
    void schemasCatalogsAndTypes()
            throws SQLException
    {
        for (String user : USERS) {
            assertThat(sorted(column(avatica.get(user).getMetaData().getSchemas(), "TABLE_SCHEM"))).as(user + ": getSchemas")
                    .isEqualTo(sorted(column(pg.get(user).getMetaData().getSchemas(), "TABLE_SCHEM")));
        }
        assertThat(column(avatica.get("alice").getMetaData().getCatalogs(), "TABLE_CAT")).hasSize(1);
        List<String> types = column(avatica.get("alice").getMetaData().getTypeInfo(), "TYPE_NAME");
        assertThat(types).contains("int4", "int8", "numeric", "varchar", "text", "date", "timestamp", "bool");
        assertThat(column(avatica.get("alice").getMetaData().getTableTypes(), "TABLE_TYPE")).contains("TABLE", "VIEW");
    }

    @Test
    void errorsAreThePostgresDoorsErrors()
            throws SQLException
    {
        for (String sql : List.of("select * from products", "select birth_date from customers", "select * from nosuchtable",
                "select nosuchfunction(id) from orders", "insert into customers (id) values (1)", "selec 1")) {
            SQLException reference = failure(pg.get("carol"), sql);
            SQLException through = failure(avatica.get("carol"), sql);
            assertThat(through.getSQLState()).as(sql).isEqualTo(reference.getSQLState());
            String message = ((org.postgresql.util.PSQLException) reference).getServerErrorMessage().getMessage();
            assertThat(through.getMessage()).as(sql).contains(message);
        }
        // a failed statement does not cost the connection
        try (Statement statement = avatica.get("carol").createStatement(); ResultSet resultSet = statement.executeQuery("select count(*) from orders")) {
            assertThat(resultSet.next()).isTrue();
        }
    }

    private static SQLException failure(Connection connection, String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            while (resultSet.next()) {
                // an error computed in the gateway comes with the rows
            }
            throw new AssertionError(sql + " did not fail");
        }
        catch (SQLException e) {
            return e;
        }
    }

    private static List<String> column(ResultSet resultSet, String label)
            throws SQLException
    {
        List<String> values = new ArrayList<>();
        try (resultSet) {
            while (resultSet.next()) {
                values.add(resultSet.getString(label));
            }
        }
        return values;
    }

    private static List<String> sorted(List<String> values)
    {
        List<String> copy = new ArrayList<>(values);
        copy.sort(null);
        return copy;
    }
}
