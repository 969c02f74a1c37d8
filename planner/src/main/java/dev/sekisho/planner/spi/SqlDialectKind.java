package dev.sekisho.planner.spi;

/** The SQL dialect a connector speaks; the planner maps it to a Calcite dialect. */
public enum SqlDialectKind
{
    MYSQL,
    BIGQUERY,
}
