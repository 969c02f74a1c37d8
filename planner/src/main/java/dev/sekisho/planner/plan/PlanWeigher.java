package dev.sekisho.planner.plan;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import dev.sekisho.planner.PlanCacheStats;

/**
 * What a cached plan weighs, so that the plan cache is bounded by memory rather than by a count
 * (a 4-table join's plan holds far more than a point lookup's). The weight is an estimate in
 * bytes from what grows with the statement: its text (the key, the source SQL, Calcite's tree)
 * and its columns.
 */
public final class PlanWeigher
{
    /** About what a point lookup's plan holds (key, Calcite row types, pushed-down SQL, column metadata). */
    static final int TYPICAL_PLAN_BYTES = 8 * 1024;

    private static final int FIXED_BYTES = 4 * 1024;
    private static final int BYTES_PER_CHARACTER = 24;
    private static final int BYTES_PER_COLUMN = 256;

    private PlanWeigher() {}

    /** The cache's bound: room for {@code plans} typical plans. */
    public static long maximumWeight(int plans)
    {
        return (long) plans * TYPICAL_PLAN_BYTES;
    }

    public static int weigh(PlanKey key, dev.sekisho.planner.PreparedQuery plan)
    {
        long bytes = FIXED_BYTES + (long) BYTES_PER_CHARACTER * key.sql().length() + (long) BYTES_PER_COLUMN * plan.columns().size();
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }

    /** What a plan cache bounded by this weigher holds now (entries, bytes, bound, evictions); hits and misses are left 0. */
    public static PlanCacheStats contents(Cache<?, ?> plans)
    {
        long bytes = 0;
        long maxBytes = 0;
        Policy.Eviction<?, ?> eviction = plans.policy().eviction().orElse(null);
        if (eviction != null) {
            bytes = eviction.weightedSize().orElse(0);
            maxBytes = eviction.getMaximum();
        }
        return new PlanCacheStats(plans.estimatedSize(), bytes, maxBytes, 0, 0, plans.stats().evictionCount());
    }
}
