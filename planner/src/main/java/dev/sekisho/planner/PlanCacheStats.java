package dev.sekisho.planner;

/**
 * What the plan cache holds and did since the planner started, for metrics and the admin endpoint.
 *
 * @param entries plans held now
 * @param bytes their estimated size in bytes (the weight the cache is bounded by)
 * @param maxBytes the bound
 * @param hits lookups answered by a cached plan
 * @param misses lookups that planned (parse, validate, optimise)
 * @param evictions plans dropped to stay within the bound
 */
public record PlanCacheStats(long entries, long bytes, long maxBytes, long hits, long misses, long evictions)
{
    public static final PlanCacheStats NONE = new PlanCacheStats(0, 0, 0, 0, 0, 0);

    public PlanCacheStats
    {
        if (entries < 0 || bytes < 0 || maxBytes < 0 || hits < 0 || misses < 0 || evictions < 0) {
            throw new IllegalArgumentException("plan cache figures are never negative");
        }
    }

    /** Hits over lookups, 0 before the first lookup. */
    public double hitRatio()
    {
        long lookups = hits + misses;
        return lookups == 0 ? 0 : (double) hits / lookups;
    }
}
