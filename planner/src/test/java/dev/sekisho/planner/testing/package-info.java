/**
 * Shared test fixtures of the planner: an in-memory connector ({@link TestingConnector}) and the
 * sample shop it serves ({@link TestingShop}), policies and principals ({@link TestingPolicies}),
 * the mask samples every engine is checked against ({@link TestingMaskSamples}), and the client
 * corpus with its fixture source ({@link TestingClientCorpus}, {@link TestingCorpusConnector}).
 * Published in the planner's test jar: the gateway's and the integration tests use them too.
 */
package dev.sekisho.planner.testing;
