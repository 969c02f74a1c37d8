package dev.sekisho.planner;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.policies.FiredRule;

import java.util.List;

/**
 * A planned SELECT, ready to run any number of times with different parameter values.
 * Immutable and thread-safe: a plan may be shared by sessions through the plan cache.
 */
public interface PreparedQuery
{
    /** The statement's text as the client sent it. */
    String sql();

    /** The result's columns, known before execution (RowDescription for Describe). */
    List<ResultColumn> columns();

    /** The type of each {@code $n} parameter, declared by the client or inferred. */
    List<ColumnType> parameterTypes();

    /**
     * Runs the plan. Blocks until the first rows can be read: call from a worker thread.
     *
     * @param parameters one value per parameter, Java types as in {@link ColumnType.Kind}
     * @throws dev.sekisho.planner.spi.QueryException with a SQLSTATE
     */
    ResultStream execute(List<Object> parameters, ExecutionContext context);

    /**
     * A readable account of how the statement runs: for a pushed-down plan, the source and the SQL
     * sent to it; otherwise the Calcite plan with the SQL of each source fragment; then the
     * {@link #routes() routes} as they are now.
     */
    String explain();

    /**
     * Where each source would run its part of the statement if it ran now, and why (the chosen
     * server, the freshness limit that applied, every server's state and lag); empty for sources
     * with nothing to choose. Computed when asked: routes follow the servers' health.
     * {@link #explain()} ends with the same text.
     */
    default List<RouteExplanation> routes()
    {
        return List.of();
    }

    /**
     * The statements this plan sends to its sources, known without running it: the one statement
     * of a pushed-down plan; empty for plans the gateway computes itself over several scans.
     */
    default List<SourceStatement> sourceStatements()
    {
        return List.of();
    }

    /** The source tables the statement reads, {@code source.schema.table}, for the audit trail's usage reports. */
    default List<String> tablesRead()
    {
        return List.of();
    }

    /** Whether the whole statement runs as one statement on one source. */
    boolean isFullyPushedDown();

    /**
     * The policy rules that decided what this statement sees (visibility, masks, row filters), with
     * their file:line, for every table it looked at; empty when policies are disabled.
     */
    default List<FiredRule> firedRules()
    {
        return List.of();
    }
}
