/**
 * Types across the planner's boundaries: Sekisho's column types as Calcite's and back
 * ({@link TypeMapping}), the result types PostgreSQL derives where Calcite's defaults differ
 * ({@link PostgresTypeSystem}), and the conversion of values between what sources return, what
 * clients are sent and what Calcite's local engine computes with ({@link ValueConverters}).
 */
package dev.sekisho.planner.types;
