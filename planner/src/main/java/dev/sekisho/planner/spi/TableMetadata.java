package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * A table as a source exposes it.
 *
 * @param schema the schema (MySQL database) name as the source spells it
 * @param name the table name as the source spells it
 * @param columns columns in ordinal order
 * @param primaryKey names of the primary-key columns in key order; empty if none
 * @param kind a table, a view or a materialized view
 * @param rowCountEstimate the source's row estimate, if it has one
 * @param indexes the secondary indexes (not the primary key); empty if none
 * @param comment the source's description of the table, if it has one (shown as PostgreSQL's table comment)
 * @param partitionColumns the columns the source partitions the table by (BigQuery: its time-partitioning
 *         column), for cost hints: a filter on them lets the source skip partitions; empty if none
 * @param clusteringColumns the columns the source clusters (sorts blocks of) the table by; empty if none
 */
public record TableMetadata(
        String schema,
        String name,
        List<ColumnMetadata> columns,
        List<String> primaryKey,
        TableKind kind,
        OptionalLong rowCountEstimate,
        List<IndexMetadata> indexes,
        Optional<String> comment,
        List<String> partitionColumns,
        List<String> clusteringColumns)
{
    public TableMetadata
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        requireNonNull(kind, "kind is null");
        requireNonNull(rowCountEstimate, "rowCountEstimate is null");
        indexes = List.copyOf(indexes);
        requireNonNull(comment, "comment is null");
        partitionColumns = List.copyOf(partitionColumns);
        clusteringColumns = List.copyOf(clusteringColumns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + schema + "." + name + " has no columns");
        }
    }

    /** A table that is neither partitioned nor clustered. */
    public TableMetadata(String schema, String name, List<ColumnMetadata> columns, List<String> primaryKey, TableKind kind, OptionalLong rowCountEstimate,
            List<IndexMetadata> indexes, Optional<String> comment)
    {
        this(schema, name, columns, primaryKey, kind, rowCountEstimate, indexes, comment, List.of(), List.of());
    }

    /** A table without a comment. */
    public TableMetadata(String schema, String name, List<ColumnMetadata> columns, List<String> primaryKey, TableKind kind, OptionalLong rowCountEstimate,
            List<IndexMetadata> indexes)
    {
        this(schema, name, columns, primaryKey, kind, rowCountEstimate, indexes, Optional.empty());
    }

    /** A table without secondary indexes. */
    public TableMetadata(String schema, String name, List<ColumnMetadata> columns, List<String> primaryKey, TableKind kind, OptionalLong rowCountEstimate)
    {
        this(schema, name, columns, primaryKey, kind, rowCountEstimate, List.of());
    }

    /** Whether this is a view or a materialized view (neither has a primary key in PostgreSQL's catalog). */
    public boolean view()
    {
        return kind != TableKind.TABLE;
    }

    /** What a source relation is; PostgreSQL's {@code pg_class.relkind} {@code r}, {@code v} and {@code m}. */
    public enum TableKind
    {
        TABLE,
        VIEW,
        /** A view whose result the source stores (BigQuery and PostgreSQL have them; MySQL has none). */
        MATERIALIZED_VIEW,
    }
}
