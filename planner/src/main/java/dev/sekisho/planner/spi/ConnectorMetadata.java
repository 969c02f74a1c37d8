package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Optional;

/**
 * Metadata as the source reports it. Implementations may cache; {@link #refresh()} drops caches.
 * Calls may block on the network: never call from an event loop.
 */
public interface ConnectorMetadata
{
    /** Schemas this source exposes (MySQL: databases), system schemas excluded. */
    List<String> listSchemas();

    /** Tables and views of one schema. */
    List<String> listTables(String schema);

    /** One table's columns and keys, or empty if it does not exist. */
    Optional<TableMetadata> getTable(String schema, String table);

    /** Forgets cached metadata so that the next calls read the source again. */
    default void refresh() {}
}
