package dev.sekisho.planner.catalog;

import java.time.Duration;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A table that exists twice: in a MySQL source (fresh, served by its replicas) and as a warehouse
 * copy in another source (BigQuery, loaded e.g. daily). A statement that reads only such tables runs
 * where it is cheap enough and fresh enough: on the replicas when MySQL's EXPLAIN expects few rows
 * or the copy is too old for it, otherwise on the copy (the plan package's {@code ReplicatedRoute}).
 *
 * @param table the table as clients name it, {@code schema.table} (exposed names)
 * @param copy the copy as clients could name it, {@code schema.table} (exposed names)
 * @param freshness how old the copy is at any moment
 * @param maxStaleness the oldest copy a statement accepts unless it asks for fresher data
 * @param replicaMaxRows the most rows MySQL's EXPLAIN may expect for the statement to stay on the replicas
 */
public record ReplicatedTable(String table, String copy, CopyFreshness freshness, Duration maxStaleness, long replicaMaxRows)
{
    /** MySQL's EXPLAIN rows up to which a statement stays on the replicas, unless configured. */
    public static final int DEFAULT_REPLICA_MAX_ROWS = 100_000;

    public ReplicatedTable
    {
        table = qualified(table, "table");
        copy = qualified(copy, "copy");
        requireNonNull(freshness, "freshness is null");
        requireNonNull(maxStaleness, "maxStaleness is null");
        if (replicaMaxRows < 0) {
            throw new IllegalArgumentException("replicaMaxRows must not be negative: " + replicaMaxRows);
        }
    }

    private static String qualified(String name, String what)
    {
        requireNonNull(name, what + " is null");
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.split("\\.", -1).length != 2 || lower.startsWith(".") || lower.endsWith(".")) {
            throw new IllegalArgumentException(what + " must be schema.table: " + name);
        }
        return lower;
    }

    /** The schema of {@link #table()}. */
    public String tableSchema()
    {
        return table.substring(0, table.indexOf('.'));
    }

    /** The table name of {@link #table()}. */
    public String tableName()
    {
        return table.substring(table.indexOf('.') + 1);
    }

    /** The schema of {@link #copy()}. */
    public String copySchema()
    {
        return copy.substring(0, copy.indexOf('.'));
    }

    /** The table name of {@link #copy()}. */
    public String copyName()
    {
        return copy.substring(copy.indexOf('.') + 1);
    }
}
