/**
 * Policies in the plan (ARCHITECTURE.md, step 3): what a principal sees of the catalog
 * ({@link PolicyView}, and {@link PolicyCatalogView} for the catalog emulation), the masks and row
 * filters compiled to expressions ({@code MaskExpressions}, {@link ExpressionCompiler}) and put in
 * place of every scan of a protected table ({@link PolicyRewriter}), what planning a statement
 * needs of all that ({@link StatementPolicy}), the plan cache keyed by the effective policy and the
 * per-principal binding of its values ({@link SecuredPlanner}, {@link SecuredPreparedQuery}), and
 * the check of a candidate policy against the live catalog ({@link SemanticPolicyCheck}). Only this
 * package builds mask expressions ({@code TestDependencyDirection} checks it).
 */
package dev.sekisho.planner.policy;
