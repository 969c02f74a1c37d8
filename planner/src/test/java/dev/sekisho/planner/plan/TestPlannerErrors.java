package dev.sekisho.planner.plan;

import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.testing.TestingShop;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Calcite's failures reach clients as PostgreSQL errors. */
class TestPlannerErrors
{
    private CalciteQueryPlanner planner;

    @BeforeEach
    void setUp()
    {
        planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults());
    }

    private QueryException failure(String sql)
    {
        ThrowingCallable prepare = () -> planner.prepare(sql, List.of(), new SessionContext("alice", List.of("shop")));
        QueryException exception = catchThrowableOfType(QueryException.class, prepare);
        assertThat(exception).as(sql).isNotNull();
        assertThat(exception.getMessage()).doesNotContain("at org.apache").doesNotContain("Exception");
        return exception;
    }

    @Test
    void syntaxError()
    {
        QueryException e = failure("select id,, name from customers");
        assertThat(e.sqlState()).isEqualTo("42601");
        assertThat(e.getMessage()).isEqualTo("syntax error at or near \",\"");
        assertThat(e.position()).isBetween(10, 11);

        QueryException end = failure("select * from");
        assertThat(end.sqlState()).isEqualTo("42601");
        assertThat(end.getMessage()).isEqualTo("syntax error at end of input");
    }

    @Test
    void positionsCountTheClientsText()
    {
        // $10 is three characters in the client's text but one in Calcite's
        QueryException e = failure("select $10::int, emial from customers");
        assertThat(e.sqlState()).isEqualTo("42703");
        assertThat(e.position()).isEqualTo(18);
    }

    @Test
    void wordsComeFromWhatWasParsedWhenTheTextWasNormalised()
    {
        // E'...' with an escaped newline and OPERATOR(pg_catalog.~) change the text Calcite parses
        String sql = "select E'a\\nb' as x, c.name from shop.custmers c where c.name OPERATOR(pg_catalog.~) '^a'";
        QueryException e = failure(sql);
        assertThat(e.sqlState()).isEqualTo("42P01");
        assertThat(e.getMessage()).isEqualTo("relation \"shop.custmers\" does not exist");
        assertThat(e.position()).isEqualTo(sql.indexOf("shop.custmers") + 1);
    }

    @Test
    void positionPastTheSelectList()
    {
        // Tableau's capability probe: PostgreSQL answers 42P10 and Tableau carries on
        QueryException group = failure("SELECT \"SUBCOL\" AS \"COL\" FROM (SELECT 1 AS \"SUBCOL\") \"SUBQUERY\" GROUP BY 2");
        assertThat(group.sqlState()).isEqualTo("42P10");
        assertThat(group.getMessage()).isEqualTo("GROUP BY position 2 is not in select list");
        QueryException order = failure("select id from customers group by 1 order by 3");
        assertThat(order.sqlState()).isEqualTo("42P10");
        assertThat(order.getMessage()).isEqualTo("ORDER BY position 3 is not in select list");
    }

    @Test
    void unknownTable()
    {
        QueryException e = failure("select * from shop.custmers");
        assertThat(e.sqlState()).isEqualTo("42P01");
        assertThat(e.getMessage()).isEqualTo("relation \"shop.custmers\" does not exist");
        assertThat(e.hint()).contains("shop.customers");
        assertThat(e.position()).isEqualTo(15);

        QueryException unrelated = failure("select * from shop.xyzzy_things");
        assertThat(unrelated.hint()).contains("customers, orders");

        QueryException schema = failure("select * from nosuch.customers");
        assertThat(schema.sqlState()).isEqualTo("42P01");
        assertThat(schema.hint()).contains("Available schemas: shop");
    }

    @Test
    void unknownColumn()
    {
        QueryException e = failure("select emial from customers");
        assertThat(e.sqlState()).isEqualTo("42703");
        assertThat(e.getMessage()).isEqualTo("column \"emial\" does not exist");
        assertThat(e.position()).isEqualTo(8);
        assertThat(failure("select c.emial from customers c").getMessage()).isEqualTo("column c.emial does not exist");
    }

    @Test
    void unknownFunctionAndWrongArguments()
    {
        QueryException e = failure("select foo(1) from customers");
        assertThat(e.sqlState()).isEqualTo("42883");
        assertThat(e.getMessage()).startsWith("function foo(");
        assertThat(failure("select upper(1, 2) from customers").sqlState()).isEqualTo("42883");
        QueryException operator = failure("select 1 + true");
        assertThat(operator.sqlState()).isEqualTo("42883");
        assertThat(operator.getMessage()).isEqualTo("operator does not exist: integer + boolean");
    }

    @Test
    void ambiguousColumn()
    {
        QueryException e = failure("select id from customers c join orders o on o.customer_id = c.id");
        assertThat(e.sqlState()).isEqualTo("42702");
        assertThat(e.getMessage()).isEqualTo("column reference \"id\" is ambiguous");
    }

    @Test
    void typeMismatch()
    {
        QueryException e = failure("select * from customers where id");
        assertThat(e.sqlState()).isEqualTo("42804");
        assertThat(e.getMessage()).isEqualTo("argument of WHERE must be type boolean");
    }

    @Test
    void groupingError()
    {
        QueryException e = failure("select name, count(*) from customers");
        assertThat(e.sqlState()).isEqualTo("42803");
        assertThat(e.getMessage()).contains("must appear in the GROUP BY clause");
    }

    @Test
    void writesAreRefused()
    {
        for (String sql : List.of("insert into customers values (1)", "update customers set name = 'x'", "delete from customers",
                "/* note */ DROP TABLE customers", "create table t (a int)", "truncate customers")) {
            QueryException e = failure(sql);
            assertThat(e.sqlState()).as(sql).isEqualTo("25006");
            assertThat(e.getMessage()).as(sql).startsWith("Sekisho is read-only: ");
        }
    }

    @Test
    void parameterWithoutType()
    {
        QueryException e = failure("select $1 from customers");
        assertThat(e.sqlState()).isEqualTo("42P18");
        assertThat(e.getMessage()).isEqualTo("could not determine data type of parameter $1");
        QueryException unused = failure("select name from customers where id = $2");
        assertThat(unused.sqlState()).isEqualTo("42P18");
        assertThat(unused.getMessage()).isEqualTo("could not determine data type of parameter $1");
    }

    @Test
    void questionMarkIsNotAParameter()
    {
        QueryException e = failure("select name from customers where id = ?");
        assertThat(e.sqlState()).isEqualTo("42601");
    }

    @Test
    void otherStatementsAreNotSupported()
    {
        QueryException e = failure("explain plan for select 1");
        assertThat(e.sqlState()).isIn("0A000", "42601");
    }
}
