package dev.sekisho.planner.spi;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A table of a source that a statement reads, as the source spells its schema and name: what a
 * connector routes by (a replica must be fresh enough for every table a statement reads).
 *
 * @param schema the schema (MySQL database) as the source spells it
 * @param table the table as the source spells it
 */
public record SourceTable(String schema, String table)
{
    public SourceTable
    {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
    }

    /** {@code schema.table}, for messages and configuration keys. */
    public String qualifiedName()
    {
        return schema + "." + table;
    }

    /** Whether {@code name} ({@code schema} or {@code schema.table}) names this table or its schema, ignoring case. */
    public boolean isNamedBy(String name)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.equals(schema.toLowerCase(Locale.ROOT)) || lower.equals(qualifiedName().toLowerCase(Locale.ROOT));
    }

    @Override
    public String toString()
    {
        return qualifiedName();
    }
}
