package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.sekisho.planner.testing.TestingShop.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A statement whose source statement the caller computed and checked already (a result-cache hit
 * answered on the event loop) sends that very statement, not a new one; a checked statement that
 * is not the one the plan would send (other values) is ignored. Rows of the checked statement that
 * arrived already (read on a front door's I/O thread) are read instead of sending it; rows that
 * arrived for another statement fail the run without sending anything, since its thread must not
 * wait for a source.
 */
class TestCheckedFragment
{
    private static final SessionContext SESSION = new SessionContext("alice", List.of());

    private TestingConnector crm;
    private CalciteQueryPlanner planner;

    @BeforeEach
    void setUp()
    {
        crm = new TestingConnector("crm", SqlDialectKind.MYSQL);
        TestingShop.addCustomers(crm, "crm");
        planner = new CalciteQueryPlanner(List.of(crm), PlannerOptions.defaults());
    }

    @Test
    void theCheckedStatementIsSentAsItIs()
    {
        PreparedQuery query = planner.prepare("select name from crm.customers where id = $1", List.of(), SESSION);
        BackendQuery checked = query.fragments(List.of(1)).get(0);
        readAll(query.execute(List.of(1), checking(Optional.of(checked))));
        assertThat(crm.lastQuery()).isSameAs(checked);
    }

    @Test
    void aCheckedStatementOfOtherValuesIsNotSent()
    {
        PreparedQuery query = planner.prepare("select name from crm.customers where id = $1", List.of(), SESSION);
        BackendQuery checked = query.fragments(List.of(1)).get(0);
        readAll(query.execute(List.of(2), checking(Optional.of(checked))));
        assertThat(crm.lastQuery()).isNotSameAs(checked);
        assertThat(crm.lastQuery().parameters()).containsExactly(2);
        assertThat(crm.lastQuery().sql()).isEqualTo(checked.sql());
    }

    @Test
    void aCheckedStatementOfAnotherPlanIsNotSent()
    {
        PreparedQuery query = planner.prepare("select name from crm.customers where id = $1", List.of(), SESSION);
        PreparedQuery other = planner.prepare("select id from crm.customers where id = $1", List.of(), SESSION);
        BackendQuery checked = other.fragments(List.of(1)).get(0);
        readAll(query.execute(List.of(1), checking(Optional.of(checked))));
        assertThat(crm.lastQuery()).isNotSameAs(checked).isEqualTo(query.fragments(List.of(1)).get(0));
    }

    @Test
    void arrivedRowsAreReadInsteadOfSendingTheStatement()
    {
        PreparedQuery query = planner.prepare("select name from crm.customers where id = $1", List.of(), SESSION);
        BackendQuery checked = query.fragments(List.of(1)).get(0);
        int sent = crm.queries().size();
        TestingConnector.TestingResultStream arrived = new TestingConnector.TestingResultStream(
                List.of(TestingConnector.column("name", ColumnType.varchar(100))), List.of(TestingShop.row("Arrived")));
        assertThat(readAll(query.execute(List.of(1), checking(Optional.of(checked), Optional.of(arrived))))).containsExactly(List.of("Arrived"));
        assertThat(crm.queries()).hasSize(sent);
    }

    @Test
    void rowsArrivedForAnotherStatementFailTheRunWithoutSendingIt()
    {
        PreparedQuery query = planner.prepare("select name from crm.customers where id = $1", List.of(), SESSION);
        BackendQuery checked = query.fragments(List.of(1)).get(0);
        int sent = crm.queries().size();
        TestingConnector.TestingResultStream arrived = new TestingConnector.TestingResultStream(
                List.of(TestingConnector.column("name", ColumnType.varchar(100))), List.of(TestingShop.row("Arrived")));
        assertThatThrownBy(() -> query.execute(List.of(2), checking(Optional.of(checked), Optional.of(arrived))))
                .isInstanceOf(IllegalStateException.class);
        assertThat(crm.queries()).hasSize(sent);
        assertThatThrownBy(arrived::next).as("the arrived rows were closed").isInstanceOf(IllegalStateException.class);
    }

    private static ExecutionContext checking(Optional<BackendQuery> checked)
    {
        return checking(checked, Optional.empty());
    }

    private static ExecutionContext checking(Optional<BackendQuery> checked, Optional<ResultStream> arrivedRows)
    {
        ExecutionContext context = TestingShop.context();
        return new ExecutionContext()
        {
            @Override
            public String user()
            {
                return context.user();
            }

            @Override
            public Registration onCancel(Runnable action)
            {
                return context.onCancel(action);
            }

            @Override
            public Optional<BackendQuery> checkedFragment()
            {
                return checked;
            }

            @Override
            public Optional<ResultStream> arrivedRows()
            {
                return arrivedRows;
            }

            @Override
            public boolean isCancelled()
            {
                return context.isCancelled();
            }

            @Override
            public Optional<String> cancelReason()
            {
                return context.cancelReason();
            }
        };
    }
}
