package dev.sekisho.it;

import dev.sekisho.policies.mask.ReferenceMasks;
import dev.sekisho.policies.model.Mask;
import org.apache.calcite.avatica.AvaticaSqlException;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.sekisho.it.QueryAssertions.read;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Tries to get around the test policy ({@code policies/bypass}) with every SQL construct a user
 * might think of, through real pgjdbc connections to {@link TestingGateway#policyGateway()} and
 * again through Avatica's remote driver (the class runs once per {@link FrontDoor}), as
 * users with different roles and attributes. Each answer is compared with the same question asked
 * of MariaDB directly, against databases that hold exactly what the policy lets that user see,
 * computed in SQL written for these tests ({@code policies/expected.sql}). A query that reads raw
 * values or rows the user may not see gives a different answer and fails.
 *
 * <p>What the policy lets each user see of shop:
 * <ul>
 * <li>alice (analyst, region JP): JP customers only, name/email/phone masked, birth_date to
 * January 1; orders except cancelled ones, amount rounded to 1000, note NULL</li>
 * <li>bob (finance): every customer, masked as for alice; orders raw</li>
 * <li>carol (analyst and intern, region US): US customers, masked, no birth_date column; no
 * products table; orders as alice</li>
 * <li>dave (analyst without region): no customer; orders as alice</li>
 * <li>admin: everything raw</li>
 * <li>mallory (no role): nothing</li>
 * </ul>
 */
@ParameterizedClass
@EnumSource(FrontDoor.class)
class TestPolicyBypass
{
    /** The door this run of the class connects through (its connections are opened once per run, below). */
    @Parameter
    FrontDoor frontDoor;

    private static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "admin");

    private static final Map<String, Connection> gateway = new LinkedHashMap<>();
    private static final Map<String, Connection> expected = new HashMap<>();
    private static Connection raw;
    private static final Map<String, String> values = new HashMap<>();

    private static boolean expectedLoaded;

    @BeforeParameterizedClassInvocation
    static void setUp(FrontDoor door)
            throws SQLException
    {
        TestingGateway testing = TestingGateway.shared();
        if (!expectedLoaded) {
            testing.mariaDb().runScript("policies/expected.sql");
            expectedLoaded = true;
        }
        raw = testing.connectDirect("shop");
        for (String user : USERS) {
            gateway.put(user, door.connect(testing.policyGateway(), user));
            expected.put(user, testing.connectDirect("policy_expected_" + user));
        }
        gateway.put("mallory", door.connect(testing.policyGateway(), "mallory"));

        // Real values to try: a JP customer (visible to alice, masked) and a US one (hidden from alice).
        values.put("jp_id", single("select min(id) from customers where region = 'JP' and email is not null and birth_date is not null and month(birth_date) > 1"));
        values.put("us_id", single("select min(id) from customers where region = 'US' and email is not null"));
        values.put("jp_email", single("select email from customers where id = " + values.get("jp_id")));
        values.put("jp_name", single("select name from customers where id = " + values.get("jp_id")));
        values.put("jp_phone", single("select phone from customers where region = 'JP' and phone is not null order by id limit 1"));
        values.put("jp_birth_date", single("select birth_date from customers where id = " + values.get("jp_id")));
        values.put("us_email", single("select email from customers where id = " + values.get("us_id")));
        values.put("us_name", single("select name from customers where id = " + values.get("us_id")));
    }

    @AfterParameterizedClassInvocation
    static void tearDown()
            throws SQLException
    {
        for (Connection connection : gateway.values()) {
            connection.close();
        }
        for (Connection connection : expected.values()) {
            connection.close();
        }
        gateway.clear();
        expected.clear();
        if (raw != null) {
            raw.close();
        }
    }

    /** Bypass attempts: name, the query through the gateway (PostgreSQL), the same question for MariaDB (null: the same text), whether row order is part of the answer. */
    static Stream<Arguments> bypassAttempts()
    {
        return Stream.of(
                // SELECT * and aliases
                attempt("select star", "select * from customers order by id"),
                attempt("select star orders", "select * from orders order by id"),
                attempt("qualified star", "select c.* from shop.customers c order by c.id", "select c.* from customers c order by c.id"),
                attempt("column aliases", "select c.id as k, c.email as e, c.name as \"N\", c.phone p, c.birth_date as b from customers as c order by k",
                        "select c.id as k, c.email as e, c.name as N, c.phone p, c.birth_date as b from customers as c order by k"),
                attempt("quoted and upper-case names", "select * from \"shop\".\"customers\" order by id", "select * from customers order by id"),
                attempt("upper-case names", "SELECT ID, EMAIL, NAME FROM SHOP.CUSTOMERS ORDER BY ID", "SELECT ID, EMAIL, NAME FROM customers ORDER BY ID"),
                attempt("derived table aliases", "select x.e, x.n from (select email as e, name as n, id from customers) as x order by x.id"),
                attempt("star of a derived table", "select * from (select * from customers where id < 200) t order by id"),

                // expressions over masked columns
                attempt("lower upper", "select id, lower(name), upper(email), lower(phone) from customers order by id"),
                attempt("substring", "select id, substring(email, 1, 8), substring(name from 1 for 2), substring(phone from 5) from customers order by id"),
                attempt("length and position", "select id, char_length(email), char_length(name), position('@' in email) from customers order by id"),
                attempt("concat", "select id, concat(name, '|', coalesce(email, '-'), '|', coalesce(phone, '-')) from customers order by id"),
                attempt("concat operator", "select id, name || '/' || email from customers order by id", "select id, concat(name, '/', email) from customers order by id"),
                attempt("cast to text", "select id, cast(birth_date as varchar(10)), cast(id as varchar(10)) || email from customers order by id",
                        "select id, cast(birth_date as char(10)), concat(cast(id as char(10)), email) from customers order by id"),
                attempt("cast of a masked number", "select id, cast(amount as bigint), cast(amount as double precision) from orders order by id",
                        "select id, cast(amount as signed), cast(amount as double) from orders order by id"),
                attempt("case over masked columns",
                        "select id, case when email like 'haruto%' then 'raw' when email like '****%' then 'masked' else 'none' end, "
                                + "case when birth_date > date '1990-06-30' then 1 else 0 end, case name when '${jp_name}' then 'raw' else 'other' end from customers order by id"),
                attempt("coalesce and nullif", "select id, coalesce(email, phone, 'none'), nullif(name, '${jp_name}') from customers order by id"),
                attempt("arithmetic on a masked amount", "select id, amount * 3 + 1, mod(cast(amount as integer), 1000) from orders order by id",
                        "select id, amount * 3 + 1, mod(cast(amount as signed), 1000) from orders order by id"),
                attempt("date functions on a masked date", "select id, extract(month from birth_date), extract(day from birth_date), extract(year from birth_date) from customers order by id"),

                // WHERE
                attempt("where equals a real email", "select id from customers where email = '${jp_email}'"),
                unordered("where equals a real name", "select id from customers where name = '${jp_name}' or name = '${us_name}'"),
                attempt("where like on raw parts", "select id from customers where email like 'haruto%' or name like '${jp_name}%' or phone like '%-7919-%' order by id"),
                attempt("where on a real birth date", "select id from customers where birth_date = date '${jp_birth_date}'"),
                attempt("where lower like", "select count(*) from customers where lower(email) like '%suzuki%'"),
                attempt("where other regions", "select count(*) from customers where region <> 'JP'"),
                attempt("where id of another region", "select * from customers where id = ${us_id}"),
                attempt("where or true", "select count(*) from customers where region = 'US' or 1 = 1"),
                attempt("where cancelled orders", "select count(*) from orders where status = 'cancelled'"),
                attempt("where note is not null", "select count(*) from orders where note is not null"),
                attempt("where on the exact amount", "select count(*) from orders where amount <> round(amount, -3)", "select count(*) from orders where amount <> round(amount, -3)"),

                // JOIN ON
                attempt("self join on masked email", "select count(*) from customers a join customers b on a.email = b.email"),
                attempt("self join on masked name", "select a.id, b.id from customers a join customers b on a.name = b.name and a.id < b.id where a.id < 60 order by a.id, b.id"),
                attempt("join with real values", "select count(*) from customers c join (select '${jp_email}' as e) r on c.email = r.e"),
                attempt("join orders to customers", "select o.id, c.email, c.region, o.amount from orders o join customers c on c.id = o.customer_id order by o.id"),
                attempt("left join keeps orders of hidden customers", "select o.id, c.id, c.name from orders o left join customers c on c.id = o.customer_id order by o.id"),
                attempt("join on an expression of masked columns", "select count(*) from customers a join customers b on lower(a.email) = lower(b.email) and a.phone = b.phone"),

                // GROUP BY, HAVING, DISTINCT, COUNT(DISTINCT)
                unordered("group by masked email", "select email, count(*) from customers group by email"),
                unordered("group by masked name having", "select name, count(*) from customers group by name having count(*) > 1"),
                unordered("having count one", "select email from customers group by email having count(*) = 1"),
                unordered("group by expression", "select substring(email, 1, 6), count(*) from customers group by substring(email, 1, 6)"),
                unordered("group by masked date", "select birth_date, count(*) from customers group by birth_date"),
                unordered("group by masked amount", "select amount, count(*) from orders group by amount having count(*) > 5"),
                unordered("group by region", "select region, count(*), count(email), min(id), max(id) from customers group by region"),
                unordered("distinct masked email", "select distinct email from customers"),
                unordered("distinct masked phone", "select distinct phone from customers"),
                attempt("count distinct", "select count(distinct email), count(distinct name), count(distinct phone), count(distinct birth_date) from customers"),
                attempt("count distinct amounts", "select count(distinct amount), count(distinct note), sum(amount) from orders"),

                // ORDER BY (the order of equal masked values is not part of the answer: ties are broken by id)
                attempt("order by masked date", "select id, birth_date from customers where birth_date is not null order by birth_date, id"),
                attempt("order by masked amount", "select id, amount from orders order by amount desc, id limit 100"),
                attempt("order by expression of masked columns", "select id from customers where email is not null order by char_length(email), id"),

                // window functions
                attempt("row number partitioned by a masked column", "select id, row_number() over (partition by email order by id), count(*) over (partition by name) from customers order by id"),
                attempt("rank over a masked date", "select id, rank() over (order by birth_date) from customers where birth_date is not null order by id"),
                attempt("lag and first value", "select id, lag(name) over (order by id), first_value(email) over (partition by region order by id) from customers order by id"),
                attempt("window sum of masked amounts", "select id, sum(amount) over (partition by customer_id) from orders order by id"),

                // set operations
                unordered("union", "select email from customers union select email from customers"),
                unordered("union all with real values", "select email from customers union all select '${jp_email}'"),
                unordered("intersect with real values", "select email from customers intersect select '${jp_email}'"),
                unordered("intersect on names", "select name from customers intersect select name from customers where id < 100"),
                unordered("except", "select id from customers except select id from customers where region = 'JP'"),
                unordered("except real values", "select email from customers except select email from customers where id < 0"),

                // CTEs
                unordered("cte", "with c as (select * from customers) select region, count(*) from c group by region"),
                attempt("cte looking for a real email", "with e as (select email, id from customers where email is not null), j as (select id from e where email = '${jp_email}') select count(*) from j"),
                attempt("nested ctes", "with a as (select id, email from customers), b as (select a.id, a.email, o.amount from a join orders o on o.customer_id = a.id) select id, email, amount from b order by id, amount limit 500"),

                // subqueries
                attempt("scalar subqueries", "select (select count(*) from customers where region <> 'JP'), (select min(id) from customers where region = 'US'), (select count(*) from customers)"),
                attempt("in subquery", "select count(*) from orders where customer_id in (select id from customers where region <> 'JP')"),
                attempt("in subquery on real emails", "select count(*) from customers where email in (select '${jp_email}' union select '${us_email}')"),
                attempt("exists", "select count(*) from orders o where exists (select 1 from customers c where c.id = o.customer_id and c.region = 'US')"),
                attempt("not exists", "select count(*) from customers c where not exists (select 1 from orders o where o.customer_id = c.id)"),
                attempt("correlated in where", "select count(*) from orders o where (select c.region from customers c where c.id = o.customer_id) = 'US'"),
                attempt("correlated in select list", "select o.id, (select c.email from customers c where c.id = o.customer_id) from orders o order by o.id"),
                attempt("correlated on masked values", "select c.id from customers c where c.email = (select max(c2.email) from customers c2 where c2.id = c.id and c2.email = '${jp_email}')"),
                attempt("quantified comparison", "select count(*) from orders o where o.customer_id = any (select id from customers where region = 'US')",
                        "select count(*) from orders o where o.customer_id = any (select id from customers where region = 'US')"),

                // LATERAL (MariaDB has none: the reference spells it as a correlated subquery)
                attempt("lateral subquery", "select c.id, o.amount from customers c cross join lateral (select amount from orders o where o.customer_id = c.id order by o.id limit 1) o order by c.id",
                        "select c.id, (select amount from orders o where o.customer_id = c.id order by o.id limit 1) from customers c "
                                + "where exists (select 1 from orders o where o.customer_id = c.id) order by c.id"),
                attempt("lateral expression", "select c.id, l.e from customers c, lateral (select c.email || '#' as e) l order by c.id",
                        "select c.id, concat(c.email, '#') from customers c order by c.id"),

                // VALUES
                attempt("join with values", "select c.id, v.r from customers c join (values ('JP'), ('US')) v(r) on c.region = v.r order by c.id",
                        "select c.id, v.r from customers c join (select 'JP' as r union all select 'US') v on c.region = v.r order by c.id"),
                attempt("values of real emails left join", "select v.e, c.id from (values ('${jp_email}'), ('${us_email}')) v(e) left join customers c on c.email = v.e order by v.e",
                        "select v.e, c.id from (select '${jp_email}' as e union all select '${us_email}') v left join customers c on c.email = v.e order by v.e"),
                unordered("in list of real values", "select id from customers where email in ('${jp_email}', '${us_email}') or name in ('${jp_name}', '${us_name}') or phone in ('${jp_phone}')"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bypassAttempts")
    void sameAnswerAsThePolicyAppliedInMariaDb(String name, String gatewaySql, String mariaDbSql, boolean ordered)
            throws SQLException
    {
        int nonEmpty = 0;
        for (String user : USERS) {
            Outcome reference = run(expected.get(user), substitute(mariaDbSql));
            Outcome actual = run(gateway.get(user), substitute(gatewaySql));
            String description = "%s as %s%n  query: %s%n  gateway: %s%n  expected: %s".formatted(name, user, substitute(gatewaySql), actual, reference);
            if (reference.sqlState() != null) {
                assertThat(actual.sqlState()).as(description).isEqualTo(pgState(reference.sqlState()));
                continue;
            }
            assertThat(actual.sqlState()).as(description).isNull();
            if (ordered) {
                assertThat(actual.rows()).as(description).containsExactlyElementsOf(reference.rows());
            }
            else {
                assertThat(sorted(actual.rows())).as(description).containsExactlyElementsOf(sorted(reference.rows()));
            }
            if (!reference.rows().isEmpty()) {
                nonEmpty++;
            }
        }
        assertThat(nonEmpty).as("some user must get rows, or the comparison means nothing").isPositive();
    }

    @Test
    void masksAreTheReferenceMasks()
            throws SQLException
    {
        // The expected databases and the gateway must both agree with the policies module's definition of each mask.
        Mask.Partial name = new Mask.Partial(1, 0, "*");
        List<List<Object>> rawCustomers = rows(raw, "select id, name, email, phone, birth_date from customers where region = 'JP' order by id");
        List<List<Object>> masked = new ArrayList<>();
        for (List<Object> row : rawCustomers) {
            masked.add(Arrays.asList(row.get(0), ReferenceMasks.partial((String) row.get(1), name), ReferenceMasks.email((String) row.get(2)),
                    ReferenceMasks.phone((String) row.get(3)), ReferenceMasks.year((LocalDate) row.get(4))));
        }
        String sql = "select id, name, email, phone, birth_date from customers order by id";
        assertThat(rows(expected.get("alice"), sql)).containsExactlyElementsOf(masked);
        assertThat(rows(gateway.get("alice"), sql)).containsExactlyElementsOf(masked);

        List<List<Object>> rawOrders = rows(raw, "select id, amount, note from orders where status <> 'cancelled' order by id");
        List<List<Object>> maskedOrders = new ArrayList<>();
        for (List<Object> row : rawOrders) {
            maskedOrders.add(Arrays.asList(row.get(0), QueryAssertions.normalize(ReferenceMasks.round((BigDecimal) row.get(1), new BigDecimal(1000))), null));
        }
        assertThat(rows(gateway.get("alice"), "select id, amount, note from orders order by id")).containsExactlyElementsOf(maskedOrders);
        assertThat(rawOrders.stream().filter(row -> row.get(2) != null).count()).as("the data set has notes to hide").isPositive();
    }

    @Test
    void realValuesFindNothing()
            throws SQLException
    {
        String email = values.get("jp_email");
        assertThat(rows(gateway.get("admin"), "select id from customers where email = '" + email + "'")).as("admin finds the raw email").hasSize(1);
        for (String user : List.of("alice", "bob")) {
            assertThat(rows(gateway.get(user), "select id from customers where email = '" + email + "'")).as(user).isEmpty();
            assertThat(rows(gateway.get(user), "select id from customers where name = '" + values.get("jp_name") + "'")).as(user).isEmpty();
            assertThat(rows(gateway.get(user), "select id from customers where lower(email) = lower('" + email + "')")).as(user).isEmpty();
        }
        assertThat(rows(gateway.get("alice"), "select count(*) from customers where region <> 'JP'")).containsExactly(List.of(BigDecimal.ZERO));
        assertThat(rows(gateway.get("alice"), "select count(*) from customers")).containsExactly(List.of(QueryAssertions.normalize(new BigDecimal(single("select count(*) from customers where region = 'JP'")))));
    }

    @Test
    void preparedStatementParameters()
            throws SQLException
    {
        Connection alice = gateway.get("alice");
        // more executions than pgjdbc's prepareThreshold (5), so that the named server-side statement is used too
        for (int i = 0; i < 7; i++) {
            assertThat(rows(alice, "select id from customers where email = ?", values.get("jp_email"))).as("real email, run " + i).isEmpty();
            assertThat(rows(alice, "select id, email from customers where id = ?", Integer.parseInt(values.get("us_id")))).as("id of a US customer, run " + i).isEmpty();
            assertThat(rows(alice, "select count(*) from customers where region = ?", "US")).as("run " + i).containsExactly(List.of(BigDecimal.ZERO));
            assertThat(rows(alice, "select id from customers where email like ? or name like ?", "haruto%", values.get("jp_name"))).as("run " + i).isEmpty();
            assertThat(rows(alice, "select id, email, name from customers where id = ?", Integer.parseInt(values.get("jp_id"))))
                    .as("a JP customer is visible, masked, run " + i)
                    .containsExactlyElementsOf(rows(expected.get("alice"), "select id, email, name from customers where id = " + values.get("jp_id")));
        }
        assertThat(rows(gateway.get("admin"), "select id from customers where email = ?", values.get("jp_email"))).as("admin finds the raw email").hasSize(1);
        assertThat(rows(gateway.get("bob"), "select id, email from customers where id = ?", Integer.parseInt(values.get("us_id"))))
                .containsExactlyElementsOf(rows(expected.get("bob"), "select id, email from customers where id = " + values.get("us_id")));
    }

    @Test
    void usersWithTheSameRolesButDifferentAttributesDoNotShareRows()
            throws SQLException
    {
        // Plans may be shared by users with the same policy shape; the attribute values must not be.
        String sql = "select distinct region from customers";
        for (int round = 0; round < 2; round++) {
            assertThat(rows(gateway.get("alice"), sql)).containsExactly(List.of("JP"));
            assertThat(rows(gateway.get("carol"), sql)).containsExactly(List.of("US"));
            assertThat(rows(gateway.get("dave"), sql)).isEmpty();
            assertThat(sorted(rows(gateway.get("bob"), sql))).containsExactly(List.of("EU"), List.of("JP"), List.of("US"));
            for (int i = 0; i < 6; i++) {
                assertThat(rows(gateway.get("alice"), "select distinct region from customers where id > ?", 0)).containsExactly(List.of("JP"));
                assertThat(rows(gateway.get("carol"), "select distinct region from customers where id > ?", 0)).containsExactly(List.of("US"));
            }
        }
    }

    @Test
    void cursorsReadMaskedValues()
            throws SQLException
    {
        Connection alice = gateway.get("alice");
        List<List<Object>> expectedRows = rows(expected.get("alice"), "select id, name, email, phone, birth_date from customers order by id");
        alice.setAutoCommit(false);
        try {
            // pgjdbc fetches in batches through a suspended portal
            try (Statement statement = alice.createStatement()) {
                statement.setFetchSize(50);
                try (ResultSet resultSet = statement.executeQuery("select id, name, email, phone, birth_date from customers order by id")) {
                    assertThat(read(resultSet)).containsExactlyElementsOf(expectedRows);
                }
            }
            // an SQL cursor
            try (Statement statement = alice.createStatement()) {
                statement.execute("declare c cursor for select id, name, email, phone, birth_date from customers order by id");
                List<List<Object>> fetched = new ArrayList<>();
                while (true) {
                    try (ResultSet resultSet = statement.executeQuery("fetch 100 from c")) {
                        List<List<Object>> batch = read(resultSet);
                        if (batch.isEmpty()) {
                            break;
                        }
                        fetched.addAll(batch);
                    }
                }
                statement.execute("close c");
                assertThat(fetched).containsExactlyElementsOf(expectedRows);
            }
        }
        finally {
            alice.rollback();
            alice.setAutoCommit(true);
        }
    }

    @Test
    void orderByMaskedColumnDoesNotRevealTheRawOrder()
            throws SQLException
    {
        // Rows with the same masked name come out together and, within them, in id order: a sort on the raw name would interleave them.
        for (String user : List.of("alice", "bob")) {
            List<List<Object>> result = rows(gateway.get(user), "select name, id from customers order by name, id");
            assertThat(sorted(result)).as(user).containsExactlyElementsOf(sorted(rows(expected.get(user), "select name, id from customers")));
            Map<Object, Integer> lastId = new HashMap<>();
            Object previous = null;
            for (List<Object> row : result) {
                Object masked = row.get(0);
                int id = ((BigDecimal) row.get(1)).intValueExact();
                if (!Objects.equals(masked, previous)) {
                    assertThat(lastId).as(user + ": rows of the masked name " + masked + " are not together").doesNotContainKey(masked);
                }
                else {
                    assertThat(id).as(user + ": ids within " + masked).isGreaterThan(lastId.get(masked));
                }
                lastId.put(masked, id);
                previous = masked;
            }
        }
    }

    @Test
    void userWithoutRoleSeesNothing()
            throws SQLException
    {
        Connection mallory = gateway.get("mallory");
        SoftAssertions softly = new SoftAssertions();
        for (String table : List.of("customers", "orders", "order_items", "products", "shop.customers", "it.all_types")) {
            softly.assertThat(sqlState(mallory, "select * from " + table)).as(table).isEqualTo("42P01");
        }
        softly.assertThat(strings(mallory, "select table_name from information_schema.tables where table_schema in ('shop', 'it')")).as("information_schema.tables").isEmpty();
        softly.assertThat(strings(mallory, "select table_name from information_schema.columns where table_schema in ('shop', 'it')")).as("information_schema.columns").isEmpty();
        softly.assertThat(strings(mallory, "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname in ('shop', 'it')")).as("pg_class").isEmpty();
        try (ResultSet tables = mallory.getMetaData().getTables(null, "shop", "%", null)) {
            softly.assertThat(column(tables, "TABLE_NAME")).as("getTables").isEmpty();
        }
        try (ResultSet columns = mallory.getMetaData().getColumns(null, "shop", "customers", "%")) {
            softly.assertThat(column(columns, "COLUMN_NAME")).as("getColumns").isEmpty();
        }
        softly.assertAll();
    }

    @Test
    void hiddenTableIsAsIfItDidNotExist()
            throws SQLException
    {
        Connection carol = gateway.get("carol");
        assertThat(rows(gateway.get("alice"), "select count(*) from products")).as("alice sees products").isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (String sql : List.of("select * from products", "select * from shop.products", "select count(*) from orders o join order_items i on i.order_id = o.id join products p on p.id = i.product_id",
                "select * from customers where id in (select id from products)", "select 'products'::regclass", "select 'shop.products'::regclass::oid",
                "select pg_relation_size('shop.products')", "select * from it.all_types")) {
            Optional<ServerError> hidden = failure(carol, sql);
            softly.assertThat(hidden).as(sql + " must fail as for a table that does not exist").isPresent();
            hidden.ifPresent(e -> {
                softly.assertThat(e.sqlState()).as(sql).isIn("42P01", "42883");
                assertNotMentioned(softly, e, sql, "products");
                assertNotMentioned(softly, e, sql, "all_types");
            });
        }
        // the answer for a hidden table is the answer for a table that does not exist
        ServerError hidden = error(carol, "select * from products");
        ServerError missing = error(carol, "select * from nosuchtable");
        softly.assertThat(hidden.message().replace("products", "X")).isEqualTo(missing.message().replace("nosuchtable", "X"));
        softly.assertThat(hidden.hint()).isEqualTo(missing.hint());
        // a misspelt name must not be answered with a hint naming the hidden table
        for (String sql : List.of("select * from product", "select * from shop.product", "select * from produts")) {
            assertNotMentioned(softly, error(carol, sql), sql, "products");
        }
        // the admin does not see the database without a rule either (deny by default)
        softly.assertThat(sqlState(gateway.get("admin"), "select * from it.all_types")).isEqualTo("42P01");
        softly.assertAll();
    }

    @Test
    void deniedColumnIsAsIfItDidNotExist()
            throws SQLException
    {
        Connection carol = gateway.get("carol");
        try (Statement statement = carol.createStatement(); ResultSet resultSet = statement.executeQuery("select * from customers")) {
            assertThat(QueryAssertions.labels(resultSet.getMetaData())).containsExactly("id", "name", "email", "phone", "region", "segment", "created_at", "is_active");
        }
        SoftAssertions softly = new SoftAssertions();
        for (String sql : List.of("select birth_date from customers", "select c.birth_date from customers c", "select id from customers where birth_date is null",
                "select id from customers order by birth_date", "select count(birth_date) from customers", "select x.birth_date from (select * from customers) x",
                "select id from customers group by id, birth_date", "select * from customers c join orders o on o.customer_id = c.id and c.birth_date is not null",
                "select (select max(birth_date) from customers)", "select id from customers where exists (select 1 from orders o where o.ordered_at > birth_date)")) {
            softly.assertThat(sqlState(carol, sql)).as(sql).isEqualTo("42703");
        }
        for (String sql : List.of("select birth_dat from customers", "select birthdate from customers", "select c.birth_dates from customers c")) {
            assertNotMentioned(softly, error(carol, sql), sql, "birth_date");
        }
        // alice holds no intern role: she has the column, masked
        try (Statement statement = gateway.get("alice").createStatement(); ResultSet resultSet = statement.executeQuery("select * from customers")) {
            softly.assertThat(QueryAssertions.labels(resultSet.getMetaData())).contains("birth_date");
        }
        softly.assertAll();
    }

    @Test
    void catalogShowsOnlyVisibleTablesAndColumns()
            throws SQLException
    {
        Connection carol = gateway.get("carol");
        Connection alice = gateway.get("alice");
        Connection admin = gateway.get("admin");
        List<String> carolsColumns = List.of("id", "name", "email", "phone", "region", "segment", "created_at", "is_active");
        SoftAssertions softly = new SoftAssertions();

        String tablesSql = "select table_name from information_schema.tables where table_schema = 'shop' order by table_name";
        softly.assertThat(strings(alice, tablesSql)).as("alice: information_schema.tables").containsExactly("customers", "order_items", "orders", "products");
        softly.assertThat(strings(carol, tablesSql)).as("carol: information_schema.tables").containsExactly("customers", "order_items", "orders");
        softly.assertThat(strings(admin, "select table_name from information_schema.tables where table_schema = 'it'")).as("admin: information_schema.tables of it").isEmpty();

        String classSql = "select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'shop' and c.relkind in ('r', 'v', 'p') order by c.relname";
        softly.assertThat(strings(alice, classSql)).as("alice: pg_class").containsExactly("customers", "order_items", "orders", "products");
        softly.assertThat(strings(carol, classSql)).as("carol: pg_class").containsExactly("customers", "order_items", "orders");
        softly.assertThat(strings(carol, "select relname from pg_class where relname = 'products'")).as("carol: pg_class products").isEmpty();
        softly.assertThat(strings(admin, "select relname from pg_class where relname = 'all_types'")).as("admin: pg_class all_types").isEmpty();
        softly.assertThat(strings(carol, "select tablename from pg_tables where schemaname = 'shop' order by tablename")).as("carol: pg_tables")
                .containsExactly("customers", "order_items", "orders");

        String columnsSql = "select column_name from information_schema.columns where table_schema = 'shop' and table_name = 'customers' order by ordinal_position";
        softly.assertThat(strings(alice, columnsSql)).as("alice: information_schema.columns").contains("birth_date");
        softly.assertThat(strings(carol, columnsSql)).as("carol: information_schema.columns").containsExactlyElementsOf(carolsColumns);
        softly.assertThat(strings(carol, "select table_name from information_schema.columns where column_name = 'price' or table_name = 'products'"))
                .as("carol: information_schema.columns of products").isEmpty();
        softly.assertThat(strings(carol, "select a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid "
                        + "where c.relname = 'customers' and a.attnum > 0 and not a.attisdropped order by a.attnum"))
                .as("carol: pg_attribute").containsExactlyElementsOf(carolsColumns);

        try (ResultSet tables = carol.getMetaData().getTables(null, "shop", "%", new String[] {"TABLE"})) {
            softly.assertThat(column(tables, "TABLE_NAME")).as("carol: getTables").containsExactlyInAnyOrder("customers", "order_items", "orders");
        }
        try (ResultSet tables = alice.getMetaData().getTables(null, "shop", "%", new String[] {"TABLE"})) {
            softly.assertThat(column(tables, "TABLE_NAME")).as("alice: getTables").containsExactlyInAnyOrder("customers", "order_items", "orders", "products");
        }
        try (ResultSet tables = admin.getMetaData().getTables(null, "it", "%", null)) {
            softly.assertThat(column(tables, "TABLE_NAME")).as("admin: getTables of it").isEmpty();
        }
        try (ResultSet columns = carol.getMetaData().getColumns(null, "shop", "customers", "%")) {
            softly.assertThat(column(columns, "COLUMN_NAME")).as("carol: getColumns").containsExactlyElementsOf(carolsColumns);
        }
        try (ResultSet columns = carol.getMetaData().getColumns(null, "shop", "products", "%")) {
            softly.assertThat(column(columns, "COLUMN_NAME")).as("carol: getColumns of products").isEmpty();
        }
        try (ResultSet columns = alice.getMetaData().getColumns(null, "shop", "customers", "birth_date")) {
            softly.assertThat(column(columns, "COLUMN_NAME")).as("alice: getColumns birth_date").containsExactly("birth_date");
        }
        softly.assertAll();
    }

    @Test
    void maskedColumnsKeepTheirType()
            throws SQLException
    {
        // A mask replaces the value, not the column's type: orders.amount stays numeric(12,2) when rounded.
        String sql = "select amount, cast(amount as varchar(20)) from orders where id = 1";
        List<List<Object>> raw = rows(gateway.get("admin"), sql);
        assertThat(raw.get(0).get(1).toString()).as("raw amount as text").matches("\\d+\\.\\d\\d");
        try (Statement statement = gateway.get("alice").createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("numeric");
            assertThat(resultSet.getMetaData().getScale(1)).as("scale of the masked amount").isEqualTo(2);
            assertThat(resultSet.getBigDecimal(1).scale()).as("scale of the masked amount's value").isEqualTo(2);
            assertThat(resultSet.getString(2)).as("masked amount as text").matches("\\d+000\\.00");
        }
    }

    @Test
    void errorsDoNotEchoRawValues()
            throws SQLException
    {
        // Every raw personal value of shop: none may appear in an error (or a result) that alice or bob gets.
        List<String> secrets = new ArrayList<>();
        for (List<Object> row : rows(raw, "select name, email, phone from customers")) {
            for (Object value : row) {
                if (value != null) {
                    secrets.add((String) value);
                }
            }
        }
        List<String> attempts = List.of(
                "select cast(email as integer) from customers",
                "select cast(name as integer) from customers",
                "select email::int from customers where id = ${jp_id}",
                "select cast(phone as date) from customers",
                "select cast(email as numeric) + 1 from customers",
                "select email::boolean from customers",
                "select email::date from customers",
                "select cast(name as timestamp) from customers",
                "select sum(cast(email as integer)) from customers",
                "select 1 / (char_length(email) - char_length(email)) from customers",
                "select id from customers where cast(email as integer) = 1",
                "select id from customers order by cast(name as integer)",
                "select (select email from customers where id = ${jp_id})::int",
                "select to_date(email, 'YYYY-MM-DD') from customers",
                "select email::json -> 'a' from customers",
                "select cast(note as integer) from orders");
        for (String user : List.of("alice", "bob")) {
            for (String template : attempts) {
                String sql = substitute(template);
                String seen;
                try (Statement statement = gateway.get(user).createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
                    seen = read(resultSet).toString();
                }
                catch (SQLException e) {
                    seen = describe(serverError(e, sql));
                }
                catch (RuntimeException e) {
                    // Avatica's remote driver reports an error in a later frame unchecked, from ResultSet.next()
                    assertThat(e.getClass().getName()).as(sql).startsWith("org.apache.calcite.avatica.");
                    seen = e.toString();
                }
                for (String secret : secrets) {
                    if (seen.contains(secret)) {
                        fail("%s: %s revealed the raw value %s in: %s", user, sql, secret, seen);
                    }
                }
            }
        }
    }

    @Test
    void userPredicatesNeverSeeFilteredRows()
            throws SQLException
    {
        // An expression that fails on a row the user may not see must not fail: the row filter comes first
        // (PostgreSQL row-level security evaluates policy conditions before the query's own).
        Connection alice = gateway.get("alice");
        Object jpCount = QueryAssertions.normalize(new BigDecimal(single("select count(*) from customers where region = 'JP'")));
        assertThat(rows(alice, "select count(*) from customers where 100 / (case when region = 'JP' then 1 else 0 end) > 0"))
                .containsExactly(List.of(jpCount));
        assertThat(rows(alice, "select count(*) from customers where cast(case when region = 'JP' then '1' else 'x' end as integer) = 1"))
                .containsExactly(List.of(jpCount));
        assertThat(rows(alice, "select count(*) from customers where 1 / (id - ${us_id}) is not null".replace("${us_id}", values.get("us_id"))))
                .containsExactly(List.of(jpCount));
    }

    @Test
    void sourceErrorsDoNotEchoTheRewrittenQuery()
            throws SQLException
    {
        // A query that fails at the source must not show the SQL Sekisho sent there: it carries the policy's
        // row filters (with the user's bound attributes) and mask expressions, which the user never wrote.
        Connection carol = gateway.get("carol");
        for (String sql : List.of("select email::boolean from customers", "select c.id, o.amount from customers c cross join lateral (select amount from orders o where o.customer_id = c.id limit 1) o")) {
            try (Statement statement = carol.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
                read(resultSet);
            }
            catch (SQLException e) {
                assertThat(describe(serverError(e, sql))).as(sql)
                        .doesNotContain("`region`")
                        .doesNotContain("'US'")
                        .doesNotContain("ROUND(")
                        .doesNotContain("REGEXP_REPLACE");
            }
        }
    }

    // ---- helpers

    private record Outcome(List<List<Object>> rows, String sqlState, String message)
    {
        @Override
        public String toString()
        {
            if (sqlState != null) {
                return "ERROR " + sqlState + ": " + message;
            }
            return rows.size() + " row(s)" + (rows.isEmpty() ? "" : ", first " + rows.subList(0, Math.min(3, rows.size())));
        }
    }

    private static Arguments attempt(String name, String sql)
    {
        return Arguments.of(name, sql, sql, true);
    }

    private static Arguments attempt(String name, String gatewaySql, String mariaDbSql)
    {
        return Arguments.of(name, gatewaySql, mariaDbSql, true);
    }

    private static Arguments unordered(String name, String sql)
    {
        return Arguments.of(name, sql, sql, false);
    }

    private static Outcome run(Connection connection, String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            return new Outcome(read(resultSet), null, null);
        }
        catch (SQLException e) {
            return new Outcome(List.of(), Objects.requireNonNullElse(e.getSQLState(), "?????"), e.getMessage());
        }
    }

    /** MariaDB's SQLSTATE for an unknown table or column, as PostgreSQL (and the gateway) says it. */
    private static String pgState(String mariaDbState)
    {
        return switch (mariaDbState) {
            case "42S02" -> "42P01";
            case "42S22" -> "42703";
            default -> throw new AssertionError("the reference query failed: " + mariaDbState);
        };
    }

    private static String substitute(String sql)
    {
        String result = sql;
        for (Map.Entry<String, String> entry : values.entrySet()) {
            result = result.replace("${" + entry.getKey() + "}", entry.getValue().replace("'", "''"));
        }
        assertThat(result).as("unknown placeholder").doesNotContain("${");
        return result;
    }

    private static List<List<Object>> sorted(List<List<Object>> rows)
    {
        List<List<Object>> copy = new ArrayList<>(rows);
        copy.sort(Comparator.comparing(Object::toString));
        return copy;
    }

    private static String single(String sql)
            throws SQLException
    {
        try (Statement statement = raw.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            assertThat(resultSet.next()).as(sql).isTrue();
            return Objects.requireNonNull(resultSet.getString(1), sql);
        }
    }

    private static List<String> strings(Connection connection, String sql)
            throws SQLException
    {
        List<String> result = new ArrayList<>();
        for (List<Object> row : rows(connection, sql)) {
            result.add(Objects.toString(row.get(0)));
        }
        return result;
    }

    private static List<String> column(ResultSet resultSet, String label)
            throws SQLException
    {
        List<String> result = new ArrayList<>();
        while (resultSet.next()) {
            result.add(resultSet.getString(label));
        }
        return result;
    }

    /** An error as the server sent it, through either driver: SQLSTATE, message, detail, hint, where, internal query. */
    private record ServerError(String sqlState, String message, String detail, String hint, String where, String internalQuery) {}

    /** The server's error in a driver's exception; fails the test for an error raised in the client itself. */
    private static ServerError serverError(SQLException e, String sql)
    {
        if (e instanceof PSQLException psql) {
            ServerErrorMessage message = psql.getServerErrorMessage();
            if (message == null) {
                throw new AssertionError(sql + " failed outside the server: " + e, e);
            }
            return new ServerError(psql.getSQLState(), Objects.toString(message.getMessage(), ""), Objects.toString(message.getDetail(), ""),
                    Objects.toString(message.getHint(), ""), Objects.toString(message.getWhere(), ""), Objects.toString(message.getInternalQuery(), ""));
        }
        if (e instanceof AvaticaSqlException avatica) {
            // Avatica's driver puts its own prefix before the server's message; the hint follows on its own line, as pgjdbc prints it
            String text = avatica.getErrorMessage();
            String prefix = "Error while executing SQL \"" + sql + "\": ";
            if (text.startsWith(prefix)) {
                text = text.substring(prefix.length());
            }
            int hint = text.indexOf("\n  Hint: ");
            return new ServerError(avatica.getSQLState(), hint < 0 ? text : text.substring(0, hint), "", hint < 0 ? "" : text.substring(hint + 9), "", "");
        }
        throw new AssertionError(sql + " failed outside the server: " + e, e);
    }

    private static ServerError error(Connection connection, String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            throw new AssertionError(sql + " should have failed, but returned " + read(resultSet));
        }
        catch (SQLException e) {
            return serverError(e, sql);
        }
    }

    /** The SQLSTATE the query fails with, or "(no error)". */
    private static String sqlState(Connection connection, String sql)
    {
        return failure(connection, sql).map(ServerError::sqlState).orElse("(no error)");
    }

    private static Optional<ServerError> failure(Connection connection, String sql)
    {
        try (Statement statement = connection.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            read(resultSet);
            return Optional.empty();
        }
        catch (SQLException e) {
            return Optional.of(serverError(e, sql));
        }
    }

    /** The whole error as the client sees it: message, detail, hint, where. */
    private static String describe(ServerError error)
    {
        return String.join(" | ", error.message(), error.detail(), error.hint(), error.where(), error.internalQuery());
    }

    /** The error names {@code name} only where the query itself did, and never in its hint or detail. */
    private static void assertNotMentioned(SoftAssertions softly, ServerError e, String sql, String name)
    {
        softly.assertThat(e.hint()).as("hint of " + e.message() + " for " + sql).doesNotContainIgnoringCase(name);
        softly.assertThat(e.detail()).as("detail of " + e.message() + " for " + sql).doesNotContainIgnoringCase(name);
        if (!sql.contains(name)) {
            softly.assertThat(e.message()).as(sql).doesNotContainIgnoringCase(name);
        }
    }
}
