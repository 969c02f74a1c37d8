/**
 * The cost guard: what the pipeline's {@link dev.sekisho.gateway.execution.Admission} asks before
 * a statement reaches a source. {@link dev.sekisho.gateway.guard.CostGuard} estimates each source
 * fragment ({@link dev.sekisho.gateway.guard.StatementEstimator}), refuses a statement over its
 * budget with a hint ({@link dev.sekisho.gateway.guard.BudgetCheck},
 * {@link dev.sekisho.gateway.guard.CostHints}), reserves its bytes in the ledger and queues it in its
 * resource group ({@link dev.sekisho.gateway.guard.ResourceGroupQueues}) without holding a thread.
 */
package dev.sekisho.gateway.guard;
