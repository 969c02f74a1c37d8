package dev.sekisho.gateway.metrics;

import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.planner.PlanCacheStats;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's two caches as operations see them: the plan cache (always there) and the result
 * cache (when {@code result_cache:} is configured). One place reads their figures, for the metrics
 * and for the admin endpoint, so both show the same numbers.
 *
 * @param plans the planner's plan-cache figures, read when asked
 * @param results the result cache, empty when none is configured
 */
public record GatewayCaches(Supplier<PlanCacheStats> plans, Optional<ResultCache> results)
{
    public static final GatewayCaches NONE = new GatewayCaches(() -> PlanCacheStats.NONE, Optional.empty());

    public GatewayCaches
    {
        requireNonNull(plans, "plans is null");
        requireNonNull(results, "results is null");
    }

    /** What {@code GET /api/caches} answers: both caches' figures, read now. */
    public Map<String, Object> describe()
    {
        PlanCacheStats plan = plans.get();
        Map<String, Object> planCache = new LinkedHashMap<>();
        planCache.put("entries", plan.entries());
        planCache.put("bytes", plan.bytes());
        planCache.put("max_bytes", plan.maxBytes());
        planCache.put("hits", plan.hits());
        planCache.put("misses", plan.misses());
        planCache.put("hit_ratio", plan.hitRatio());
        planCache.put("evictions", plan.evictions());
        Map<String, Object> resultCache = new LinkedHashMap<>();
        resultCache.put("configured", results.isPresent());
        if (results.isEmpty()) {
            resultCache.put("message", "no result_cache section in sekisho.yaml: no result is cached");
        }
        results.ifPresent(cache -> {
            ResultCache.Stats stats = cache.stats();
            resultCache.put("entries", stats.entries());
            resultCache.put("bytes", stats.bytes());
            resultCache.put("max_bytes", cache.settings().maxBytes());
            resultCache.put("hits", stats.hits());
            resultCache.put("misses", stats.misses());
            resultCache.put("hit_ratio", stats.hitRatio());
            resultCache.put("bypasses", stats.bypasses());
            resultCache.put("evictions", stats.evictions());
            resultCache.put("invalidations", stats.invalidations());
            resultCache.put("shared_waits", stats.sharedWaits());
            resultCache.put("last_modified_checks", stats.lastModifiedChecks());
            resultCache.put("last_modified_changes", stats.lastModifiedChanges());
            resultCache.put("last_modified_failures", stats.lastModifiedFailures());
        });
        Map<String, Object> caches = new LinkedHashMap<>();
        caches.put("configured", true);
        caches.put("plan_cache", planCache);
        caches.put("result_cache", resultCache);
        return caches;
    }
}
