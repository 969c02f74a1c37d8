package dev.sekisho.gateway.audit;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ServerStatus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The role ({@code primary} or {@code replica}) a source's configuration gives each of its
 * servers, so that the audit trail and the usage report's replica offload share never guess it from
 * a server's name (a primary may be named anything).
 */
@FunctionalInterface
public interface ServerRoles
{
    /** Knows no roles. */
    ServerRoles NONE = (source, server) -> Optional.empty();

    /** The role of {@code server} of {@code source}, when the source says. */
    Optional<String> role(String source, String server);

    /**
     * The roles the connectors report, asked once per server (roles are configuration: they do not
     * change while the gateway runs); a source that cannot say now is asked again next time.
     */
    static ServerRoles of(List<Connector> connectors)
    {
        Map<String, Connector> bySource = connectors.stream().collect(Collectors.toMap(Connector::name, Function.identity(), (first, second) -> first));
        Map<String, String> known = new ConcurrentHashMap<>();
        return (source, server) -> {
            String key = source + "\u0000" + server;
            String role = known.get(key);
            Connector connector = bySource.get(source);
            if (role == null && connector != null) {
                try {
                    for (ServerStatus status : connector.servers()) {
                        known.put(source + "\u0000" + status.name(), status.role());
                    }
                }
                catch (RuntimeException e) {
                    return Optional.empty();
                }
                role = known.get(key);
            }
            return Optional.ofNullable(role);
        };
    }
}
