package dev.sekisho.connectors.mysql;

import com.mysql.cj.jdbc.JdbcConnection;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The prepared statements each pooled (physical) Connector/J connection keeps open between the
 * statements it serves, by SQL text: a repeated point lookup runs its connection's statement
 * again instead of asking Connector/J and HikariCP for one and closing it after every run.
 *
 * <p>Why not Connector/J's own statement cache ({@code cachePrepStmts}): taking a statement out of
 * it and putting it back cost a point lookup about 5 % of its CPU (the SQL's parse for
 * {@code nativeSQL} and for whether the server can prepare it, the cache's LRU, HikariCP's statement
 * proxy and its tracking, the statement's close); the statement itself is the same. Statements are
 * prepared on the physical connection, so HikariCP neither wraps nor closes them.
 *
 * <p>Lifetime: a statement lives as long as its connection. A connection HikariCP closes or evicts,
 * or one that is aborted, closes its statements with it (Connector/J closes a connection's open
 * statements); a closed connection is never lent again, and a statement found closed is prepared
 * afresh. The pool's guard forgets the closed connections ({@link #forgetClosedConnections}). Each
 * connection keeps at most {@link #PER_CONNECTION} texts, the least recently run closed first
 * (back into Connector/J's cache, which closes it on the server in its own time).
 *
 * <p>Only the connection's current borrower touches its statements: HikariCP lends a connection
 * to one lease at a time, and hands it over with a happens-before edge.
 */
final class KeptStatements
{
    /** Statement texts each connection keeps open at most. */
    static final int PER_CONNECTION = 64;

    private final Map<JdbcConnection, Statements> connections = new ConcurrentHashMap<>();
    private final LongAdder prepared = new LongAdder();

    /**
     * The connection's statement for {@code sql} (forward-only, read-only), prepared by Connector/J
     * as {@code prepareStatement} prepares it the first time the connection runs the text. The
     * caller must be the connection's borrower, bind every parameter and set the fetch size before each
     * run, and never close it.
     */
    PreparedStatement statement(JdbcConnection connection, String sql)
            throws SQLException
    {
        Statements kept = connections.get(connection);
        if (kept == null) {
            kept = new Statements();
            connections.put(connection, kept);
        }
        PreparedStatement statement = kept.get(sql);
        if (statement != null && !statement.isClosed()) {
            // a run leaves no warnings for the next one; its parameters are all bound again before each
            // run (clearParameters would make Connector/J reset the statement on the server, a round trip)
            statement.clearWarnings();
            return statement;
        }
        statement = connection.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
        prepared.increment();
        kept.put(sql, statement);
        return statement;
    }

    /** Forgets the statements of connections that are closed; they closed their statements with them. */
    void forgetClosedConnections()
    {
        connections.keySet().removeIf(connection -> {
            try {
                return connection.isClosed();
            }
            catch (SQLException | RuntimeException e) {
                return true;
            }
        });
    }

    /** How many statements were prepared since start (a statement run again is not counted). */
    long prepared()
    {
        return prepared.sum();
    }

    /** Connections with statements kept (closed ones until the guard forgets them). */
    int connections()
    {
        return connections.size();
    }

    /** One connection's statements by text, least recently run first. */
    private static final class Statements
            extends LinkedHashMap<String, PreparedStatement>
    {
        Statements()
        {
            super(16, 0.75f, true);
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest)
        {
            if (size() <= PER_CONNECTION) {
                return false;
            }
            try {
                eldest.getValue().close();
            }
            catch (SQLException ignored) {
                // a statement that cannot be closed died with its connection
            }
            return true;
        }
    }
}
