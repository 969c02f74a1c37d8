package dev.sekisho.planner.spi;

import java.util.Optional;

/**
 * Told by a source that follows its own changes (a MySQL binlog, BigQuery's
 * {@code lastModifiedTime}) when rows changed, so that whatever was kept of them (the result cache)
 * is dropped. Called on the source's own thread; must not block.
 */
public interface TableChangeListener
{
    /** Rows of {@code table} changed at the source. */
    void tableChanged(SourceTable table);

    /**
     * Something changed that cannot be tied to tables (a statement-based log event, DDL, a lost
     * feed that reconnected): nothing read from the source before now may be served again.
     */
    void sourceChanged();

    /**
     * DDL at the source (ALTER, CREATE, DROP, RENAME, TRUNCATE): tables or columns may differ now,
     * so plans made before must not be used, and results read before must not be served.
     *
     * @param table the table the statement names when it names exactly one ({@code ALTER TABLE t}); empty otherwise
     */
    default void schemaChanged(Optional<SourceTable> table)
    {
        sourceChanged();
    }
}
