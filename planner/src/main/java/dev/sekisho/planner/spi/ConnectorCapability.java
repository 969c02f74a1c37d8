package dev.sekisho.planner.spi;

/** What a connector can run besides a plain scan. */
public enum ConnectorCapability
{
    FILTER_PUSHDOWN,
    PROJECT_PUSHDOWN,
    AGGREGATE_PUSHDOWN,
    JOIN_PUSHDOWN,
    SORT_PUSHDOWN,
    LIMIT_PUSHDOWN,
    /** The whole of a query over this source's tables may be sent as one statement. */
    FULL_QUERY_PUSHDOWN,
    /** {@link Connector#estimate} answers what a statement would read without running it (BigQuery's dry run). */
    ESTIMATE,
}
