/**
 * Statement normalisation in front of the plan cache: comments go (a BI tool's annotation is kept
 * as {@link dev.sekisho.policies.sql.StatementAnnotation}), and literals that only select rows
 * become parameters, so that statements differing only in those literals share one plan. Literals
 * that shape the plan (LIMIT, OFFSET, ORDER BY positions, function arguments, select-list values,
 * typed literals) stay in the text and so in the key.
 */
package dev.sekisho.planner.statement;
