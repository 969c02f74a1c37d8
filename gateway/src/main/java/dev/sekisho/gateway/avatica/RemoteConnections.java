package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.ClientOrigin;
import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.session.CancelScheduler;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.Principal;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * The open Avatica connections by the id the client chose, each tied to the principal that opened
 * it: a request of another user naming the same id is refused (28000), so that knowing an id is
 * never enough to use someone's session. Sessions come from the gateway's {@link Sessions} (the
 * admin endpoint lists and cancels them, a user removed from the users file loses them), and each
 * connection counts in {@link ClientConnections}, the limit both front doors share. Thread-safe.
 */
final class RemoteConnections
{
    private static final Logger log = LoggerFactory.getLogger(RemoteConnections.class);

    private final Sessions sessions;
    private final ClientConnections clientConnections;
    private final Map<String, RemoteConnection> connections = new ConcurrentHashMap<>();

    /** @param clientConnections the connections of both front doors, against {@code protocol.max_connections} */
    RemoteConnections(Sessions sessions, ClientConnections clientConnections)
    {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.clientConnections = requireNonNull(clientConnections, "clientConnections is null");
    }

    /** Opens a session for {@code principal}, a client at {@code origin}, under the client's connection id. */
    RemoteConnection open(String id, Principal principal, ClientOrigin origin, Map<String, String> settings)
    {
        RemoteConnection existing = connections.get(id);
        if (existing != null) {
            checkOwner(existing, principal);
            return existing;
        }
        if (!clientConnections.tryOpen()) {
            throw AvaticaErrors.error(SqlStates.TOO_MANY_CONNECTIONS, "sorry, too many clients already", null);
        }
        ClientSession session;
        AtomicReference<RemoteConnection> opened = new AtomicReference<>();
        try {
            // the gateway ends the connection (its user was removed from the users file): the next request finds it gone
            session = sessions.open(principal, Optional.empty(), settings, (sqlState, message) -> {
                RemoteConnection connection = opened.get();
                if (connection != null) {
                    CancelScheduler.execute(() -> closeNow(connection));
                }
            }, origin);
        }
        catch (RuntimeException | Error e) {
            clientConnections.closed();
            throw e;
        }
        RemoteConnection connection = new RemoteConnection(id, principal.name(), session);
        opened.set(connection);
        RemoteConnection raced = connections.putIfAbsent(id, connection);
        if (raced != null) {
            session.close();
            clientConnections.closed();
            checkOwner(raced, principal);
            return raced;
        }
        log.debug("User {} opened Avatica connection {}", principal.name(), id);
        return connection;
    }

    /** The connection {@code id}, if {@code principal} opened it. */
    RemoteConnection get(String id, Principal principal)
    {
        RemoteConnection connection = connections.get(id);
        if (connection == null) {
            throw new NoSuchConnectionException(id);
        }
        checkOwner(connection, principal);
        return connection;
    }

    /** Forgets a connection and closes its session (under the connection's lock). */
    void close(RemoteConnection connection)
    {
        if (connections.remove(connection.id(), connection)) {
            clientConnections.closed();
        }
        connection.markClosed();
        try {
            connection.session().close();
        }
        catch (RuntimeException e) {
            log.warn("Closing the session of Avatica connection {} failed", connection.id(), e);
        }
    }

    /** Closes the connections nobody used for {@code idleNanos}; returns how many. */
    int expire(long idleNanos)
    {
        long now = System.nanoTime();
        List<RemoteConnection> idle = new ArrayList<>();
        connections.values().forEach(connection -> {
            if (connection.isIdle(now, idleNanos)) {
                idle.add(connection);
            }
        });
        int closed = 0;
        for (RemoteConnection connection : idle) {
            if (connection.lockForClose(0)) {
                try {
                    close(connection);
                    closed++;
                    log.info("Closed Avatica connection {} of user {}: idle for longer than the idle timeout", connection.id(), connection.user());
                }
                finally {
                    connection.unlock();
                }
            }
        }
        return closed;
    }

    /** Closes every connection (the server stops). */
    void closeAll()
    {
        List.copyOf(connections.values()).forEach(this::closeNow);
    }

    /**
     * The connection with this id if it holds source connections now (an open result between
     * fetches): its next request must not wait behind statements that wait for those very
     * connections. Names no owner: only the thread a request runs on depends on it.
     */
    Optional<RemoteConnection> holdingSourceConnections(String id)
    {
        RemoteConnection connection = connections.get(id);
        return connection != null && connection.session().holdsSourceConnections() ? Optional.of(connection) : Optional.empty();
    }

    /** Closes a connection, cancelling what it runs (blocks until a running request lets go). */
    private void closeNow(RemoteConnection connection)
    {
        if (connection.lockForClose(0)) {
            try {
                close(connection);
            }
            finally {
                connection.unlock();
            }
        }
    }

    int size()
    {
        return connections.size();
    }

    private static void checkOwner(RemoteConnection connection, Principal principal)
    {
        if (!connection.user().equals(principal.name())) {
            throw AvaticaErrors.error(SqlStates.INVALID_AUTHORIZATION_SPECIFICATION, "connection " + connection.id() + " belongs to another user",
                    "Open a connection of your own.");
        }
    }
}
