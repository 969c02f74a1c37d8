package dev.sekisho.planner.spi;

import java.util.List;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * A table as a source exposes it.
 *
 * @param schema the schema (MySQL database) name as the source spells it
 * @param name the table name as the source spells it
 * @param columns columns in ordinal order
 * @param primaryKey names of the primary-key columns in key order; empty if none
 * @param view whether this is a view
 * @param rowCountEstimate the source's row estimate, if it has one
 * @param indexes the secondary indexes (not the primary key); empty if none
 */
public record TableMetadata(
        String schema,
        String name,
        List<ColumnMetadata> columns,
        List<String> primaryKey,
        boolean view,
        OptionalLong rowCountEstimate,
        List<IndexMetadata> indexes)
{
    public TableMetadata
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        requireNonNull(rowCountEstimate, "rowCountEstimate is null");
        indexes = List.copyOf(indexes);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("table " + schema + "." + name + " has no columns");
        }
    }

    /** A table without secondary indexes. */
    public TableMetadata(String schema, String name, List<ColumnMetadata> columns, List<String> primaryKey, boolean view, OptionalLong rowCountEstimate)
    {
        this(schema, name, columns, primaryKey, view, rowCountEstimate, List.of());
    }
}
