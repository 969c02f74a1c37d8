package dev.sekisho.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.metrics.GatewayCaches;
import dev.sekisho.gateway.metrics.GatewayMetrics;
import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SqlDialectKind;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /ready} answers 503 with the reason while no source has a server it can reach (a load
 * balancer keeps the gateway out of rotation), and 200 once one has, without a password either way.
 */
class TestAdminReadiness
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A source whose servers are in whatever state the test sets. */
    private static final class SourceWithServers
            implements Connector
    {
        final AtomicReference<String> state = new AtomicReference<>("down");

        @Override
        public String name()
        {
            return "shop";
        }

        @Override
        public SqlDialectKind dialect()
        {
            return SqlDialectKind.MYSQL;
        }

        @Override
        public ConnectorMetadata metadata()
        {
            throw new UnsupportedOperationException("not needed for readiness");
        }

        @Override
        public ResultStream execute(BackendQuery query, ExecutionContext context)
        {
            throw new UnsupportedOperationException("not needed for readiness");
        }

        @Override
        public List<ServerStatus> servers()
        {
            return List.of(new ServerStatus("db-main", "primary", "down", 0, 0, 4, 0, OptionalDouble.empty(), Optional.of("connection refused")),
                    new ServerStatus("r1", "replica", state.get(), 0, 0, 4, 0, OptionalDouble.empty(), Optional.empty()));
        }

        @Override
        public void close() {}
    }

    @Test
    void notReadyWhileNoSourceIsReachable()
            throws IOException
    {
        SourceWithServers source = new SourceWithServers();
        Clock clock = Clock.systemUTC();
        Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults());
        AdminApi api = new AdminApi(new AdminAuthenticator(UserStore.of(Map.of()), Set.of("admins")), sessions, new SessionActivity(),
                new RecentStatements(10, clock), new ReplicaHistory(List.of(source), clock, Duration.ofHours(1)), List.of(source), Optional.empty(),
                new GatewayMetrics(List.of(source), Optional.empty()), GatewayCaches.NONE, Optional.empty(), List::of, clock);
        AdminRequest ready = new AdminRequest("GET", "/ready", Optional.empty(), Optional.of("127.0.0.1:1"));

        AdminResponse down = api.handle(ready);
        assertThat(down.status()).isEqualTo(503);
        JsonNode notReady = JSON.readTree(down.body());
        assertThat(notReady.get("ready").asBoolean()).isFalse();
        assertThat(notReady.get("reasons").toString()).isEqualTo("[\"no source has a reachable server\"]");

        source.state.set("lagging");
        AdminResponse lagging = api.handle(ready);
        assertThat(lagging.status()).isEqualTo(200);
        JsonNode isReady = JSON.readTree(lagging.body());
        assertThat(isReady.get("ready").asBoolean()).isTrue();
        assertThat(isReady.get("reasons").toString()).isEqualTo("[]");

        // health says only that the process answers
        assertThat(api.handle(new AdminRequest("GET", "/health", Optional.empty(), Optional.empty())).status()).isEqualTo(200);
    }
}
