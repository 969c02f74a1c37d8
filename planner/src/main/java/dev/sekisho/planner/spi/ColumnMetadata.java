package dev.sekisho.planner.spi;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A column as a source exposes it.
 *
 * @param name the column name as the source spells it
 * @param type the type Sekisho presents to clients
 * @param nullable whether the column may hold NULL
 * @param sourceType the source's own type text (e.g. {@code tinyint(1) unsigned}), for messages and docs
 * @param comment the source's description of the column, if it has one (shown as PostgreSQL's column comment)
 */
public record ColumnMetadata(String name, ColumnType type, boolean nullable, String sourceType, Optional<String> comment)
{
    public ColumnMetadata
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(sourceType, "sourceType is null");
        requireNonNull(comment, "comment is null");
    }

    /** A column without a comment. */
    public ColumnMetadata(String name, ColumnType type, boolean nullable, String sourceType)
    {
        this(name, type, nullable, sourceType, Optional.empty());
    }
}
