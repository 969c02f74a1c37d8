/**
 * YAML read with the line of every value, so that every error in a policy file, a policy test or
 * {@code sekisho.yaml} names file:line. Shared by the policy loader and the gateway's configuration
 * loader.
 */
package dev.sekisho.policies.yaml;
