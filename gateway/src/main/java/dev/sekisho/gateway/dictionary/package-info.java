/**
 * The data dictionary: descriptions, owners, tiers and freshness SLAs of tables and columns,
 * written in YAML in the {@code dictionary/} folder next to the policy files
 * ({@link dev.sekisho.gateway.dictionary.DataDictionary}). What it says wins over the sources'
 * comments in {@code pg_description}, {@code obj_description} and {@code col_description}, which
 * psql's {@code \d+}, pgjdbc's {@code REMARKS} and the BI tools' schema browsers read.
 */
package dev.sekisho.gateway.dictionary;
