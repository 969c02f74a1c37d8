/**
 * The result cache: rows of source statements kept in memory (Caffeine, bounded by bytes) and
 * served again to whoever sends the same statement. The key is what the source would receive, after
 * the policy rewrite ({@link dev.sekisho.planner.spi.BackendQuery}: source, SQL, bound values,
 * the policy's values among them), so two users share an entry only when their sources would return
 * the same rows. Only tables with a TTL in the configuration are cached; identical statements that
 * arrive together run once; invalidation by table is the hook for change feeds (the MySQL binlog,
 * BigQuery's lastModifiedTime).
 */
package dev.sekisho.gateway.resultcache;
