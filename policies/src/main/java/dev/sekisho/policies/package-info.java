/**
 * The policy model. Admins write YAML files (docs/policies.md); {@link dev.sekisho.policies.load.PolicyParser}
 * reads them into an immutable {@link dev.sekisho.policies.PolicySet},
 * {@link dev.sekisho.policies.validate.PolicyCheck}s validate it, {@link dev.sekisho.policies.PolicyStore}
 * swaps it in whole (or keeps the last good one), {@link dev.sekisho.policies.PolicyWatcher} reloads
 * on change, and {@link dev.sekisho.policies.PolicyEvaluator} answers "what may this
 * {@link dev.sekisho.policies.Principal} see of this table" as an
 * {@link dev.sekisho.policies.EffectivePolicy}. Deny by default throughout. Pure Java: no internal
 * dependencies, no Calcite, no Netty; expressions stay text for the planner to compile.
 */
package dev.sekisho.policies;
