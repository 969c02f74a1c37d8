package dev.sekisho.planner.catalog;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCatalog
{
    @Test
    void aSourceThatDoesNotAnswerLeavesTheOthersServing()
    {
        Connector down = new Connector()
        {
            @Override
            public String name()
            {
                return "down";
            }

            @Override
            public SqlDialectKind dialect()
            {
                return SqlDialectKind.MYSQL;
            }

            @Override
            public ConnectorMetadata metadata()
            {
                return new ConnectorMetadata()
                {
                    @Override
                    public List<String> listSchemas()
                    {
                        throw new QueryException(SqlStates.CONNECTION_FAILURE, "no read server of source 'down' answers");
                    }

                    @Override
                    public List<String> listTables(String schema)
                    {
                        return List.of();
                    }

                    @Override
                    public Optional<TableMetadata> getTable(String schema, String table)
                    {
                        return Optional.empty();
                    }
                };
            }

            @Override
            public ResultStream execute(BackendQuery query, ExecutionContext context)
            {
                throw new QueryException(SqlStates.CONNECTION_FAILURE, "no read server of source 'down' answers");
            }
        };
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(down, TestingShop.mysqlShop()), PlannerOptions.defaults());
        SessionContext session = new SessionContext("alice", List.of("shop"));
        PreparedQuery query = planner.prepare("select name from shop.customers where id = 1", List.of(), session);
        assertThat(query.isFullyPushedDown()).isTrue();
        assertThatThrownBy(() -> planner.prepare("select * from elsewhere.t", List.of(), session))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("42P01"));
    }
}
