package dev.sekisho.planner.spi;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A secondary index (not the primary key) as a source exposes it.
 *
 * @param name the index name as the source spells it (unique per table in MySQL)
 * @param columns names of the indexed columns in key order
 * @param unique whether the index is unique
 */
public record IndexMetadata(String name, List<String> columns, boolean unique)
{
    public IndexMetadata
    {
        requireNonNull(name, "name is null");
        columns = List.copyOf(columns);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("index " + name + " has no columns");
        }
    }
}
