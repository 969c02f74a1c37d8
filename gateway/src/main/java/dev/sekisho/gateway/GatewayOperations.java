package dev.sekisho.gateway;

import dev.sekisho.gateway.admin.AdminEndpoint;
import dev.sekisho.gateway.admin.RecentStatements;
import dev.sekisho.gateway.admin.SessionActivity;
import dev.sekisho.gateway.audit.AuditEvent;
import dev.sekisho.gateway.audit.AuditListener;
import dev.sekisho.gateway.audit.AuditLog;
import dev.sekisho.gateway.audit.RotatingAuditFile;
import dev.sekisho.gateway.audit.ServerRoles;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.execution.SessionListener;
import dev.sekisho.gateway.guard.CostGuard;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementListener;
import dev.sekisho.gateway.metrics.GatewayCaches;
import dev.sekisho.gateway.metrics.GatewayMetrics;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.planner.spi.Connector;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What operations hang on a running gateway: the audit trail, the metrics, and the admin endpoint
 * with the page; kept out of {@link Gateway} so that its start-up stays about serving. The
 * listeners are wired before the front doors open, so the first login is already recorded.
 */
final class GatewayOperations
        implements AutoCloseable
{
    private static final int RECENT_STATEMENTS = 200;

    private final SekishoConfig config;
    private final List<Connector> connectors;
    private final Optional<GatewayPolicies> policies;
    private final Clock clock;
    private final Optional<AuditLog> auditLog;
    private final AuditListener audit;
    private final GatewayMetrics metrics;
    private final GatewayCaches caches;
    /** Whether anything reads audit events: the audit file, or the admin endpoint's recent statements and budgets. */
    private final boolean auditRead;
    private final SessionActivity activity = new SessionActivity();
    private final RecentStatements recent;
    private Optional<AdminEndpoint> admin = Optional.empty();

    private GatewayOperations(SekishoConfig config, List<Connector> connectors, Optional<GatewayPolicies> policies, GatewayCaches caches, Clock clock)
    {
        this.caches = requireNonNull(caches, "caches is null");
        this.config = requireNonNull(config, "config is null");
        this.connectors = List.copyOf(connectors);
        this.policies = requireNonNull(policies, "policies is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.recent = new RecentStatements(RECENT_STATEMENTS, clock);
        this.auditLog = config.operations().audit().map(audit ->
                AuditLog.start(new RotatingAuditFile(audit.file(), audit.maxFileBytes(), audit.maxFiles(), clock), audit.queueSize(), clock));
        Consumer<AuditEvent> sink = auditLog.<Consumer<AuditEvent>>map(log -> event -> {
            log.record(event);
            recent.accept(event);
        }).orElse(recent);
        this.audit = new AuditListener(sink, clock, () -> policies.map(live -> live.store().current().version()), caches.results().isPresent(),
                ServerRoles.of(connectors));
        this.auditRead = auditLog.isPresent() || config.operations().admin().isPresent();
        this.metrics = new GatewayMetrics(connectors, auditLog);
        metrics.bindCaches(caches);
        policies.ifPresent(live -> live.addListener(result -> {
            audit.policyReloaded(result, "reload");
            metrics.policyReloaded(result);
        }));
    }

    /**
     * @param caches the plan and result caches, for the metrics, the admin endpoint and the audit trail's {@code cache_hit}
     */
    static GatewayOperations start(SekishoConfig config, List<Connector> connectors, Optional<GatewayPolicies> policies, GatewayCaches caches, Clock clock)
    {
        return new GatewayOperations(config, connectors, policies, caches, clock);
    }

    /**
     * What hears every statement. Audit events (a digest, the annotation, the source statements)
     * are built only when something reads them: without an audit file or an admin endpoint they
     * cost a point lookup more than its planning did. What each session runs now is kept only for
     * the admin endpoint, its one reader.
     */
    StatementListener statementListener()
    {
        List<StatementListener> listeners = new ArrayList<>();
        if (auditRead) {
            listeners.add(audit);
        }
        listeners.add(metrics);
        if (config.operations().admin().isPresent()) {
            listeners.add(activity);
        }
        return StatementListener.all(listeners);
    }

    SessionListener sessionListener()
    {
        return SessionListener.all(auditRead ? List.of(audit, metrics) : List.of(metrics));
    }

    /** Starts the admin endpoint when the configuration has an {@code admin:} section. */
    void startAdmin(UserStore users, Sessions sessions, Optional<CostGuard> costGuard)
    {
        Supplier<List<CostGuard.TeamUsage>> teamUsage = () -> costGuard.map(CostGuard::teamUsage).orElse(List.of());
        admin = config.operations().admin().map(adminConfig -> AdminEndpoint.start(adminConfig, config.file().toString(), users, sessions, activity,
                recent, connectors, policies, metrics, caches, auditLog.isPresent() ? Optional.of(audit) : Optional.empty(), teamUsage, clock));
    }

    Optional<Integer> adminPort()
    {
        return admin.map(AdminEndpoint::port);
    }

    GatewayMetrics metrics()
    {
        return metrics;
    }

    /** Stops the admin endpoint, then flushes the audit trail; called after the front doors closed, so the last statements are in it. */
    @Override
    public void close()
    {
        admin.ifPresent(AdminEndpoint::close);
        auditLog.ifPresent(AuditLog::close);
    }
}
