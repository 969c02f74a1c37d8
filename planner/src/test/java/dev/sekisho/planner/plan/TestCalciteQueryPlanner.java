package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import static dev.sekisho.planner.testing.TestingShop.context;
import static dev.sekisho.planner.testing.TestingShop.readAll;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCalciteQueryPlanner
{
    private static final SessionContext QUALIFIED = new SessionContext("alice", List.of());
    private static final SessionContext SHOP_PATH = new SessionContext("alice", List.of("shop"));

    private TestingConnector shop;
    private CalciteQueryPlanner planner;

    @BeforeEach
    void setUp()
    {
        shop = TestingShop.mysqlShop();
        // statements exactly as written: these tests check how the dialect renders literals
        planner = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults().withoutNormalization());
    }

    private PreparedQuery prepare(String sql)
    {
        return planner.prepare(sql, List.of(), SHOP_PATH);
    }

    private static String sourceSql(PreparedQuery query)
    {
        assertThat(query.isFullyPushedDown()).as("fully pushed down").isTrue();
        return ((PushedDownQuery) query).sourceSql().replace('\n', ' ');
    }

    private BackendQuery run(PreparedQuery query, Object... parameters)
    {
        readAll(query.execute(Arrays.asList(parameters), context()));
        return shop.lastQuery();
    }

    @Test
    void pointLookupIsOneStatementWithPlaceholder()
    {
        PreparedQuery query = planner.prepare("select * from shop.customers where id = $1", List.of(), QUALIFIED);
        assertThat(sourceSql(query)).isEqualTo("SELECT * FROM `shop`.`customers` WHERE `id` = ?");
        assertThat(query.parameterTypes()).containsExactly(ColumnType.of(Kind.INTEGER));
        assertThat(query.explain()).contains("shopdb").contains("SELECT * FROM `shop`.`customers` WHERE `id` = ?");

        shop.answer(List.of(row(1, "Alice", "alice@example.com", "JP", true, "{}", null, "hello")));
        ResultStream stream = query.execute(List.of(1), context());
        List<List<Object>> rows = readAll(stream);
        assertThat(rows).containsExactly(row(1, "Alice", "alice@example.com", "JP", true, "{}", null, "hello"));
        BackendQuery sent = shop.lastQuery();
        assertThat(sent.source()).isEqualTo("shopdb");
        assertThat(sent.parameters()).containsExactly(1);
        assertThat(sent.parameterTypes()).containsExactly(ColumnType.of(Kind.INTEGER));
    }

    @Test
    void resultColumnsKeepSourceTypesAndOrigins()
    {
        PreparedQuery query = prepare("select id, name, region, active, profile, bio, created_at from customers");
        assertThat(query.columns()).extracting(ResultColumn::name)
                .containsExactly("id", "name", "region", "active", "profile", "bio", "created_at");
        assertThat(query.columns()).extracting(ResultColumn::type).containsExactly(
                ColumnType.of(Kind.INTEGER), ColumnType.varchar(100), ColumnType.character(2), ColumnType.of(Kind.BOOLEAN),
                ColumnType.of(Kind.JSON), ColumnType.of(Kind.TEXT), ColumnType.timestamp(0));
        assertThat(query.columns().get(4).origin()).contains(new ResultColumn.ColumnOrigin("shop", "customers", "profile", 6));
    }

    @Test
    void derivedColumnsHavePostgresNamesAndTypes()
    {
        PreparedQuery query = prepare("select count(*), count(*) as N, sum(quantity), sum(amount), avg(quantity), max(name), "
                + "upper(name), quantity + 1, 'x', amount::int, 1::int from orders join customers on customers.id = orders.customer_id "
                + "group by upper(name), quantity + 1, amount");
        assertThat(query.columns()).extracting(ResultColumn::name)
                .containsExactly("count", "n", "sum", "sum", "avg", "max", "upper", "?column?", "?column?", "amount", "int4");
        // max(varchar) and upper(varchar) are text in PostgreSQL (TestPostgresFidelity compares with a real one)
        assertThat(query.columns()).extracting(column -> column.type().kind()).containsExactly(
                Kind.BIGINT, Kind.BIGINT, Kind.BIGINT, Kind.DECIMAL, Kind.DECIMAL, Kind.TEXT,
                Kind.TEXT, Kind.INTEGER, Kind.TEXT, Kind.INTEGER, Kind.INTEGER);
        assertThat(query.columns().get(0).origin()).isEmpty();
        assertThat(query.columns().get(5).origin()).isEmpty();
    }

    @Test
    void valuesAreConvertedToTheResultColumnsJavaClass()
    {
        // MySQL returns DECIMAL for SUM of integers and for AVG, BIGINT for COUNT, 1/0 for booleans
        PreparedQuery query = prepare("select count(*), sum(quantity), avg(quantity), quantity > 1 from orders group by quantity");
        // the source computes the group's count and sum (avg is sum / count, divided in the gateway with PostgreSQL's scale)
        assertThat(query.explain()).contains("SELECT `quantity`, COUNT(*), SUM(`quantity`) FROM `shop`.`orders` GROUP BY `quantity`");
        shop.answer(List.of(row(2, 3L, new BigDecimal("6")), row(1L, 1, 1L)));
        List<List<Object>> rows = readAll(query.execute(List.of(), context()));
        assertThat(rows).containsExactly(
                row(3L, 6L, new BigDecimal("2"), true),
                row(1L, 1L, new BigDecimal("1"), false));
    }

    @Test
    void filtersJoinsAndAggregates()
    {
        PreparedQuery query = prepare("select c.name, sum(o.amount) as total from customers c join orders o on o.customer_id = c.id "
                + "where c.region = 'JP' and o.quantity >= 1 group by c.name having sum(o.amount) > 10");
        assertThat(sourceSql(query)).isEqualTo(("SELECT `customers`.`name`, SUM(`orders`.`amount`) AS `total` FROM `shop`.`customers` "
                + "INNER JOIN `shop`.`orders` ON `customers`.`id` = `orders`.`customer_id` "
                + "WHERE `customers`.`region` = 'JP' AND `orders`.`quantity` >= 1 GROUP BY `customers`.`name` HAVING `total` > 10.00")
                .replace("SELECT `customers`.`name`", "SELECT * FROM (SELECT `customers`.`name`")
                // text compares and groups by its bytes as well (PostgreSQL's C collation); char(n) without trailing spaces
                .replace("'JP' AND", "'JP' AND CAST(RTRIM(`customers`.`region`) AS BINARY) = CAST(RTRIM('JP') AS BINARY) AND")
                .replace(" HAVING `total` > 10.00", ", CAST(`customers`.`name` AS BINARY)) AS `t3` WHERE `t3`.`total` > 10.00"));
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("name", "total");
    }

    @Test
    void orderByLimitOffsetKeepPostgresNullOrder()
    {
        assertThat(sourceSql(prepare("select name from customers order by email limit 10 offset 5")))
                .isEqualTo("SELECT `name`, `email`, CAST(`email` AS BINARY) AS `sekisho_bytes_2` FROM `shop`.`customers` "
                        + "ORDER BY CAST(`email` AS BINARY) IS NULL, 3 LIMIT 10 OFFSET 5");
        // text sorts by its bytes (PostgreSQL's C collation): a trailing column the gateway does not read
        assertThat(sourceSql(prepare("select name from customers order by email desc")))
                .isEqualTo("SELECT `name`, `email`, CAST(`email` AS BINARY) AS `sekisho_bytes_2` FROM `shop`.`customers` "
                        + "ORDER BY CAST(`email` AS BINARY) IS NULL DESC, 3 DESC");
        assertThat(sourceSql(prepare("select name from customers order by email desc nulls last")))
                .isEqualTo("SELECT `name`, `email`, CAST(`email` AS BINARY) AS `sekisho_bytes_2` FROM `shop`.`customers` ORDER BY 3 DESC");
        assertThat(sourceSql(prepare("select name from customers order by email nulls first")))
                .isEqualTo("SELECT `name`, `email`, CAST(`email` AS BINARY) AS `sekisho_bytes_2` FROM `shop`.`customers` ORDER BY 3");
        assertThat(sourceSql(prepare("select * from customers offset 2")))
                .isEqualTo("SELECT * FROM `shop`.`customers` LIMIT 18446744073709551615 OFFSET 2");
    }

    @Test
    void orderByColumnOutsideTheSelectListIsReadButNotReturned()
    {
        PreparedQuery query = prepare("select name from customers order by email");
        assertThat(query.columns()).extracting(ResultColumn::name).containsExactly("name");
        shop.answer(List.of(row("Alice", "a@x"), row("Bob", null)));
        ResultStream stream = query.execute(List.of(), context());
        assertThat(stream.columns()).hasSize(1);
        assertThat(readAll(stream)).containsExactly(row("Alice"), row("Bob"));
    }

    @Test
    void parametersAreInferredAndRepeatedParametersMapped()
    {
        PreparedQuery query = prepare("select name from customers where id = $2 and (email = $1 or name = $1) and id < $2 + 10");
        assertThat(query.parameterTypes()).containsExactly(ColumnType.varchar(255), ColumnType.of(Kind.INTEGER));
        // a text equality keeps the collation's comparison (index use) and adds the exact one (PostgreSQL's C collation)
        assertThat(sourceSql(query)).isEqualTo("SELECT `name` FROM `shop`.`customers` WHERE `id` = ? AND (`email` = ? AND CAST(`email` AS BINARY) = CAST(? AS BINARY) "
                + "OR `name` = ? AND CAST(`name` AS BINARY) = CAST(? AS BINARY)) AND `id` < ? + 10");
        BackendQuery sent = run(query, "a@x", 7);
        assertThat(sent.parameters()).containsExactly(7, "a@x", "a@x", "a@x", "a@x", 7);
        assertThat(sent.parameterTypes()).containsExactly(ColumnType.of(Kind.INTEGER), ColumnType.varchar(255), ColumnType.varchar(255), ColumnType.varchar(255),
                ColumnType.varchar(255), ColumnType.of(Kind.INTEGER));
    }

    @Test
    void declaredParameterTypesWin()
    {
        PreparedQuery query = planner.prepare("select name from customers where id = $1", List.of(ColumnType.of(Kind.BIGINT)), SHOP_PATH);
        assertThat(query.parameterTypes()).containsExactly(ColumnType.of(Kind.BIGINT));
        // the int column is compared as it is, so that MySQL can use its index
        assertThat(sourceSql(query)).isEqualTo("SELECT `name` FROM `shop`.`customers` WHERE `id` = ?");
        PreparedQuery selected = planner.prepare("select $1", List.of(ColumnType.of(Kind.TEXT)), SHOP_PATH);
        assertThat(selected.parameterTypes()).containsExactly(ColumnType.of(Kind.TEXT));
        assertThat(selected.columns()).extracting(ResultColumn::type).containsExactly(ColumnType.of(Kind.TEXT));
    }

    @Test
    void castParametersTakeTheCastType()
    {
        PreparedQuery query = prepare("select name from customers where id = $1::int and name = $2::text");
        assertThat(query.parameterTypes()).containsExactly(ColumnType.of(Kind.INTEGER), ColumnType.of(Kind.TEXT));
    }

    @Test
    void wrongParameterCountIsRefused()
    {
        PreparedQuery query = prepare("select name from customers where id = $1");
        assertThatThrownBy(() -> query.execute(List.of(), context()))
                .hasMessage("bind message supplies 0 parameters, but prepared statement requires 1");
    }

    @Test
    void postgresCastsKeepPostgresPrecedence()
    {
        // numeric without a modifier keeps an exact value's scale (an integer's is 0)
        assertThat(sourceSql(prepare("select (7 / 2)::numeric, id::text, created_at::date from customers where created_at > '2024-01-01'::date")))
                .isEqualTo("SELECT CAST(7 DIV 2 AS DECIMAL(65, 0)), CAST(`id` AS CHAR), CAST(`created_at` AS DATE) FROM `shop`.`customers` "
                        + "WHERE `created_at` > CAST(CAST('2024-01-01' AS DATE) AS DATETIME(0))");
        // 7 / 2::numeric is a numeric quotient: PostgreSQL's scale (3.5000000000000000), computed in the gateway
        PreparedQuery quotient = prepare("select 7 / 2::numeric, id from customers where created_at > '2024-01-01'::date");
        assertThat(quotient.isFullyPushedDown()).isFalse();
        assertThat(quotient.explain()).contains("numeric division");
    }

    @Test
    void integerDivisionTruncatesLikePostgres()
    {
        assertThat(sourceSql(prepare("select quantity / 2 from orders"))).isEqualTo("SELECT `quantity` DIV 2 FROM `shop`.`orders`");
        // a numeric quotient has PostgreSQL's scale (at least 16 significant digits), which MySQL cannot give: the gateway divides
        PreparedQuery numeric = prepare("select amount / 2, quantity / 2.0 from orders");
        assertThat(numeric.isFullyPushedDown()).isFalse();
        assertThat(numeric.explain()).contains("numeric division");
    }

    @Test
    void concatenationAndIlike()
    {
        assertThat(sourceSql(prepare("select name || ' <' || email || '>' from customers where name ilike 'a%' and email not ilike $1")))
                .isEqualTo("SELECT CONCAT(CONCAT(CONCAT(`name`, ' <'), `email`), '>') FROM `shop`.`customers` "
                        + "WHERE (LOWER(`name`) LIKE LOWER('a%')) AND (LOWER(`email`) NOT LIKE LOWER(?))");
    }

    @Test
    void stringLiteralsAreEscapedForMysql()
    {
        assertThat(sourceSql(prepare("select name from customers where bio = 'a\\b''c' or name = '東京'")))
                .isEqualTo("SELECT `name` FROM `shop`.`customers` WHERE `bio` = 'a\\\\b''c' AND CAST(`bio` AS BINARY) = CAST('a\\\\b''c' AS BINARY) "
                        + "OR `name` = '東京' AND CAST(`name` AS BINARY) = CAST('東京' AS BINARY)");
    }

    @Test
    void booleansAndLengthAndSubqueries()
    {
        assertThat(sourceSql(prepare("select length(name) from customers where active and not (id > 2) "
                + "and id in (select customer_id from orders where quantity > 1)")))
                .isEqualTo("SELECT CHAR_LENGTH(`name`) FROM `shop`.`customers` WHERE `active` AND NOT `id` > 2 "
                        + "AND `id` IN (SELECT `customer_id` FROM `shop`.`orders` WHERE `quantity` > 1)");
    }

    @Test
    void searchPathResolvesUnqualifiedTables()
    {
        assertThat(sourceSql(planner.prepare("select id from customers", List.of(), SHOP_PATH)))
                .isEqualTo("SELECT `id` FROM `shop`.`customers`");
        assertThatThrownBy(() -> planner.prepare("select id from customers", List.of(), QUALIFIED))
                .hasMessage("relation \"customers\" does not exist");
    }

    @Test
    void quotedIdentifiersKeepCase()
    {
        assertThat(sourceSql(prepare("select \"name\" from \"shop\".\"customers\""))).isEqualTo("SELECT `name` FROM `shop`.`customers`");
        assertThatThrownBy(() -> prepare("select \"Name\" from customers")).hasMessage("column \"Name\" does not exist");
    }

    @Test
    void queryWithoutTablesGoesToTheOnlySource()
    {
        PreparedQuery query = prepare("select 1");
        assertThat(sourceSql(query)).isEqualTo("SELECT 1");
        assertThat(query.columns()).containsExactly(ResultColumn.of("?column?", ColumnType.of(Kind.INTEGER)));
    }

    @Test
    void planCacheAvoidsReplanning()
    {
        String sql = "select * from customers where id = $1";
        PreparedQuery first = prepare(sql);
        long plans = planner.planCount();
        int lookups = shop.tableLookups();
        PreparedQuery second = prepare(sql);
        assertThat(second).isSameAs(first);
        assertThat(planner.planCount()).isEqualTo(plans);
        assertThat(shop.tableLookups()).isEqualTo(lookups);

        // another search path or declared types are other plans
        planner.prepare("select * from shop.customers where id = $1", List.of(), QUALIFIED);
        planner.prepare(sql, List.of(ColumnType.of(Kind.BIGINT)), SHOP_PATH);
        assertThat(planner.planCount()).isEqualTo(plans + 2);

        planner.refresh();
        assertThat(shop.refreshes()).isEqualTo(1);
        assertThat(prepare(sql)).isNotSameAs(first);
        assertThat(planner.planCount()).isEqualTo(plans + 3);
    }

    @Test
    void tablesAreLoadedLazilyAndCached()
    {
        assertThat(shop.tableLookups()).isZero();
        prepare("select id from customers");
        int lookups = shop.tableLookups();
        assertThat(lookups).isPositive();
        prepare("select name from customers");
        assertThat(shop.tableLookups()).isEqualTo(lookups);
    }

    @Test
    void unsupportedFunctionsRunLocally()
    {
        PreparedQuery query = prepare("select name from customers where name similar to 'A%'");
        assertThat(query.isFullyPushedDown()).isFalse();
        assertThat(readAll(query.execute(List.of(), context()))).containsExactly(row("Alice"));
    }
}
