/**
 * BigQuery without a cloud account: a REST endpoint for the real {@code google-cloud-bigquery}
 * client whose SQL is analysed and executed by Google's ZetaSQL, and the tests that use it.
 */
package dev.sekisho.it.bigquery;
