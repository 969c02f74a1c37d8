/**
 * The {@code pg_catalog} and {@code information_schema} emulation ({@link PgCatalog}): their
 * relations with PostgreSQL 15's columns and OIDs, the per-statement snapshot computed from the
 * sources' metadata as the session's {@link CatalogView} lets it see them, PostgreSQL's types
 * ({@link PgTypeInfo}), and the functions that answer from that snapshot or from the session
 * ({@link PgCatalogFunctions}, {@link PgSessionFunctions}): they stay beside the data they read,
 * which is bound per statement and thread ({@link PgCatalog#bind}) and not visible outside.
 */
package dev.sekisho.planner.pg.catalog;
