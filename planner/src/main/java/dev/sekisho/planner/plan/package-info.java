/**
 * Statement planning and the plan cache: {@link CalciteQueryPlanner}, the Calcite-based
 * {@code QueryPlanner}, with its cache keyed by {@link PlanKey}; {@link StatementPlanner}, which
 * takes one statement from PostgreSQL text through parsing, validation ({@link CalciteConfig},
 * {@link SekishoValidator}) and relational algebra to a prepared query: {@link PushedDownQuery}
 * for one source, or {@link FederatedQuery} for the gateway's local engine, compiled with
 * {@link CompiledPlan} or interpreted; and the translation of Calcite's failures into PostgreSQL
 * errors ({@link ErrorTranslator}). Policies are applied through {@code dev.sekisho.planner.policy}.
 */
package dev.sekisho.planner.plan;
