package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingSecuredShop;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingSecuredShop.ANALYST_JP;
import static dev.sekisho.planner.testing.TestingSecuredShop.session;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;

/** The sources' secondary indexes in pg_class, pg_index, pg_constraint, pg_indexes and information_schema, as the policy lets a session see them. */
class TestCatalogIndexes
{
    private static final String INDEXES = "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            + "WHERE c.relkind = 'i' AND n.nspname = 'shop' ORDER BY 1";

    private final TestingConnector shop = TestingShop.mysqlShop();
    private final CalciteQueryPlanner planner;

    TestCatalogIndexes()
    {
        shop.addIndex("shop", "orders", new IndexMetadata("orders_customer", List.of("customer_id"), false));
        shop.addIndex("shop", "orders", new IndexMetadata("orders_customer_date", List.of("customer_id", "ordered_on"), false));
        shop.addIndex("shop", "customers", new IndexMetadata("customers_email", List.of("email"), true));
        // bio is a column the analysts may not see
        shop.addIndex("shop", "customers", new IndexMetadata("customers_bio", List.of("bio"), false));
        // MySQL index names are per table: both tables have one called by_date
        shop.addIndex("shop", "customers", new IndexMetadata("by_date", List.of("created_at"), false));
        shop.addIndex("shop", "orders", new IndexMetadata("by_date", List.of("ordered_on"), false));
        shop.addTable("shop", "secrets", List.of(column("id", ColumnType.of(Kind.INTEGER)), column("secret", ColumnType.varchar(10))), List.of(row(1, "s")));
        shop.addIndex("shop", "secrets", new IndexMetadata("secrets_secret", List.of("secret"), true));
        planner = TestingSecuredShop.planner(shop);
    }

    @Test
    void everyIndexIsABtreeRelation()
    {
        assertThat(withoutPolicy(INDEXES)).extracting(row -> row.get(0)).containsExactly("by_date", "by_date", "customers_bio", "customers_email",
                "customers_pkey", "orders_customer", "orders_customer_date", "orders_pkey", "secrets_pkey", "secrets_secret");
        assertThat(withoutPolicy("SELECT DISTINCT relam, relnatts FROM pg_class WHERE relname = 'orders_customer'")).containsExactly(row(403L, (short) 1));
        assertThat(withoutPolicy("SELECT relhasindex FROM pg_class WHERE relname = 'orders'")).containsExactly(row(true));
        // the two indexes named by_date are distinct objects, each on its own table
        List<List<Object>> byDate = withoutPolicy("SELECT c.oid, t.relname FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid "
                + "JOIN pg_class t ON t.oid = i.indrelid WHERE c.relname = 'by_date' ORDER BY 2");
        assertThat(byDate).extracting(row -> row.get(1)).containsExactly("customers", "orders");
        assertThat(byDate.get(0).get(0)).isNotEqualTo(byDate.get(1).get(0));
        // index attributes, in key order
        assertThat(withoutPolicy("SELECT a.attname, a.attnum FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                + "WHERE c.relname = 'orders_customer_date' ORDER BY a.attnum")).containsExactly(row("customer_id", (short) 1), row("ordered_on", (short) 2));
    }

    @Test
    void pgIndexDescribesKeysAndUniqueness()
    {
        List<List<Object>> orders = withoutPolicy("SELECT c.relname, i.indisunique, i.indisprimary, i.indnatts, i.indnkeyatts, i.indkey::text "
                + "FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = 'shop.orders'::regclass ORDER BY 1");
        assertThat(orders).containsExactly(
                row("by_date", false, false, (short) 1, (short) 1, "5"),
                row("orders_customer", false, false, (short) 1, (short) 1, "2"),
                row("orders_customer_date", false, false, (short) 2, (short) 2, "2 5"),
                row("orders_pkey", true, true, (short) 1, (short) 1, "1"));
        assertThat(withoutPolicy("SELECT i.indisunique, i.indisprimary FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                + "WHERE c.relname = 'customers_email'")).containsExactly(row(true, false));
    }

    @Test
    void indexDefinitions()
    {
        assertThat(withoutPolicy("SELECT pg_get_indexdef(c.oid) FROM pg_class c WHERE c.relname IN ('orders_customer_date', 'customers_email') ORDER BY 1"))
                .containsExactly(
                        row("CREATE INDEX orders_customer_date ON shop.orders USING btree (customer_id, ordered_on)"),
                        row("CREATE UNIQUE INDEX customers_email ON shop.customers USING btree (email)"));
        assertThat(withoutPolicy("SELECT pg_get_indexdef(c.oid, 2, true), pg_get_indexdef(c.oid, 0, true) FROM pg_class c WHERE c.relname = 'orders_customer'"))
                .containsExactly(row("", "CREATE INDEX orders_customer ON shop.orders USING btree (customer_id)"));
        assertThat(withoutPolicy("SELECT pg_get_indexdef(c.oid, 2, true) FROM pg_class c WHERE c.relname = 'orders_customer_date'"))
                .containsExactly(row("ordered_on"));
        assertThat(withoutPolicy("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'shop' AND tablename = 'orders' ORDER BY 1")).containsExactly(
                row("by_date", "CREATE INDEX by_date ON shop.orders USING btree (ordered_on)"),
                row("orders_customer", "CREATE INDEX orders_customer ON shop.orders USING btree (customer_id)"),
                row("orders_customer_date", "CREATE INDEX orders_customer_date ON shop.orders USING btree (customer_id, ordered_on)"),
                row("orders_pkey", "CREATE UNIQUE INDEX orders_pkey ON shop.orders USING btree (id)"));
    }

    @Test
    void uniqueIndexesAreUniqueConstraints()
    {
        assertThat(withoutPolicy("SELECT con.conname, con.contype, pg_get_constraintdef(con.oid), ci.relname FROM pg_constraint con "
                + "JOIN pg_class ci ON ci.oid = con.conindid WHERE con.conrelid = 'shop.customers'::regclass ORDER BY 1"))
                .containsExactly(row("customers_email", "u", "UNIQUE (email)", "customers_email"), row("customers_pkey", "p", "PRIMARY KEY (id)", "customers_pkey"));
        assertThat(withoutPolicy("SELECT constraint_name, constraint_type FROM information_schema.table_constraints "
                + "WHERE table_schema = 'shop' AND table_name = 'customers' ORDER BY 1"))
                .containsExactly(row("customers_email", "UNIQUE"), row("customers_pkey", "PRIMARY KEY"));
        assertThat(withoutPolicy("SELECT constraint_name, column_name, ordinal_position FROM information_schema.key_column_usage "
                + "WHERE table_schema = 'shop' AND table_name = 'customers' ORDER BY 1"))
                .containsExactly(row("customers_email", "email", 1), row("customers_pkey", "id", 1));
        // plain indexes are no constraints
        assertThat(withoutPolicy("SELECT count(*) FROM pg_constraint WHERE conrelid = 'shop.orders'::regclass")).containsExactly(row(1L));
    }

    @Test
    void indexesFollowThePolicy()
    {
        // secrets is hidden, and so are its indexes; customers_bio indexes a denied column
        assertThat(asPolicyUser(INDEXES)).extracting(row -> row.get(0)).containsExactly("by_date", "by_date", "customers_email", "customers_pkey",
                "orders_customer", "orders_customer_date", "orders_pkey");
        assertThat(asPolicyUser("SELECT indexname FROM pg_indexes WHERE tablename IN ('customers', 'secrets') ORDER BY 1"))
                .containsExactly(row("by_date"), row("customers_email"), row("customers_pkey"));
        assertThat(asPolicyUser("SELECT count(*) FROM pg_constraint WHERE conname = 'secrets_secret'")).containsExactly(row(0L));
        assertThat(asPolicyUser("SELECT count(*) FROM information_schema.table_constraints WHERE constraint_name = 'secrets_secret'")).containsExactly(row(0L));

        long bio = (Long) withoutPolicy("SELECT oid FROM pg_class WHERE relname = 'customers_bio'").get(0).get(0);
        long secret = (Long) withoutPolicy("SELECT oid FROM pg_class WHERE relname = 'secrets_secret'").get(0).get(0);
        assertThat(withoutPolicy("SELECT pg_get_indexdef(%d)".formatted(bio))).containsExactly(row("CREATE INDEX customers_bio ON shop.customers USING btree (bio)"));
        assertThat(asPolicyUser("SELECT pg_get_indexdef(%d), pg_get_indexdef(%d)".formatted(bio, secret))).containsExactly(row(null, null));
        assertThat(asPolicyUser("SELECT count(*) FROM pg_index WHERE indexrelid IN (%d, %d)".formatted(bio, secret))).containsExactly(row(0L));

        // OIDs do not depend on what a session may see
        String customerIndex = "SELECT oid FROM pg_class WHERE relname = 'orders_customer'";
        assertThat(asPolicyUser(customerIndex)).isEqualTo(withoutPolicy(customerIndex));
    }

    private List<List<Object>> asPolicyUser(String sql)
    {
        return TestingShop.readAll(planner.prepare(sql, List.of(), session(ANALYST_JP)).execute(List.of(), TestingShop.context()));
    }

    private List<List<Object>> withoutPolicy(String sql)
    {
        return TestingShop.readAll(planner.prepare(sql, List.of(), new SessionContext("x", List.of("shop"))).execute(List.of(), TestingShop.context()));
    }
}
