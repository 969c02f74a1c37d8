package dev.sekisho.gateway.admin;

import dev.sekisho.gateway.audit.AuditListener;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.OperationsConfig;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.guard.CostGuard;
import dev.sekisho.gateway.metrics.GatewayCaches;
import dev.sekisho.gateway.metrics.GatewayMetrics;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.planner.spi.Connector;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;

import javax.net.ssl.SSLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** The running admin endpoint: its server and the replica-lag sampler behind the page's chart. */
public final class AdminEndpoint
        implements AutoCloseable
{
    private static final Duration LAG_SAMPLE_INTERVAL = Duration.ofSeconds(15);

    private final AdminServer server;
    private final ScheduledExecutorService sampler;
    private final int port;

    private AdminEndpoint(AdminServer server, ScheduledExecutorService sampler, int port)
    {
        this.server = requireNonNull(server, "server is null");
        this.sampler = requireNonNull(sampler, "sampler is null");
        this.port = port;
    }

    /**
     * Starts the endpoint.
     *
     * @param configFile names the configuration in errors (an unreadable TLS key)
     */
    public static AdminEndpoint start(OperationsConfig.Admin config, String configFile, UserStore users, Sessions sessions, SessionActivity activity,
            RecentStatements recent, List<Connector> connectors, Optional<GatewayPolicies> policies, GatewayMetrics metrics, GatewayCaches caches,
            Optional<AuditListener> audit, Supplier<List<CostGuard.TeamUsage>> teamUsage, Clock clock)
    {
        Optional<SslContext> tls = config.tls().map(files -> {
            try {
                return SslContextBuilder.forServer(files.certFile().toFile(), files.keyFile().toFile()).build();
            }
            catch (SSLException | IllegalArgumentException e) {
                throw new ConfigException(configFile, files.line(), "admin.tls", "cannot load the certificate or key: " + e.getMessage());
            }
        });
        ReplicaHistory history = new ReplicaHistory(connectors, clock, Duration.ofHours(1));
        AdminApi api = new AdminApi(new AdminAuthenticator(users, config.groups()), sessions, activity, recent, history, connectors, policies, metrics,
                caches, audit, teamUsage, clock);
        AdminServer server = new AdminServer(api, config.host(), config.port(), tls,
                config.tls().map(OperationsConfig.Tls::plainHttp).orElse(OperationsConfig.PlainHttp.REFUSE));
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("sekisho-admin-sampler", true));
        sampler.scheduleAtFixedRate(history::sample, 0, LAG_SAMPLE_INTERVAL.toSeconds(), TimeUnit.SECONDS);
        try {
            return new AdminEndpoint(server, sampler, server.start());
        }
        catch (RuntimeException e) {
            sampler.shutdownNow();
            throw e;
        }
    }

    /** The bound port (useful when the configuration asked for port 0). */
    public int port()
    {
        return port;
    }

    @Override
    public void close()
    {
        sampler.shutdownNow();
        server.close();
    }
}
