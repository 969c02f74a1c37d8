/**
 * SQL for the sources: whether a plan can run whole in a source's dialect with PostgreSQL's
 * meaning ({@link SourcePushdown}), the statement generated for it ({@link SourceSqlGenerator}),
 * and the dialects that write MySQL/MariaDB and BigQuery SQL with PostgreSQL's semantics
 * ({@link Dialects}). Works on plans and table metadata only, not on the catalog or policies.
 */
package dev.sekisho.planner.sql;
