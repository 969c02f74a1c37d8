/**
 * The policy model: principals now; table and column rules, masks, row filters and hot reload come
 * with the policy engine. Pure Java, no internal dependencies, no Calcite.
 */
package dev.sekisho.policies;
