/**
 * The federated catalog: one generation of every connector's schemas and tables as Calcite
 * schemas and tables ({@link Catalog}, {@link ConnectorSchema}, {@link ConnectorTable}), loaded
 * lazily from the connectors' metadata, beside the {@code pg_catalog} emulation. A source table is
 * also how the gateway's local engine reads the source. Knows nothing of policies: what a session
 * may see of it is decided in {@code dev.sekisho.planner.policy}.
 */
package dev.sekisho.planner.catalog;
