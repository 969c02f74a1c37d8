package dev.sekisho.planner.policy;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingSecuredShop;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingSecuredShop.ANALYST_JP;
import static dev.sekisho.planner.testing.TestingSecuredShop.session;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** pg_catalog and information_schema show a principal only the tables and columns its policy lets it see. */
class TestCatalogPolicy
{
    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner;

    TestCatalogPolicy()
    {
        shop.addTable("shop", "secrets", List.of(column("id", ColumnType.of(Kind.INTEGER)),
                new ColumnMetadata("secret", ColumnType.varchar(10), true, "varchar(10)", Optional.of("the launch code")),
                column("level", ColumnType.enumeration("shop", "clearance", List.of("restricted", "top_secret")))), List.of(row(1, "s", "top_secret")));
        shop.addTable("vault", "keys", List.of(column("id", ColumnType.of(Kind.INTEGER))), List.of(row(1)));
        planner = TestingSecuredShop.planner(shop);
    }

    @Test
    void pgClassAndNamespaceListOnlyVisibleTables()
    {
        String tables = "SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')";
        assertThat(asPolicyUser(tables)).containsExactlyInAnyOrder(row("shop.customers"), row("shop.orders"), row("aux.one"));
        assertThat(withoutPolicy(tables)).containsExactlyInAnyOrder(row("shop.customers"), row("shop.orders"), row("shop.secrets"), row("vault.keys"),
                row("aux.one"));
        String schemas = "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1";
        assertThat(asPolicyUser(schemas)).containsExactly(row("aux"), row("shop"));
        assertThat(withoutPolicy(schemas)).containsExactly(row("aux"), row("shop"), row("vault"));
        assertThat(asPolicyUser("SELECT tablename FROM pg_tables WHERE schemaname = 'shop' ORDER BY 1")).containsExactly(row("customers"), row("orders"));
    }

    @Test
    void pgAttributeOmitsDeniedColumns()
    {
        String columns = "SELECT a.attname FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid WHERE c.relname = 'customers' AND a.attnum > 0 ORDER BY a.attnum";
        assertThat(asPolicyUser(columns)).extracting(row -> row.get(0)).containsExactly("id", "name", "email", "region", "active", "profile", "created_at");
        assertThat(withoutPolicy(columns)).extracting(row -> row.get(0)).contains("bio");
    }

    @Test
    void informationSchemaFollowsThePolicy()
    {
        String tables = "SELECT table_schema || '.' || table_name FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')";
        assertThat(asPolicyUser(tables)).containsExactlyInAnyOrder(row("shop.customers"), row("shop.orders"), row("aux.one"));
        assertThat(withoutPolicy(tables)).hasSize(5);
        String columns = "SELECT column_name FROM information_schema.columns WHERE table_schema = 'shop' AND table_name IN ('customers', 'secrets')";
        assertThat(asPolicyUser(columns)).extracting(row -> row.get(0)).hasSize(7).doesNotContain("bio", "secret");
        assertThat(withoutPolicy(columns)).extracting(row -> row.get(0)).contains("bio", "secret");
        assertThat(asPolicyUser("SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'vault'")).isEmpty();
    }

    @Test
    void typesOfHiddenColumnsAreHidden()
    {
        // an enum's labels say something about the data: only a session that sees a column of the type sees the type
        long clearance = (Long) withoutPolicy("SELECT oid FROM pg_type WHERE typname = 'clearance'").get(0).get(0);
        assertThat(withoutPolicy("SELECT enumlabel FROM pg_enum WHERE enumtypid = %d ORDER BY enumsortorder".formatted(clearance)))
                .containsExactly(row("restricted"), row("top_secret"));
        assertThat(withoutPolicy("SELECT %d::regtype::text".formatted(clearance))).containsExactly(row("clearance"));

        assertThat(asPolicyUser("SELECT oid FROM pg_type WHERE typname IN ('clearance', '_clearance')")).isEmpty();
        assertThat(asPolicyUser("SELECT count(*) FROM pg_enum")).containsExactly(row(0L));
        assertThat(asPolicyUser("SELECT %d::regtype::text".formatted(clearance))).containsExactly(row(String.valueOf(clearance)));
        assertThat(asPolicyUser("SELECT format_type(%d, -1)".formatted(clearance))).containsExactly(row("???"));
    }

    @Test
    void commentsOfHiddenColumnsAreHidden()
    {
        long secrets = (Long) withoutPolicy("SELECT oid FROM pg_class WHERE relname = 'secrets'").get(0).get(0);
        assertThat(withoutPolicy("SELECT description FROM pg_description WHERE objoid = %d AND objsubid = 2".formatted(secrets)))
                .containsExactly(row("the launch code"));
        assertThat(withoutPolicy("SELECT col_description(%d, 2)".formatted(secrets))).containsExactly(row("the launch code"));

        assertThat(asPolicyUser("SELECT count(*) FROM pg_description WHERE objoid = %d".formatted(secrets))).containsExactly(row(0L));
        assertThat(asPolicyUser("SELECT col_description(%d, 2)".formatted(secrets))).containsExactly(row((Object) null));
    }

    @Test
    void oidFunctionsDoNotRevealHiddenObjects()
    {
        // the OIDs of the hidden table, as a session without policies sees them
        List<Object> secrets = withoutPolicy("SELECT c.oid, i.indexrelid FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid WHERE c.relname = 'secrets'").get(0);
        long table = (Long) secrets.get(0);
        long index = (Long) secrets.get(1);
        assertThat(withoutPolicy("SELECT pg_get_indexdef(%d)".formatted(index))).containsExactly(row("CREATE UNIQUE INDEX secrets_pkey ON shop.secrets USING btree (id)"));
        // unqualified: the session's search path finds it, as PostgreSQL prints it
        assertThat(withoutPolicy("SELECT %d::regclass::text".formatted(table))).containsExactly(row("secrets"));

        assertThat(asPolicyUser("SELECT pg_get_indexdef(%d)".formatted(index))).containsExactly(row((Object) null));
        assertThat(asPolicyUser("SELECT %d::regclass::text".formatted(table))).containsExactly(row(String.valueOf(table)));
        assertThat(asPolicyUser("SELECT pg_table_is_visible(%d)".formatted(table))).containsExactly(row(false));
        assertThat(asPolicyUser("SELECT count(*) FROM pg_index WHERE indrelid = %d".formatted(table))).containsExactly(row(0L));
        QueryException regclass = catchThrowableOfType(QueryException.class, () -> prepare("SELECT 'shop.secrets'::regclass", session(ANALYST_JP)));
        assertThat(regclass.sqlState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
        // a visible table resolves
        List<List<Object>> customers = asPolicyUser("SELECT i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                + "WHERE i.indrelid = 'shop.customers'::regclass");
        assertThat(customers).containsExactly(row("customers", "CREATE UNIQUE INDEX customers_pkey ON shop.customers USING btree (id)"));
    }

    @Test
    void hintsDoNotListHiddenSchemas()
    {
        QueryException error = catchThrowableOfType(QueryException.class, () -> prepare("SELECT * FROM nowhere.t", session(ANALYST_JP)));
        assertThat(error.sqlState()).isEqualTo(SqlStates.UNDEFINED_TABLE);
        assertThat(error.hint()).contains("aux").contains("shop").doesNotContain("vault");
        QueryException hidden = catchThrowableOfType(QueryException.class, () -> prepare("SELECT * FROM vault.keys", session(ANALYST_JP)));
        assertThat(hidden.hint()).contains("Schema \"vault\" does not exist");
        QueryException withoutPolicy = catchThrowableOfType(QueryException.class, () -> prepare("SELECT * FROM nowhere.t", new SessionContext("x", List.of("shop"))));
        assertThat(withoutPolicy.hint()).contains("vault");
    }

    @Test
    void catalogPlansAreSharedButRowsArePerPrincipal()
    {
        String sql = "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'shop' AND c.relkind = 'r'";
        assertThat(asPolicyUser(sql)).containsExactly(row(2L));
        assertThat(withoutPolicy(sql)).containsExactly(row(3L));
        assertThat(asPolicyUser(sql)).containsExactly(row(2L));
        SessionContext admin = SessionContext.withPolicy(new dev.sekisho.policies.Principal("root", java.util.Set.of("admins"), java.util.Map.of()),
                TestingSecuredShop.POLICIES, List.of("shop"));
        // admins are allowed customers and orders only: secrets stays hidden from them as well
        assertThat(TestingShop.readAll(prepare(sql, admin).execute(List.of(), TestingShop.context()))).containsExactly(row(2L));
    }

    private List<List<Object>> asPolicyUser(String sql)
    {
        return TestingShop.readAll(prepare(sql, session(ANALYST_JP)).execute(List.of(), TestingShop.context()));
    }

    private List<List<Object>> withoutPolicy(String sql)
    {
        return TestingShop.readAll(prepare(sql, new SessionContext("x", List.of("shop"))).execute(List.of(), TestingShop.context()));
    }

    private PreparedQuery prepare(String sql, SessionContext session)
    {
        return planner.prepare(sql, List.of(), session);
    }
}
