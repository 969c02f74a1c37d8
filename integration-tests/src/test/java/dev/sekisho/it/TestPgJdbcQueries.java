package dev.sekisho.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static dev.sekisho.it.QueryAssertions.assertSameRows;
import static dev.sekisho.it.QueryAssertions.labels;
import static dev.sekisho.it.QueryAssertions.read;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries through the gateway with real pgjdbc, and the same queries through Avatica's remote
 * driver ({@link FrontDoor}), each compared with the same question asked of MariaDB directly over
 * Connector/J. Where PostgreSQL and MySQL spell a query differently, both spellings are given.
 */
@ParameterizedClass
@EnumSource(FrontDoor.class)
class TestPgJdbcQueries
{
    /** The door this run of the class connects through (its connections are opened once per run, below). */
    @Parameter
    FrontDoor frontDoor;

    private static TestingGateway gateway;
    private static FrontDoor door;
    private static Connection pg;
    private static Connection direct;

    @BeforeParameterizedClassInvocation
    static void connect(FrontDoor frontDoor)
            throws SQLException
    {
        gateway = TestingGateway.shared();
        door = frontDoor;
        pg = door.connect(gateway.gateway(), "alice");
        direct = gateway.connectDirect("shop");
    }

    @AfterParameterizedClassInvocation
    static void disconnect()
            throws SQLException
    {
        pg.close();
        direct.close();
    }

    @Test
    void pointLookup()
            throws SQLException
    {
        assertSame("select id, name, email, phone, region from customers where id = 42");
        assertSame("select * from shop.customers where id = 7");
        assertSame("select * from orders where id = 1234");
    }

    @Test
    void pointLookupPlainAndPreparedAgree()
            throws SQLException
    {
        for (int id : new int[] {1, 17, 256, 999}) {
            List<List<Object>> expected = rows(direct, "select id, name, email from customers where id = " + id);
            assertSameRows(rows(pg, "select id, name, email from customers where id = " + id), expected);
            assertSameRows(rows(pg, "select id, name, email from customers where id = ?", id), expected);
        }
    }

    @Test
    void preparedStatementReusedPastPrepareThreshold()
            throws SQLException
    {
        // pgjdbc switches to a named server-side statement (and binary transfer) after 5 executions
        try (PreparedStatement statement = pg.prepareStatement("select c.id, c.email, c.created_at, o.amount from orders o join customers c on c.id = o.customer_id where o.id = ?")) {
            for (int id = 100; id < 120; id++) {
                statement.setInt(1, id);
                try (ResultSet resultSet = statement.executeQuery()) {
                    assertSameRows(read(resultSet),
                            rows(direct, "select c.id, c.email, c.created_at, o.amount from orders o join customers c on c.id = o.customer_id where o.id = " + id));
                }
            }
        }
    }

    @Test
    void filters()
            throws SQLException
    {
        assertSame("select id, name from customers where region = 'JP' and id < 200 order by id");
        assertSame("select id from customers where id between 10 and 20 or id in (500, 501, 502) order by id");
        assertSame("select id, email from customers where email like '%@example.%' and id <= 50 order by id");
        assertSame("select id, status, amount from orders where amount > 500 and status <> 'cancelled' order by id limit 50");
        assertSame("select id from customers where not (id > 5) order by id");
        assertPaired("select id, name from customers where name ilike 'a%' order by id",
                "select id, name from customers where lower(name) like 'a%' order by id");
    }

    @Test
    void joins()
            throws SQLException
    {
        assertSame("""
                select c.id, c.name, o.id as order_id, o.amount
                from customers c join orders o on o.customer_id = c.id
                where c.id <= 30 order by o.id""");
        assertSame("""
                select c.id, count(o.id) as orders
                from customers c left join orders o on o.customer_id = c.id
                group by c.id order by c.id limit 40""");
        assertSame("""
                select c.region, p.name, sum(i.quantity) as units
                from customers c
                join orders o on o.customer_id = c.id
                join order_items i on i.order_id = o.id
                join products p on p.id = i.product_id
                where c.region = 'JP'
                group by c.region, p.name
                order by units desc, p.name
                limit 20""");
    }

    @Test
    void aggregates()
            throws SQLException
    {
        assertSame("select count(*) from customers");
        assertSame("select region, count(*) as n, min(id) as first, max(id) as last from customers group by region order by region");
        assertSame("select status, sum(amount) as total, count(distinct customer_id) as buyers from orders group by status order by status");
        assertSame("select customer_id, count(*) as n from orders group by customer_id having count(*) >= 12 order by customer_id");
        // PostgreSQL: avg over integers is numeric; compare rounded values
        assertPaired("select region, round(avg(id), 4) as mean from customers group by region order by region",
                "select region, round(avg(id), 4) as mean from customers group by region order by region");
    }

    @Test
    void aggregateResultTypesArePostgresTypes()
            throws SQLException
    {
        try (Statement statement = pg.createStatement();
                ResultSet resultSet = statement.executeQuery("select count(*), sum(id), avg(id), max(amount) from orders")) {
            assertThat(labels(resultSet.getMetaData())).containsExactly("count", "sum", "avg", "max");
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("int8");
            assertThat(resultSet.getMetaData().getColumnTypeName(2)).isEqualTo("int8");
            assertThat(resultSet.getMetaData().getColumnTypeName(3)).isEqualTo("numeric");
            assertThat(resultSet.getMetaData().getColumnTypeName(4)).isEqualTo("numeric");
            assertThat(resultSet.next()).isTrue();
            List<Object> gatewayRow = List.of(resultSet.getLong(1), resultSet.getLong(2), resultSet.getBigDecimal(4));
            List<List<Object>> directRow = rows(direct, "select count(*), sum(id), max(amount) from orders");
            assertThat(QueryAssertions.normalize(gatewayRow.get(0))).isEqualTo(directRow.get(0).get(0));
            assertThat(QueryAssertions.normalize(gatewayRow.get(1))).isEqualTo(directRow.get(0).get(1));
            assertThat(QueryAssertions.normalize(gatewayRow.get(2))).isEqualTo(directRow.get(0).get(2));
        }
    }

    @Test
    void orderByLimitOffset()
            throws SQLException
    {
        assertSame("select id, amount from orders order by amount desc, id limit 10");
        assertSame("select id from customers order by id limit 5 offset 100");
        assertPaired("select id from customers order by id desc offset 990",
                "select id from customers order by id desc limit 18446744073709551615 offset 990");
    }

    @Test
    void nulls()
            throws SQLException
    {
        assertSame("select id, note from orders where note is null and id < 100 order by id");
        assertSame("select id, note from orders where note is not null and id < 300 order by id");
        assertSame("select count(note), count(*) from orders");
        // PostgreSQL puts NULLs last in ascending order and first in descending order; MySQL does the opposite
        assertPaired("select note, id from orders where id < 60 order by note, id",
                "select note, id from orders where id < 60 order by note is null, note, id");
        assertPaired("select note, id from orders where id < 60 order by note desc, id",
                "select note, id from orders where id < 60 order by note is not null, note desc, id");
        assertPaired("select coalesce(note, 'none') as note from orders where id < 20 order by id",
                "select coalesce(note, 'none') as note from orders where id < 20 order by id");
    }

    @Test
    void postgresExpressions()
            throws SQLException
    {
        assertPaired("select id::text || '-' || region as tag from customers where id < 10 order by id",
                "select concat(cast(id as char), '-', region) as tag from customers where id < 10 order by id");
        assertPaired("select id / 7 as q, id % 7 as r from customers where id < 30 order by id",
                "select id div 7 as q, id % 7 as r from customers where id < 30 order by id");
        assertPaired("select cast(amount as integer) as whole from orders where id < 10 order by id",
                "select cast(round(amount) as signed) as whole from orders where id < 10 order by id");
        assertPaired("select upper(name), length(email) from customers where id < 10 order by id",
                "select upper(name), char_length(email) from customers where id < 10 order by id");
        assertPaired("select case when amount > 500 then 'big' else 'small' end as size, count(*) from orders group by 1 order by 1",
                "select case when amount > 500 then 'big' else 'small' end as size, count(*) from orders group by 1 order by 1");
    }

    @Test
    void subqueriesAndSetOperations()
            throws SQLException
    {
        assertSame("select id from customers where id in (select customer_id from orders where amount > 900) order by id limit 30");
        assertSame("select id from customers c where exists (select 1 from orders o where o.customer_id = c.id and o.status = 'cancelled') order by id limit 30");
        assertSame("select id from customers where id < 5 union select id from customers where id between 3 and 8 order by 1");
        assertSame("with big as (select customer_id, sum(amount) as total from orders group by customer_id) select customer_id, total from big where total > 5000 order by customer_id");
    }

    @Test
    void columnLabelsFoldToLowerCaseUnlessQuoted()
            throws SQLException
    {
        try (Statement statement = pg.createStatement();
                ResultSet resultSet = statement.executeQuery("select id as ID, name as \"Name\", count(*) over () as Total, 1 + 1 from customers where id = 1")) {
            assertThat(labels(resultSet.getMetaData())).containsExactly("id", "Name", "total", "?column?");
        }
    }

    @Test
    void emptyResultStillDescribesColumns()
            throws SQLException
    {
        try (Statement statement = pg.createStatement();
                ResultSet resultSet = statement.executeQuery("select id, email, created_at from customers where 1 = 0")) {
            assertThat(labels(resultSet.getMetaData())).containsExactly("id", "email", "created_at");
            assertThat(resultSet.getMetaData().getColumnTypeName(3)).isEqualTo("timestamp");
            assertThat(resultSet.next()).isFalse();
        }
    }

    @Test
    void fetchSizeUsesPortals()
            throws SQLException
    {
        List<List<Object>> expected = rows(direct, "select id, customer_id, amount from orders order by id");
        try (Connection connection = door.connect(gateway.gateway(), "bob")) {
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement("select id, customer_id, amount from orders order by id")) {
                statement.setFetchSize(100);
                try (ResultSet resultSet = statement.executeQuery()) {
                    List<List<Object>> actual = new ArrayList<>(read(resultSet));
                    assertSameRows(actual, expected);
                }
            }
            connection.commit();
        }
    }

    @Test
    void parameters()
            throws SQLException
    {
        assertSameRows(rows(pg, "select id, name from customers where region = ? and id < ? order by id", "JP", 300),
                rows(direct, "select id, name from customers where region = 'JP' and id < 300 order by id"));
        assertSameRows(rows(pg, "select id, amount from orders where amount > ? order by id limit 20", new BigDecimal("750.50")),
                rows(direct, "select id, amount from orders where amount > 750.50 order by id limit 20"));
        assertSameRows(rows(pg, "select id from customers where id = ? or id = ? order by id", 3, 4),
                rows(direct, "select id from customers where id in (3, 4) order by id"));
    }

    @Test
    void calendarOfDaysJoinedToASource()
            throws SQLException
    {
        // a dashboard's day spine: generate_series runs in the gateway, orders come from MariaDB; days past the data count 0
        assertPaired("""
                select count(o.id) from generate_series('2024-12-28'::date, '2025-01-03'::date, interval '1 day') d
                left join orders o on o.ordered_at >= d and o.ordered_at < d + interval '1 day'
                group by d order by d""", """
                select count(o.id) from seq_0_to_6 s
                left join orders o on o.ordered_at >= date '2024-12-28' + interval s.seq day and o.ordered_at < date '2024-12-28' + interval (s.seq + 1) day
                group by s.seq order by s.seq""");
        assertThat(((Number) rows(pg, "select count(*) from generate_series('2024-12-28'::date, '2025-01-03'::date, '1 day') d").get(0).get(0)).longValue())
                .isEqualTo(7);
    }

    private static void assertSame(String sql)
            throws SQLException
    {
        assertPaired(sql, sql);
    }

    private static void assertPaired(String gatewaySql, String mariaDbSql)
            throws SQLException
    {
        assertSameRows(rows(pg, gatewaySql), rows(direct, mariaDbSql));
    }
}
