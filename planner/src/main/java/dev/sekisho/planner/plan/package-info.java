/**
 * Statement planning and the plan cache: {@link CalciteQueryPlanner}, the Calcite-based
 * {@code QueryPlanner}, with its cache keyed by {@link PlanKey}; {@link StatementPlanner}, which
 * takes one statement from PostgreSQL text through parsing and validation ({@link CalciteConfig},
 * {@link SekishoValidator}) to relational algebra; {@link PlanStrategy}, which chooses where it
 * runs and makes its prepared query: {@link PushedDownQuery} for one source, or
 * {@link FederatedQuery} for the gateway's local engine, compiled ({@link CompiledPlan}) or
 * interpreted; their EXPLAIN text ({@link ExplainText}); and the translation of Calcite's failures
 * into PostgreSQL errors ({@link ErrorTranslator}). Policies are applied through
 * {@code dev.sekisho.planner.policy}.
 */
package dev.sekisho.planner.plan;
