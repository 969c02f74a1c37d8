package dev.sekisho.gateway.execution;

import java.util.List;

/**
 * Hears logins and the sessions they open, for every front door: the audit trail's login events
 * and the metrics' connection count plug in here. Called on the thread that authenticates, which
 * may be a network event loop: an implementation must return at once and never block. A listener
 * that throws is logged and otherwise ignored.
 */
public interface SessionListener
{
    /** Hears nothing. */
    SessionListener NONE = new SessionListener() {};

    /** A client authenticated and its session opened. */
    default void opened(SessionInfo session) {}

    /** A session ended. */
    default void closed(SessionInfo session) {}

    /**
     * A client failed to authenticate, or was refused before it could (TLS or a client certificate
     * required, a lock-out, a connection limit).
     *
     * @param user the user name it gave (never its password); empty when it gave none
     * @param sqlState what it was told, e.g. 28P01
     * @param reason why, which the client may not have been told
     */
    default void loginFailed(String user, ClientOrigin origin, String sqlState, LoginRefusal reason) {}

    /** Tells each of {@code listeners} in turn; one that throws does not stop the others. */
    static SessionListener all(List<SessionListener> listeners)
    {
        List<SessionListener> copy = List.copyOf(listeners);
        return new SessionListener()
        {
            @Override
            public void opened(SessionInfo session)
            {
                copy.forEach(listener -> Hooks.notifying(() -> listener.opened(session)));
            }

            @Override
            public void closed(SessionInfo session)
            {
                copy.forEach(listener -> Hooks.notifying(() -> listener.closed(session)));
            }

            @Override
            public void loginFailed(String user, ClientOrigin origin, String sqlState, LoginRefusal reason)
            {
                copy.forEach(listener -> Hooks.notifying(() -> listener.loginFailed(user, origin, sqlState, reason)));
            }
        };
    }
}
