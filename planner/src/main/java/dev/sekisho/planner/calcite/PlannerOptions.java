package dev.sekisho.planner.calcite;

/**
 * Settings of {@link CalciteQueryPlanner}.
 *
 * @param planCacheSize how many prepared plans the plan cache keeps; 0 disables the cache
 */
public record PlannerOptions(int planCacheSize)
{
    public static final int DEFAULT_PLAN_CACHE_SIZE = 10_000;

    public PlannerOptions
    {
        if (planCacheSize < 0) {
            throw new IllegalArgumentException("planCacheSize must not be negative: " + planCacheSize);
        }
    }

    /** The defaults: a plan cache of {@value #DEFAULT_PLAN_CACHE_SIZE} entries. */
    public static PlannerOptions defaults()
    {
        return new PlannerOptions(DEFAULT_PLAN_CACHE_SIZE);
    }

    /** A copy with another plan-cache size. */
    public PlannerOptions withPlanCacheSize(int size)
    {
        return new PlannerOptions(size);
    }
}
