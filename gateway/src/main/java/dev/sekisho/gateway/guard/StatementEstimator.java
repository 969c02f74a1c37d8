package dev.sekisho.gateway.guard;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.ExecutionContext;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Each source fragment's estimate (MySQL's EXPLAIN, BigQuery's dry run), cached briefly by the
 * fragment's text and parameters: a dashboard that runs the same statement every few seconds
 * asks its source once. Sources that cannot estimate are left out. Thread-safe.
 */
final class StatementEstimator
{
    /** One fragment and what its source says it costs. */
    record FragmentEstimate(Connector connector, BackendQuery query, CostEstimate estimate)
    {
        FragmentEstimate
        {
            requireNonNull(connector, "connector is null");
            requireNonNull(query, "query is null");
            requireNonNull(estimate, "estimate is null");
        }
    }

    private final Map<String, Connector> connectors;
    private final Cache<BackendQuery, Optional<CostEstimate>> cache;

    StatementEstimator(List<Connector> connectors, Duration cacheFor)
    {
        this.connectors = connectors.stream().collect(Collectors.toUnmodifiableMap(Connector::name, Function.identity()));
        this.cache = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(cacheFor).executor(Runnable::run).build();
    }

    List<FragmentEstimate> estimate(List<BackendQuery> fragments, String user)
    {
        List<FragmentEstimate> estimates = new ArrayList<>();
        for (BackendQuery fragment : fragments) {
            Connector connector = connectors.get(fragment.source());
            if (connector == null || !connector.capabilities().contains(ConnectorCapability.ESTIMATE)) {
                continue;
            }
            Optional<CostEstimate> estimate = cache.get(fragment, query -> connector.estimate(query, ExecutionContext.uncancellable(user)));
            estimate.ifPresent(cost -> estimates.add(new FragmentEstimate(connector, fragment, cost)));
        }
        return estimates;
    }
}
