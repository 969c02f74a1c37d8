package dev.sekisho.gateway.metrics;

import dev.sekisho.gateway.audit.AuditLog;
import dev.sekisho.gateway.execution.ClientOrigin;
import dev.sekisho.gateway.execution.LoginRefusal;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.execution.SourceAnswerCounts;
import dev.sekisho.gateway.execution.SessionInfo;
import dev.sekisho.gateway.execution.SessionListener;
import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.execution.StatementListener;
import dev.sekisho.planner.PlanCacheStats;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SourceStatement;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.policies.ReloadResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;


/**
 * The gateway's Prometheus metrics (names in docs/operations.md). Statement and login counts are
 * kept as they happen (cheap: a counter increment on the worker); the state of the sources' servers
 * is read when Prometheus scrapes. Thread-safe.
 */
public final class GatewayMetrics
        implements StatementListener, SessionListener
{
    private static final List<String> SERVER_STATES = List.of("up", "lagging", "down", "draining");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Connector> connectors;
    private final MultiGauge serverState;
    private final MultiGauge serverLag;
    private final MultiGauge serverActive;
    /** By front door, then outcome: no key is built per statement. */
    private final Map<String, Map<String, Counter>> statements = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    /** The plan that finished last and its duration timer (a plan's source never changes). */
    private volatile PlanTimer lastPlan;
    private final Counter rowsSent;

    public GatewayMetrics(List<Connector> connectors, Optional<AuditLog> auditLog)
    {
        this.connectors = List.copyOf(connectors);
        rowsSent = Counter.builder("sekisho.statement.rows")
                .description("Rows sent to clients")
                .register(registry);
        Gauge.builder("sekisho.connections", connections, AtomicInteger::get)
                .description("Client sessions open now")
                .register(registry);
        serverState = MultiGauge.builder("sekisho.source.server.state")
                .description("1 for the state each source server is in now (up, lagging, down, draining), 0 for the others")
                .register(registry);
        serverLag = MultiGauge.builder("sekisho.source.server.lag")
                .baseUnit("seconds")
                .description("Replication lag of each source server, when measured")
                .register(registry);
        serverActive = MultiGauge.builder("sekisho.source.server.active.connections")
                .description("Connections of each source server lent to statements now")
                .register(registry);
        // both outcomes exist from the start, so a dashboard shows 0 rather than nothing
        policyReloads("applied");
        policyReloads("rejected");
        auditLog.ifPresent(log -> {
            FunctionCounter.builder("sekisho.audit.dropped.events", log, AuditLog::dropped)
                    .description("Audit events dropped because the queue was full or the disk failed")
                    .register(registry);
            FunctionCounter.builder("sekisho.audit.written.events", log, AuditLog::written)
                    .description("Audit events written")
                    .register(registry);
            Gauge.builder("sekisho.audit.queue.depth", log, AuditLog::queued)
                    .description("Audit events waiting for the disk")
                    .register(registry);
        });
    }

    @Override
    public void opened(SessionInfo session)
    {
        connections.incrementAndGet();
        logins(session.origin(), "ok").increment();
    }

    @Override
    public void closed(SessionInfo session)
    {
        connections.decrementAndGet();
    }

    @Override
    public void loginFailed(String user, ClientOrigin origin, String sqlState, LoginRefusal reason)
    {
        logins(origin, "failed").increment();
    }

    private Counter logins(ClientOrigin origin, String outcome)
    {
        return Counter.builder("sekisho.logins")
                .description("Logins by outcome and front door")
                .tags("front_door", origin.frontDoor(), "outcome", outcome)
                .register(registry);
    }

    @Override
    public void prepareFailed(SessionInfo session, String sql, Throwable failure)
    {
        statements(session.origin().frontDoor(), outcome(Optional.of(failure))).increment();
    }

    @Override
    public void suspended(StatementInfo statement, long rows)
    {
        rowsSent.increment(rows);
    }

    @Override
    public void closedEarly(StatementInfo statement)
    {
        statements(statement.session().origin().frontDoor(), "ok").increment();
    }

    @Override
    public void finished(StatementInfo statement, long rows, Optional<Throwable> failure)
    {
        statements(statement.session().origin().frontDoor(), outcome(failure)).increment();
        Instant started = statement.started();
        Instant now = Instant.now();
        duration(statement.statement().query()).record((now.getEpochSecond() - started.getEpochSecond()) * 1_000_000_000L + now.getNano() - started.getNano(),
                TimeUnit.NANOSECONDS);
        rowsSent.increment(rows);
    }

    /** The duration timer of a plan's source; the last plan's is kept by identity (naming the source asks the plan for its statements). */
    private Timer duration(Optional<PreparedQuery> query)
    {
        PlanTimer last = lastPlan;
        PreparedQuery plan = query.orElse(null);
        if (last != null && last.plan() == plan) {
            return last.timer();
        }
        Timer timer = durations.computeIfAbsent(source(query), source -> Timer.builder("sekisho.statement.duration")
                .description("Statement run time, by the source that ran it (gateway: answered by the gateway itself, federated: several sources)")
                .tags("source", source)
                .publishPercentileHistogram()
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry));
        lastPlan = new PlanTimer(plan, timer);
        return timer;
    }

    private record PlanTimer(PreparedQuery plan, Timer timer)
    {
    }

    /** The statements counter of a front door and outcome, registered once (a registry lookup per statement costs a point lookup's time). */
    private Counter statements(String frontDoor, String outcome)
    {
        Map<String, Counter> byOutcome = statements.get(frontDoor);
        if (byOutcome == null) {
            byOutcome = statements.computeIfAbsent(frontDoor, door -> new ConcurrentHashMap<>());
        }
        Counter counter = byOutcome.get(outcome);
        if (counter != null) {
            return counter;
        }
        return byOutcome.computeIfAbsent(outcome, key -> Counter.builder("sekisho.statements")
                .description("Statements by outcome (ok, refused, cancelled, failed) and front door")
                .tags("front_door", frontDoor, "outcome", outcome)
                .register(registry));
    }

    private static String outcome(Optional<Throwable> failure)
    {
        if (failure.isEmpty()) {
            return "ok";
        }
        String sqlState = StatementFailures.toQueryException(failure.get()).sqlState();
        if (sqlState.equals("57014")) {
            return "cancelled";
        }
        if (sqlState.equals("42501") || sqlState.equals("25006") || sqlState.startsWith("53") || sqlState.startsWith("54")) {
            return "refused";
        }
        return "failed";
    }

    private static String source(Optional<PreparedQuery> query)
    {
        if (query.isEmpty()) {
            return "gateway";
        }
        List<SourceStatement> statements = query.get().sourceStatements();
        if (statements.size() == 1) {
            return statements.get(0).source();
        }
        return query.get().tablesRead().isEmpty() ? "gateway" : "federated";
    }

    /** Counts a policy reload that changed something: applied or rejected. */
    public void policyReloaded(ReloadResult result)
    {
        if (result.outcome() == ReloadResult.Outcome.UNCHANGED) {
            return;
        }
        policyReloads(result.isRejected() ? "rejected" : "applied").increment();
    }

    private Counter policyReloads(String outcome)
    {
        return Counter.builder("sekisho.policy.reloads")
                .description("Policy reloads by outcome (applied, rejected)")
                .tags("outcome", outcome)
                .register(registry);
    }

    /**
     * The caches' figures, read when Prometheus scrapes: hits, misses and evictions as counters
     * (their rates are the hit rate), entries, bytes and the hit ratio since start as gauges.
     */
    public void bindCaches(GatewayCaches caches)
    {
        requireNonNull(caches, "caches is null");
        Supplier<PlanCacheStats> plans = caches.plans();
        FunctionCounter.builder("sekisho.plan.cache.hits", plans, stats -> stats.get().hits())
                .description("Plan-cache lookups answered by a cached plan").register(registry);
        FunctionCounter.builder("sekisho.plan.cache.misses", plans, stats -> stats.get().misses())
                .description("Plan-cache lookups that planned the statement").register(registry);
        FunctionCounter.builder("sekisho.plan.cache.evictions", plans, stats -> stats.get().evictions())
                .description("Plans dropped to keep the plan cache within its bound").register(registry);
        Gauge.builder("sekisho.plan.cache.entries", plans, stats -> stats.get().entries())
                .description("Plans held").register(registry);
        Gauge.builder("sekisho.plan.cache.size", plans, stats -> stats.get().bytes())
                .description("Estimated size of the plans held").baseUnit("bytes").register(registry);
        Gauge.builder("sekisho.plan.cache.hit.ratio", plans, stats -> stats.get().hitRatio())
                .description("Plan-cache hits over lookups since start").register(registry);
        caches.results().ifPresent(cache -> {
            FunctionCounter.builder("sekisho.result.cache.hits", cache, results -> results.stats().hits())
                    .description("Source reads answered from the result cache").register(registry);
            FunctionCounter.builder("sekisho.result.cache.event.loop.hits", cache, results -> results.pinnedHits())
                    .description("Of the hits, those answered on the PostgreSQL front door's event loop without a worker").register(registry);
            FunctionCounter.builder("sekisho.result.cache.misses", cache, results -> results.stats().misses())
                    .description("Cacheable source reads that went to the source").register(registry);
            FunctionCounter.builder("sekisho.result.cache.bypasses", cache, results -> results.stats().bypasses())
                    .description("Source reads not cacheable (no TTL, non-deterministic, too large, session off)").register(registry);
            FunctionCounter.builder("sekisho.result.cache.evictions", cache, results -> results.stats().evictions())
                    .description("Results dropped to keep the cache within max_bytes or past their TTL").register(registry);
            FunctionCounter.builder("sekisho.result.cache.invalidations", cache, results -> results.stats().invalidations())
                    .description("Results dropped because their tables, the policies or the catalog changed").register(registry);
            Gauge.builder("sekisho.result.cache.entries", cache, results -> results.stats().entries())
                    .description("Results held").register(registry);
            Gauge.builder("sekisho.result.cache.size", cache, results -> results.stats().bytes())
                    .description("Estimated size of the results held").baseUnit("bytes").register(registry);
            Gauge.builder("sekisho.result.cache.hit.ratio", cache, results -> results.stats().hitRatio())
                    .description("Result-cache hits over cacheable reads since start").register(registry);
        });
    }

    /** The bytes of rows read ahead of their clients' next Execute that the sessions keep now, and may keep together. */
    public void bindReadAhead(ReadAheadBudget budget)
    {
        requireNonNull(budget, "budget is null");
        Gauge.builder("sekisho.read.ahead.kept", budget, ReadAheadBudget::usedBytes)
                .description("Bytes of rows read ahead of their clients' next Execute, kept by all sessions (protocol.read_ahead_total_bytes bounds it)")
                .baseUnit("bytes").register(registry);
        Gauge.builder("sekisho.read.ahead.limit", budget, ReadAheadBudget::totalBytes)
                .description("protocol.read_ahead_total_bytes").baseUnit("bytes").register(registry);
    }

    /**
     * Counts the statements a front door started at their sources on its event loops: answered there
     * without a worker ({@code sekisho_event_loop_statements_total}), or declined by the connector
     * after the start and run on a worker ({@code sekisho_event_loop_statement_declines_total}).
     */
    public void bindSourceAnswers(SourceAnswerCounts counts)
    {
        requireNonNull(counts, "counts is null");
        FunctionCounter.builder("sekisho.event.loop.statements", counts, SourceAnswerCounts::answeredCount)
                .description("Prepared statements the result cache did not answer, read from their source and answered on the PostgreSQL front door's "
                        + "event loop without a worker").register(registry);
        FunctionCounter.builder("sekisho.event.loop.statement.declines", counts, SourceAnswerCounts::declinedCount)
                .description("Statements started at their source on an event loop that the connector gave up on: a worker ran them").register(registry);
    }

    /** The metrics in Prometheus's text format, with the sources' servers read now. */
    public String scrape()
    {
        refreshServers();
        return registry.scrape();
    }

    private void refreshServers()
    {
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> lags = new ArrayList<>();
        List<MultiGauge.Row<?>> active = new ArrayList<>();
        for (Connector connector : connectors) {
            List<ServerStatus> servers;
            try {
                servers = connector.servers();
            }
            catch (RuntimeException e) {
                continue;
            }
            for (ServerStatus server : servers) {
                Tags tags = Tags.of("source", connector.name(), "server", server.name(), "role", server.role());
                for (String state : SERVER_STATES) {
                    states.add(MultiGauge.Row.of(tags.and("state", state), server.state().toLowerCase(Locale.ROOT).equals(state) ? 1 : 0));
                }
                if (server.lagSeconds().isPresent()) {
                    lags.add(MultiGauge.Row.of(tags, server.lagSeconds().getAsDouble()));
                }
                active.add(MultiGauge.Row.of(tags, server.activeConnections()));
            }
        }
        serverState.register(states, true);
        serverLag.register(lags, true);
        serverActive.register(active, true);
    }

    /** The registry, for meters other parts add. */
    public PrometheusMeterRegistry registry()
    {
        return registry;
    }
}
