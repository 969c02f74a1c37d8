package dev.sekisho.gateway;

import dev.sekisho.gateway.audit.AuditListener;
import dev.sekisho.gateway.audit.AuditLog;
import dev.sekisho.gateway.audit.RotatingAuditFile;
import dev.sekisho.gateway.config.OperationsConfig;
import dev.sekisho.gateway.execution.SessionListener;
import dev.sekisho.gateway.execution.StatementListener;
import dev.sekisho.gateway.policy.GatewayPolicies;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What operations hang on a running gateway: the audit trail now; kept out of {@link Gateway} so
 * that its start-up stays about serving. Listeners are wired before the front doors open, so the
 * first login is already recorded.
 */
final class GatewayOperations
        implements AutoCloseable
{
    private final Optional<AuditLog> auditLog;
    private final Optional<AuditListener> audit;

    private GatewayOperations(Optional<AuditLog> auditLog, Optional<AuditListener> audit)
    {
        this.auditLog = requireNonNull(auditLog, "auditLog is null");
        this.audit = requireNonNull(audit, "audit is null");
    }

    static GatewayOperations start(OperationsConfig config, Optional<GatewayPolicies> policies, Clock clock)
    {
        Optional<AuditLog> auditLog = config.audit().map(audit ->
                AuditLog.start(new RotatingAuditFile(audit.file(), audit.maxFileBytes(), audit.maxFiles(), clock), audit.queueSize(), clock));
        Optional<AuditListener> listener = auditLog.map(log -> new AuditListener(log, clock,
                () -> policies.map(live -> live.store().current().version())));
        listener.ifPresent(audit -> policies.ifPresent(live -> live.addListener(result -> audit.policyReloaded(result, "reload"))));
        return new GatewayOperations(auditLog, listener);
    }

    StatementListener statementListener()
    {
        List<StatementListener> listeners = new ArrayList<>();
        audit.ifPresent(listeners::add);
        return StatementListener.all(listeners);
    }

    SessionListener sessionListener()
    {
        List<SessionListener> listeners = new ArrayList<>();
        audit.ifPresent(listeners::add);
        return SessionListener.all(listeners);
    }

    Optional<AuditLog> auditLog()
    {
        return auditLog;
    }

    Optional<AuditListener> audit()
    {
        return audit;
    }

    /** Flushes the audit trail; called after the front doors closed, so the last statements are in it. */
    @Override
    public void close()
    {
        auditLog.ifPresent(AuditLog::close);
    }
}
