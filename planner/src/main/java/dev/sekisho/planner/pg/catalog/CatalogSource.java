package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.spi.TableMetadata;

import java.util.List;

/**
 * The sources' schemas and tables as the federated catalog exposes them: the input of the
 * {@code pg_catalog} and {@code information_schema} emulation. Calls may block on the network.
 */
public interface CatalogSource
{
    /** The exposed schema names (lower case), sorted. */
    List<String> schemas();

    /** The tables of one exposed schema. */
    List<TableMetadata> tables(String schema);
}
