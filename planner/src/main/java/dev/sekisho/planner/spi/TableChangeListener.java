package dev.sekisho.planner.spi;

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
}
