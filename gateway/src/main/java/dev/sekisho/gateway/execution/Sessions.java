package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.policies.Principal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Opens the gateway's client sessions, for every front door, and keeps the live ones by a random
 * key, so that a cancel (which arrives on another connection: PostgreSQL's CancelRequest carries the
 * process id and secret key of BackendKeyData) finds the session it means. Thread-safe.
 */
public final class Sessions
{
    private final QueryPlanner planner;
    private final SessionPolicies policies;
    private final List<String> defaultSearchPath;
    private final StatementPipeline pipeline;
    private final Optional<ResultCache> resultCache;
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();

    /** What a client presents to cancel a session's statement. */
    public record CancelKey(int processId, int secretKey) {}

    private record Entry(ClientSession session, int secretKey) {}

    /**
     * @param planner plans the statements the gateway does not answer itself
     * @param policies which policy applies to each statement of each session
     * @param defaultSearchPath schemas for unqualified table names while a session has not SET search_path
     * @param pipeline the path every statement takes, with its hooks
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline)
    {
        this(planner, policies, defaultSearchPath, pipeline, Optional.empty());
    }

    /**
     * @param resultCache the gateway's result cache (for {@code SHOW sekisho.cache}); empty when none is configured
     */
    public Sessions(QueryPlanner planner, SessionPolicies policies, List<String> defaultSearchPath, StatementPipeline pipeline, Optional<ResultCache> resultCache)
    {
        this.resultCache = requireNonNull(resultCache, "resultCache is null");
        this.planner = requireNonNull(planner, "planner is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.defaultSearchPath = List.copyOf(defaultSearchPath);
        this.pipeline = requireNonNull(pipeline, "pipeline is null");
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
        Session session = new Session(principal, planner, policies, defaultSearchPath, database, settings, resultCache);
        while (true) {
            int processId = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            int secretKey = random.nextInt();
            CancelKey key = new CancelKey(processId, secretKey);
            ClientSession opened = new ClientSession(session, pipeline, this, key);
            if (sessions.putIfAbsent(processId, new Entry(opened, secretKey)) == null) {
                return opened;
            }
        }
    }

    void unregister(CancelKey key)
    {
        sessions.computeIfPresent(key.processId(), (pid, entry) -> entry.secretKey() == key.secretKey() ? null : entry);
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
        entry.session().cancel();
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
