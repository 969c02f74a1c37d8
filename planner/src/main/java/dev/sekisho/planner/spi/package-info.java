/**
 * What a source must provide to the planner: metadata, execution of one SQL statement in its own
 * dialect, streaming of rows, cancellation.
 *
 * <p>This package uses JDK types only. Connectors depend on it and on nothing else of the planner;
 * Calcite types never appear here ({@code TestDependencyDirection} checks both).
 */
package dev.sekisho.planner.spi;
