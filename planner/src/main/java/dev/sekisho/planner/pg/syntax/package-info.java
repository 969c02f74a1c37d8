/**
 * PostgreSQL's syntax on Calcite's Babel parser: the text normalised before parsing
 * ({@link PgSyntax}), the parse tree rewritten after it into what Calcite validates with
 * PostgreSQL's meaning ({@link InfixCasts} for {@code x::type}, {@link PgSqlRewriter} for
 * {@code regclass} casts, {@code current_schema}, {@code = ANY(array)} and set-returning functions in
 * select lists), and the column names PostgreSQL gives unaliased select items
 * ({@link PgColumnNames}). Works on text and {@code SqlNode}s only, before validation.
 */
package dev.sekisho.planner.pg.syntax;
