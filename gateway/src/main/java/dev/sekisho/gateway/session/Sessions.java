package dev.sekisho.gateway.session;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The live sessions, keyed by the process id and secret key handed out in BackendKeyData, so that a
 * CancelRequest (which arrives on a new connection) finds the session it means. Thread-safe.
 */
public final class Sessions
{
    private final SecureRandom random = new SecureRandom();
    private final Map<Integer, Entry> sessions = new ConcurrentHashMap<>();

    /** The key a client presents to cancel a session's statement. */
    public record BackendKey(int processId, int secretKey) {}

    private record Entry(Session session, int secretKey) {}

    /** Registers a session under a fresh random process id and secret key. */
    public BackendKey register(Session session)
    {
        requireNonNull(session, "session is null");
        while (true) {
            int processId = random.nextInt(Integer.MAX_VALUE - 1) + 1;
            int secretKey = random.nextInt();
            if (sessions.putIfAbsent(processId, new Entry(session, secretKey)) == null) {
                return new BackendKey(processId, secretKey);
            }
        }
    }

    public void unregister(BackendKey key)
    {
        sessions.computeIfPresent(key.processId(), (pid, entry) -> entry.secretKey() == key.secretKey() ? null : entry);
    }

    /**
     * Handles a CancelRequest: cancels the running statement of the session with this key.
     *
     * @return whether a session matched (the client is never told, as in PostgreSQL)
     */
    public boolean cancel(int processId, int secretKey)
    {
        Entry entry = sessions.get(processId);
        if (entry == null || !java.security.MessageDigest.isEqual(intBytes(entry.secretKey()), intBytes(secretKey))) {
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
