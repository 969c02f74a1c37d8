package dev.sekisho.gateway.metrics;

import dev.sekisho.gateway.execution.SourceAnswerCounts;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SourceStatement;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.sql.SqlStatement;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Each statement's duration is recorded under the source of its own plan, however the plans of finished statements alternate. */
class TestGatewayMetrics
{
    private static final Principal ALICE = new Principal("alice", Set.of("analysts"), Map.of());

    @Test
    void durationsAreCountedBySourceOfEachPlan()
    {
        GatewayMetrics metrics = new GatewayMetrics(List.of(), Optional.empty());
        StatementInfo crm = statement(Optional.of(new OneSource("crm")), Instant.now().minusMillis(300));
        StatementInfo sales = statement(Optional.of(new OneSource("sales")), Instant.now());
        StatementInfo gateway = statement(Optional.empty(), Instant.now());
        for (StatementInfo statement : List.of(crm, crm, sales, crm, gateway, sales, gateway, crm)) {
            metrics.finished(statement, 1, Optional.empty());
        }
        String scraped = metrics.scrape();
        assertThat(scraped).contains("sekisho_statement_duration_seconds_count{source=\"crm\"} 4")
                .contains("sekisho_statement_duration_seconds_count{source=\"sales\"} 2")
                .contains("sekisho_statement_duration_seconds_count{source=\"gateway\"} 2")
                .contains("sekisho_statements_total{front_door=\"unknown\",outcome=\"ok\"} 8");
        // the crm statements started 300 ms before they finished
        String sum = scraped.lines().filter(line -> line.startsWith("sekisho_statement_duration_seconds_sum{source=\"crm\"}")).findFirst().orElseThrow();
        assertThat(Double.parseDouble(sum.substring(sum.lastIndexOf(' ') + 1))).isGreaterThanOrEqualTo(4 * 0.3);
    }

    private static StatementInfo statement(Optional<PreparedQuery> query, Instant started)
    {
        String sql = "SELECT 1";
        return new StatementInfo(ALICE, "", new PreparedStatement("", SqlStatement.of(sql), StatementKind.QUERY, query, Optional.empty(), List.of(),
                Optional.of(List.of())), started);
    }

    /** A plan that one source runs whole. */
    private record OneSource(String source)
            implements PreparedQuery
    {
        @Override
        public String sql()
        {
            return "SELECT 1";
        }

        @Override
        public List<ResultColumn> columns()
        {
            return List.of();
        }

        @Override
        public List<ColumnType> parameterTypes()
        {
            return List.of();
        }

        @Override
        public ResultStream execute(List<Object> parameters, ExecutionContext context)
        {
            throw new UnsupportedOperationException();
        }

        @Override
        public String explain()
        {
            return "";
        }

        @Override
        public List<SourceStatement> sourceStatements()
        {
            return List.of(new SourceStatement(source, "SELECT 1"));
        }

        @Override
        public boolean isFullyPushedDown()
        {
            return true;
        }
    }

    @Test
    void statementsAnsweredOnTheEventLoopAndDeclinesAreCounted()
    {
        GatewayMetrics metrics = new GatewayMetrics(List.of(), Optional.empty());
        SourceAnswerCounts counts = new SourceAnswerCounts();
        metrics.bindSourceAnswers(counts);
        counts.answered();
        counts.answered();
        counts.declined();
        assertThat(metrics.scrape()).contains("sekisho_event_loop_statements_total 2.0").contains("sekisho_event_loop_statement_declines_total 1.0");
    }
}
