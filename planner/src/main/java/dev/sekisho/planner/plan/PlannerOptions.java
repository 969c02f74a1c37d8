package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.ReplicatedTable;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Settings of {@link CalciteQueryPlanner}.
 *
 * @param planCacheSize how many prepared plans the plan cache keeps; 0 disables the cache
 * @param hashSalt the secret salt of the {@code hash} mask (from the gateway's configuration or
 *         environment, never from policy files); empty if none is configured, in which case
 *         policies that use {@code hash} do not load. Bound as a parameter, never written into SQL
 *         text, and never printed by {@link #toString()}.
 * @param localJoinMaxRows the most rows a join the gateway runs over two sources may hold in memory
 *         (its build side); past it the statement fails with SQLSTATE 53200
 * @param replicatedTables tables that also exist as a warehouse copy, routed per statement ({@link ReplicatedRoute})
 */
public record PlannerOptions(int planCacheSize, Optional<String> hashSalt, long localJoinMaxRows, List<ReplicatedTable> replicatedTables)
{
    public static final int DEFAULT_PLAN_CACHE_SIZE = 10_000;
    public static final long DEFAULT_LOCAL_JOIN_MAX_ROWS = 1_000_000;

    public PlannerOptions
    {
        if (planCacheSize < 0) {
            throw new IllegalArgumentException("planCacheSize must not be negative: " + planCacheSize);
        }
        requireNonNull(hashSalt, "hashSalt is null");
        if (hashSalt.isPresent() && hashSalt.get().isEmpty()) {
            throw new IllegalArgumentException("hashSalt must not be empty");
        }
        if (localJoinMaxRows < 1) {
            throw new IllegalArgumentException("localJoinMaxRows must be positive: " + localJoinMaxRows);
        }
        replicatedTables = List.copyOf(replicatedTables);
    }

    public PlannerOptions(int planCacheSize, Optional<String> hashSalt)
    {
        this(planCacheSize, hashSalt, DEFAULT_LOCAL_JOIN_MAX_ROWS, List.of());
    }

    public PlannerOptions(int planCacheSize)
    {
        this(planCacheSize, Optional.empty());
    }

    /** The defaults: a plan cache of {@value #DEFAULT_PLAN_CACHE_SIZE} entries, no hash salt. */
    public static PlannerOptions defaults()
    {
        return new PlannerOptions(DEFAULT_PLAN_CACHE_SIZE);
    }

    /** A copy with another plan-cache size. */
    public PlannerOptions withPlanCacheSize(int size)
    {
        return new PlannerOptions(size, hashSalt, localJoinMaxRows, replicatedTables);
    }

    /** A copy with another limit on the rows a local join may hold. */
    public PlannerOptions withLocalJoinMaxRows(long rows)
    {
        return new PlannerOptions(planCacheSize, hashSalt, rows, replicatedTables);
    }

    /** A copy with these replicated tables. */
    public PlannerOptions withReplicatedTables(List<ReplicatedTable> tables)
    {
        return new PlannerOptions(planCacheSize, hashSalt, localJoinMaxRows, tables);
    }

    /** A copy with the {@code hash} mask's salt. */
    public PlannerOptions withHashSalt(String salt)
    {
        return new PlannerOptions(planCacheSize, Optional.of(requireNonNull(salt, "salt is null")), localJoinMaxRows, replicatedTables);
    }

    @Override
    public String toString()
    {
        return "PlannerOptions[planCacheSize=" + planCacheSize + ", hashSalt=" + (hashSalt.isPresent() ? "(set)" : "(none)") + ", localJoinMaxRows="
                + localJoinMaxRows + ", replicatedTables=" + replicatedTables + "]";
    }
}
