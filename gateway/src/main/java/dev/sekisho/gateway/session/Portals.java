package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The session's open portals by name: those made by Bind and the SQL cursors made by DECLARE.
 * Closing a portal closes its rows and releases what its statement holds at the sources.
 */
final class Portals
{
    private final Map<String, Portal> portals = new HashMap<>();
    private final RunningStatements running;

    Portals(RunningStatements running)
    {
        this.running = requireNonNull(running, "running is null");
    }

    /** The portal named {@code name} (Describe and Execute of a portal). */
    Portal get(String name)
    {
        Portal portal = portals.get(name);
        if (portal == null) {
            throw new QueryException(SqlStates.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
        }
        return portal;
    }

    /** The SQL cursor named {@code name} (FETCH, MOVE, CLOSE). */
    Portal cursor(String name)
    {
        Portal cursor = portals.get(name);
        if (cursor == null || name.isEmpty()) {
            throw new QueryException(SqlStates.INVALID_CURSOR_NAME, "cursor \"" + name + "\" does not exist");
        }
        return cursor;
    }

    /** The portal named {@code name}, or null. */
    Portal find(String name)
    {
        return portals.get(name);
    }

    boolean contains(String name)
    {
        return portals.containsKey(name);
    }

    /** Keeps {@code portal} under its name; a portal of that name (the unnamed one) is closed first. */
    void add(Portal portal)
    {
        close(portal.name());
        portals.put(portal.name(), portal);
    }

    /** Closes the portal named {@code name}; closing one that does not exist is not an error. */
    void close(String name)
    {
        Portal portal = portals.remove(name);
        if (portal != null) {
            close(portal);
        }
    }

    /** Closes {@code portal} and forgets it, if it is still the one under its name. */
    void discard(Portal portal)
    {
        if (portals.get(portal.name()) == portal) {
            portals.remove(portal.name());
        }
        close(portal);
    }

    /** CLOSE ALL, DISCARD ALL: every portal but {@code keep} (the statement doing it). */
    void closeAll(Portal keep)
    {
        for (Portal portal : List.copyOf(portals.values())) {
            if (portal != keep) {
                portals.remove(portal.name());
                close(portal);
            }
        }
    }

    /**
     * The transaction ended: WITH HOLD cursors survive a commit (and a rollback, if they were
     * declared before the transaction); every other portal but {@code keep} closes.
     */
    void endTransaction(boolean commit, Portal keep)
    {
        for (Portal portal : List.copyOf(portals.values())) {
            if (portal == keep) {
                continue;
            }
            if (portal.isHoldable() && (commit || !portal.isPending())) {
                portal.committed();
                continue;
            }
            portals.remove(portal.name());
            close(portal);
        }
    }

    /** Marks a portal's rows as all read: its stream is closed and its statement has ended. */
    void completed(Portal portal)
    {
        portal.markExhausted();
        if (portal.context() != null) {
            running.finish(portal.context());
        }
    }

    private void close(Portal portal)
    {
        try {
            portal.close();
        }
        finally {
            if (portal.context() != null) {
                running.finish(portal.context());
            }
        }
    }
}
