/**
 * BigQuery sources on {@code google-cloud-bigquery}: datasets as schemas, query jobs with positional
 * parameters, labels and {@code maximumBytesBilled}, results read page by page, jobs cancelled with
 * their statement, dry runs as cost estimates. See {@code docs/bigquery.md}.
 */
package dev.sekisho.connectors.bigquery;
