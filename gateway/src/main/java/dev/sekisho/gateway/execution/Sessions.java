package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.session.CancelScheduler;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.policies.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Opens the gateway's client sessions, for every front door, and keeps the live ones by a random
 * key, so that a cancel (which arrives on another connection: PostgreSQL's CancelRequest carries the
 * process id and secret key of BackendKeyData) finds the session it means, and so that an admin's
 * change (a user removed from the users file) can close a user's sessions. The admin's
 * {@link Limits} apply here, whatever the front door: connections per user and group, and each
 * session's timeouts and result limits. Thread-safe.
 */
public final class Sessions
{
    private static final Logger log = LoggerFactory.getLogger(Sessions.class);

    private final QueryPlanner planner;
    private final SessionPolicies policies;
    private final List<String> defaultSearchPath;
    private final StatementPipeline pipeline;
    private final Optional<ResultCache> resultCache;
    private final Map<String, Connector> sources;
    private final Limits limits;
    private final ConnectionLimits connectionLimits;
    private final SessionListener listener;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();

    /** What a client presents to cancel a session's statement. */
    public record CancelKey(int processId, int secretKey) {}

    /**
     * How a front door ends one of its connections when the gateway decides to (a user removed from
     * the users file): it tells the client with a FATAL error and closes. Called from any thread;
     * must not block.
     */
    @FunctionalInterface
    public interface Disconnect
    {
        /** Does nothing (a session without a connection of its own, in tests). */
        Disconnect NONE = (sqlState, message) -> {};

        void disconnect(String sqlState, String message);
    }

    private record Entry(ClientSession session, int secretKey, Disconnect disconnect) {}

    /**
     * @param planner plans the statements the gateway does not answer itself
     * @param policies which policy applies to each statement of each session
     * @param defaultSearchPath schemas for unqualified table names while a session has not SET search_path
     * @param pipeline the path every statement takes, with its hooks
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline)
    {
        this(planner, policies, defaultSearchPath, pipeline, Limits.NONE);
    }

    /**
     * @param limits the admin's limits per user and group ({@code limits:} in sekisho.yaml)
     * @see #Sessions(QueryPlanner, SessionPolicies, List, StatementPipeline)
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline, Limits limits)
    {
        this(planner, policies, defaultSearchPath, pipeline, limits, SessionListener.NONE);
    }

    /**
     * @param listener hears logins, failed ones too, and the sessions that open and close
     * @see #Sessions(QueryPlanner, SessionPolicies, List, StatementPipeline, Limits)
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline, Limits limits,
            SessionListener listener)
    {
        this(planner, policies, defaultSearchPath, pipeline, limits, listener, Optional.empty());
    }

    /**
     * @param resultCache the gateway's result cache (for {@code SHOW sekisho.cache}); empty when none is configured
     * @see #Sessions(QueryPlanner, SessionPolicies, List, StatementPipeline, Limits, SessionListener)
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline, Limits limits,
            SessionListener listener, Optional<ResultCache> resultCache)
    {
        this(planner, policies, defaultSearchPath, pipeline, limits, listener, resultCache, List.of());
    }

    /**
     * @param sources the sources as the planner reaches them (behind the result cache when there is
     *         one), whose statements a session may start on a front door's I/O thread
     *         ({@link ClientSession#startWithoutWorker}); none: every statement runs on a worker
     * @see #Sessions(QueryPlanner, SessionPolicies, List, StatementPipeline, Limits, SessionListener, Optional)
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline, Limits limits,
            SessionListener listener, Optional<ResultCache> resultCache, List<Connector> sources)
    {
        this.sources = sources.stream().filter(Sessions::mayRunWithoutBlocking).collect(Collectors.toUnmodifiableMap(Connector::name, Function.identity()));
        this.resultCache = requireNonNull(resultCache, "resultCache is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.defaultSearchPath = List.copyOf(defaultSearchPath);
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.connectionLimits = new ConnectionLimits(limits);
    }

    /**
     * Whether {@code connector} may run any statement without blocking
     * ({@link Connector#mayStartWithoutBlocking}, which wrappers answer for the source inside): one
     * that never does is never asked, so that a gateway whose sources cannot do it spends nothing
     * on its I/O threads to find out statement by statement.
     */
    static boolean mayRunWithoutBlocking(Connector connector)
    {
        return connector.mayStartWithoutBlocking();
    }

    /**
     * Opens a session for an authenticated principal, registered under a fresh random key; closing
     * the session unregisters it.
     *
     * @param database the database the client asked for, if any
     * @param settings the client's initial settings (startup parameters such as TimeZone or application_name)
     */
    public ClientSession open(Principal principal, Optional<String> database, Map<String, String> settings)
    {
        return open(principal, database, settings, Disconnect.NONE);
    }

    /**
     * Opens a session whose connection the gateway can end ({@link #terminateUsers}).
     *
     * @param disconnect how the front door ends the session's connection
     * @throws dev.sekisho.planner.spi.QueryException 53300 when the user or one of its groups holds
     *         as many sessions as its limit allows
     */
    public ClientSession open(Principal principal, Optional<String> database, Map<String, String> settings, Disconnect disconnect)
    {
        return open(principal, database, settings, disconnect, ClientOrigin.UNKNOWN);
    }

    /**
     * Opens a session as {@link #open(Principal, Optional, Map, Disconnect)} does, for a client
     * from {@code origin} (for the audit trail, the metrics and the admin endpoint).
     */
    public ClientSession open(Principal principal, Optional<String> database, Map<String, String> settings, Disconnect disconnect, ClientOrigin origin)
    {
        requireNonNull(disconnect, "disconnect is null");
        requireNonNull(origin, "origin is null");
        ConnectionLimits.Slot slot;
        try {
            slot = connectionLimits.acquire(principal);
        }
        catch (QueryException e) {
            loginFailed(principal.name(), origin, e.sqlState(), LoginRefusal.CONNECTION_LIMIT);
            throw e;
        }
        try {
            Session session = new Session(principal, planner, policies, defaultSearchPath, database, settings, limits.sessionLimits(principal), resultCache);
            while (true) {
                int processId = random.nextInt(Integer.MAX_VALUE - 1) + 1;
                int secretKey = random.nextInt();
                CancelKey key = new CancelKey(processId, secretKey);
                ClientSession opened = new ClientSession(session, pipeline, this, key, slot, new SessionInfo(processId, principal, origin, Instant.now()),
                        resultCache, sources);
                if (sessions.putIfAbsent(processId, new Entry(opened, secretKey, disconnect)) == null) {
                    Hooks.notifying(() -> listener.opened(opened.info()));
                    return opened;
                }
            }
        }
        catch (RuntimeException | Error e) {
            slot.close();
            throw e;
        }
    }

    void unregister(ClientSession session)
    {
        CancelKey key = session.cancelKey();
        boolean[] removed = new boolean[1];
        sessions.computeIfPresent(key.processId(), (pid, entry) -> {
            if (entry.session() == session) {
                removed[0] = true;
                return null;
            }
            return entry;
        });
        if (removed[0]) {
            Hooks.notifying(() -> listener.closed(session.info()));
        }
    }

    /** A front door tells that a client failed to authenticate or was refused before (for the audit trail and metrics). */
    public void loginFailed(String user, ClientOrigin origin, String sqlState, LoginRefusal reason)
    {
        Hooks.notifying(() -> listener.loginFailed(user, origin, sqlState, reason));
    }

    /** The live sessions, for the admin endpoint. */
    public List<ClientSession> live()
    {
        return sessions.values().stream().map(Entry::session).toList();
    }

    /**
     * Cancels the running statement of session {@code id} without its secret key: for an admin,
     * who is authenticated by the admin endpoint.
     *
     * @return whether a statement was running
     */
    public boolean cancelById(int id)
    {
        Entry entry = sessions.get(id);
        return entry != null && entry.session().cancel();
    }

    /**
     * Closes every session of the users named, each with its reason: what the session runs is
     * cancelled and its client gets FATAL 57P01 ("terminating connection due to administrator
     * command") before its connection closes.
     *
     * @param reasons why, by user name (e.g. {@code user "bob" was removed from the users file})
     * @return how many sessions were closed
     */
    public int terminateUsers(Map<String, String> reasons)
    {
        int closed = 0;
        for (Entry entry : sessions.values()) {
            String reason = reasons.get(entry.session().principal().name());
            if (reason == null) {
                continue;
            }
            closed++;
            entry.session().terminate();
            entry.disconnect().disconnect(SqlStates.ADMIN_SHUTDOWN, "terminating connection due to administrator command: " + reason);
        }
        if (closed > 0) {
            log.info("Closed {} session(s) of {}", closed, reasons.keySet());
        }
        return closed;
    }

    /**
     * Cancels the running statement of the session with this key.
     *
     * @return whether a session matched (the client is never told, as in PostgreSQL)
     */
    public boolean cancel(int processId, int secretKey)
    {
        Entry entry = sessions.get(processId);
        if (entry == null || !MessageDigest.isEqual(intBytes(entry.secretKey()), intBytes(secretKey))) {
            return false;
        }
        // the request arrives on a front door's I/O thread; a source's cancel may wait on the network
        CancelScheduler.execute(entry.session()::cancel);
        return true;
    }

    /** How many sessions are live. */
    public int size()
    {
        return sessions.size();
    }

    private static byte[] intBytes(int value)
    {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
