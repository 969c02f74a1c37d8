package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.execution.Admission;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.sql.SqlStatement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The byte budgets through the cost guard, with a test connector that estimates bytes as
 * BigQuery's dry run does (the BigQuery connector is not in this branch): over the per-statement
 * limit nothing runs; within it the statement gets the remaining allowance as its
 * maximumBytesBilled and the ledger is charged what the source reports billed; at the daily limit
 * the message says what is left; the embedded ledger keeps the spend across a restart.
 */
class TestByteBudgets
{
    private static final String POLICY = """
            roles:
              analyst: {groups: [analysts]}
            budgets:
              time_zone: Asia/Tokyo
              statement:
                - {for: [analyst], max_bytes: 5000}
              people:
                - {for: [analyst], bytes_per_day: 10000, bytes_per_month: 100000}
              teams:
                analysts: {bytes_per_day: 15000}
            """;
    private static final Principal ALICE = new Principal("alice", Set.of("analysts"), Map.of());
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-04T16:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path directory;

    @Test
    void overTheStatementLimitNothingRunsWithinItTheBilledBytesAreCharged()
    {
        PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("budgets.yaml", POLICY)));
        BytesConnector source = new BytesConnector();
        SekishoConfig.LedgerDatabase database = SekishoConfig.LedgerDatabase.embedded(directory.resolve("ledger"));
        try (CostGuard guard = new CostGuard(() -> policies, List.of(source), Duration.ofSeconds(30), admitted -> {}, Optional.of(new LazyLedger(database)), CLOCK)) {
            assertThatThrownBy(() -> guard.request(statement(6000)).join())
                    .hasCauseInstanceOf(QueryException.class)
                    .cause()
                    .hasMessage("statement would read 6.0 KB (6,000 bytes) by its dry run, over the limit of 5.0 KB (5,000 bytes) per statement "
                            + "(max_bytes, budgets.yaml:6)");
            assertThat(source.executed.get()).isZero();

            Admission.Permit permit = guard.request(statement(4000)).join();
            assertThat(permit.maximumBytesBilled()).hasValue(10000);
            permit.billed(4200);
            permit.close();

            permit = guard.request(statement(4000)).join();
            // alice's day in Tokyo (2026-12-05) has 5,800 left
            assertThat(permit.maximumBytesBilled()).hasValue(5800);
            permit.billed(3900);
            permit.close();

            assertThatThrownBy(() -> guard.request(statement(2000)).join())
                    .cause()
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("53400"))
                    .hasMessage("statement would read 2.0 KB (2,000 bytes) by its dry run, but user:alice has 1.9 KB (1,900 bytes) left today (2026-12-05): "
                            + "10.0 KB (10,000 bytes) per day (budgets at budgets.yaml:8), 8.1 KB (8,100 bytes) spent, 0 bytes reserved by statements running");
        }
        // a restart keeps the spend
        try (CostGuard guard = new CostGuard(() -> policies, List.of(source), Duration.ofSeconds(30), admitted -> {}, Optional.of(new LazyLedger(database)), CLOCK)) {
            Admission.Permit permit = guard.request(statement(1500)).join();
            assertThat(permit.maximumBytesBilled()).hasValue(1900);
            permit.close();
            assertThatThrownBy(() -> guard.request(statement(1000)).join()).cause().hasMessageContaining("user:alice has 400 bytes left today");
        }
    }

    @Test
    void anEstimateThatIsNoBoundHoldsAllItMayBeBilledAndRunsCappedThere()
    {
        PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("budgets.yaml", POLICY)));
        SekishoConfig.LedgerDatabase database = SekishoConfig.LedgerDatabase.embedded(directory.resolve("ledger"));
        try (CostGuard guard = new CostGuard(() -> policies, List.of(new BytesConnector()), Duration.ofSeconds(30), admitted -> {},
                Optional.of(new LazyLedger(database)), CLOCK)) {
            // a dry run that says 0 bytes, UNKNOWN: not free; it holds the per-statement limit of alice's 10,000 and may be billed no more
            Admission.Permit unknown = guard.request(statement(0, CostEstimate.Accuracy.UNKNOWN)).join();
            assertThat(unknown.maximumBytesBilled()).hasValue(5000);
            assertThat(guard.budget(ALICE)).contains(List.of("user:alice", "2026-12-05", 10000L, 0L, 5000L, 5000L));

            // beside it, others get only what it left
            Admission.Permit beside = guard.request(statement(4000)).join();
            assertThat(beside.maximumBytesBilled()).hasValue(5000);
            beside.billed(4000);
            beside.close();
            assertThatThrownBy(() -> guard.request(statement(2000)).join())
                    .cause()
                    .hasMessageContaining("user:alice has 1.0 KB (1,000 bytes) left today")
                    .hasMessageContaining("5.0 KB (5,000 bytes) reserved by statements running");
            unknown.billed(0);
            unknown.close();

            // a lower bound over the limit is over the limit
            assertThatThrownBy(() -> guard.request(statement(6000, CostEstimate.Accuracy.LOWER_BOUND)).join())
                    .cause()
                    .hasMessageStartingWith("statement would read 6.0 KB (6,000 bytes) (a bound, not an exact figure) by its dry run, over the limit");

            // with the day spent, even a statement whose dry run says 0 bytes is refused before it runs
            Admission.Permit last = guard.request(statement(4000)).join();
            last.billed(6000);
            last.close();
            assertThatThrownBy(() -> guard.request(statement(0, CostEstimate.Accuracy.UNKNOWN)).join())
                    .cause()
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("53400"))
                    .hasMessageStartingWith("statement would read at least 0 bytes by its dry run (BigQuery calls the figure UNKNOWN: it could read more), "
                            + "so it needs the whole allowance it may be billed, but user:alice has 0 bytes left today (2026-12-05)");
            assertThatThrownBy(() -> guard.request(statement(0)).join())
                    .cause()
                    .hasMessageContaining("user:alice has 0 bytes left today");
        }
    }

    @Test
    void aStatementTheResultCacheAnswersIsNeitherEstimatedNorLimitedNorCharged()
    {
        PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("budgets.yaml", POLICY)));
        BytesConnector source = new BytesConnector();
        SekishoConfig.LedgerDatabase database = SekishoConfig.LedgerDatabase.embedded(directory.resolve("ledger"));
        // the cache holds the fragment of the 6,000-byte statement only
        CostGuard.CacheLookup cached = (fragment, statement) -> fragment.sql().endsWith(" 6000");
        try (CostGuard guard = new CostGuard(() -> policies, List.of(source), Duration.ofSeconds(30), admitted -> {}, Optional.of(new LazyLedger(database)), CLOCK,
                cached)) {
            Admission.Permit hit = guard.request(statement(6000)).join();
            assertThat(source.estimates.get()).isZero();
            assertThat(hit.admittedAsCacheHit()).isTrue();
            assertThat(hit.maximumBytesBilled()).isEmpty();
            hit.close();
            assertThat(hit.accounting().estimatedBytes()).hasValue(0);
            assertThat(hit.accounting().billedBytes()).hasValue(0);
            assertThat(guard.budget(ALICE)).contains(List.of("user:alice", "2026-12-05", 10000L, 0L, 0L, 10000L));

            // a statement the gateway runs itself (a join across sources) may send other fragments than those looked up: estimated
            String sql = "SELECT * FROM events.clicks /* joined */";
            PreparedQuery joined = new BytesQuery(sql, CostEstimate.Accuracy.PRECISE, 6000, false);
            StatementInfo federated = new StatementInfo(ALICE, "", new PreparedStatement("", SqlStatement.of(sql), StatementKind.QUERY, Optional.of(joined),
                    Optional.empty(), List.of(), Optional.of(joined.columns())), Instant.now());
            assertThatThrownBy(() -> guard.request(federated).join())
                    .cause()
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("53400"));
            assertThat(source.estimates.get()).isEqualTo(1);

            // a miss is estimated and guarded as before
            assertThatThrownBy(() -> guard.request(statement(5500)).join())
                    .cause()
                    .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("53400"));
            assertThat(source.estimates.get()).isEqualTo(2);
            Admission.Permit miss = guard.request(statement(4000)).join();
            assertThat(miss.admittedAsCacheHit()).isFalse();
            assertThat(miss.maximumBytesBilled()).hasValue(10000);
            miss.close();
        }
    }

    private static StatementInfo statement(long bytes)
    {
        return statement(bytes, CostEstimate.Accuracy.PRECISE);
    }

    private static StatementInfo statement(long bytes, CostEstimate.Accuracy accuracy)
    {
        String sql = "SELECT * FROM events.clicks /* " + accuracy + " " + bytes + " */";
        PreparedQuery query = new BytesQuery(sql, accuracy, bytes);
        PreparedStatement statement = new PreparedStatement("", SqlStatement.of(sql), StatementKind.QUERY, Optional.of(query), Optional.empty(), List.of(),
                Optional.of(query.columns()));
        return new StatementInfo(ALICE, "", statement, Instant.now());
    }

    /** A plan with one fragment for the test source, whose text carries the bytes it would read. */
    private record BytesQuery(String sql, CostEstimate.Accuracy accuracy, long bytes, boolean isFullyPushedDown)
            implements PreparedQuery
    {
        BytesQuery(String sql, CostEstimate.Accuracy accuracy, long bytes)
        {
            this(sql, accuracy, bytes, true);
        }

        @Override
        public List<ResultColumn> columns()
        {
            return List.of(ResultColumn.of("n", ColumnType.of(ColumnType.Kind.BIGINT)));
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
        public List<BackendQuery> fragments(List<Object> parameters)
        {
            return List.of(BackendQuery.of("events", "SELECT * FROM clicks -- " + accuracy + " " + bytes));
        }

        @Override
        public String explain()
        {
            return sql;
        }

    }

    /** A source that estimates as BigQuery's dry run does: the bytes a statement reads, and how exact that is. */
    private static final class BytesConnector
            implements Connector
    {
        final AtomicInteger executed = new AtomicInteger();
        final AtomicInteger estimates = new AtomicInteger();

        @Override
        public String name()
        {
            return "events";
        }

        @Override
        public SqlDialectKind dialect()
        {
            return SqlDialectKind.BIGQUERY;
        }

        @Override
        public ConnectorMetadata metadata()
        {
            return new ConnectorMetadata()
            {
                @Override
                public List<String> listSchemas()
                {
                    return List.of();
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
            executed.incrementAndGet();
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<ConnectorCapability> capabilities()
        {
            return Set.of(ConnectorCapability.ESTIMATE);
        }

        @Override
        public Optional<CostEstimate> estimate(BackendQuery query, ExecutionContext context)
        {
            estimates.incrementAndGet();
            String[] words = query.sql().split(" ");
            return Optional.of(new CostEstimate(Long.parseLong(words[words.length - 1]), CostEstimate.Accuracy.valueOf(words[words.length - 2])));
        }
    }
}
