/**
 * PostgreSQL's functions that Calcite lacks and that compute from their arguments: arrays in their
 * text form ({@link PgArrayFunctions}, {@link PgArrayText}), JSON, {@code date_trunc} and
 * set-returning functions; the operator table that offers them and the catalog's functions to the
 * validator ({@link PgOperators}); and the PostgreSQL type of a plan's result columns where the
 * emulation decides it ({@link PgResultTypes}). Depends on {@code pg.catalog}, never the reverse.
 */
package dev.sekisho.planner.pg.functions;
