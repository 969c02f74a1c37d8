package dev.sekisho.connectors.mysql;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One server's check, run by {@link ReplicaMonitor} on a thread of its own: connect (on a
 * connection of the monitor's, never one of the statements' pool), run a trivial statement, and
 * read the replication lag. Every network wait is bounded by the check timeout; {@link #abort()}
 * unblocks a check that hangs anyway.
 *
 * <p>The trivial statement is {@code DO 1}, and the lag queries are {@code SHOW} statements (and
 * the heartbeat's {@code SELECT}): a primary that is only checked sees no {@code Com_select}.
 */
final class ServerCheck
{
    private static final Pattern VERSION = Pattern.compile("(?:5\\.5\\.5-)?(\\d+)\\.(\\d+)\\.(\\d+)");

    private final MySqlConfig.Server server;
    private final boolean readsLag;
    private final Optional<RoutingSettings.Heartbeat> heartbeat;
    private final Properties properties;
    private volatile Connection connection;
    private volatile boolean healthPassed;
    private String statusStatement;

    /**
     * @param readsLag false for the primary, which lags behind nobody
     * @param driverProperties the source's Connector/J properties
     */
    ServerCheck(MySqlConfig.Server server, boolean readsLag, Optional<RoutingSettings.Heartbeat> heartbeat, Map<String, String> driverProperties,
            long timeoutMillis)
    {
        this.server = requireNonNull(server, "server is null");
        this.readsLag = readsLag;
        this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
        this.properties = new Properties();
        properties.putAll(driverProperties);
        properties.setProperty("user", server.user());
        if (server.password() != null) {
            properties.setProperty("password", server.password());
        }
        properties.setProperty("connectTimeout", String.valueOf(timeoutMillis));
        properties.setProperty("socketTimeout", String.valueOf(timeoutMillis));
    }

    /** Whether the health part of the running (or last) check passed: a check that hangs after it is alive but of unknown lag. */
    boolean healthPassed()
    {
        return healthPassed;
    }

    /**
     * Runs one check.
     *
     * @return the lag (infinitely stale when it could not be read)
     * @throws SQLException when the server does not answer the trivial statement: it is unhealthy
     */
    ReplicationLag run()
            throws SQLException
    {
        healthPassed = false;
        Connection current = connection;
        if (current == null || current.isClosed()) {
            current = DriverManager.getConnection(server.jdbcUrl(), properties);
            connection = current;
        }
        try (Statement statement = current.createStatement()) {
            statement.execute("DO 1");
        }
        healthPassed = true;
        if (!readsLag) {
            return new ReplicationLag(0, Optional.of("the primary"));
        }
        try {
            Optional<ReplicationLag.ReplicaStatus> status = readStatus(current);
            Optional<ReplicationLag.HeartbeatReading> beat = heartbeat.isPresent() ? Optional.of(readHeartbeat(current, heartbeat.get())) : Optional.empty();
            return ReplicationLag.of(status, beat);
        }
        catch (SQLException e) {
            if (MySqlErrors.isConnectionFailure(e)) {
                throw e;
            }
            return ReplicationLag.stale("cannot read the lag: " + describe(e));
        }
    }

    private Optional<ReplicationLag.ReplicaStatus> readStatus(Connection connection)
            throws SQLException
    {
        if (statusStatement == null) {
            statusStatement = statusStatement(connection.getMetaData().getDatabaseProductVersion());
        }
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(statusStatement)) {
            if (!rows.next()) {
                return Optional.empty();
            }
            ResultSetMetaData metadata = rows.getMetaData();
            String io = column(rows, metadata, "Slave_IO_Running", "Replica_IO_Running");
            String sql = column(rows, metadata, "Slave_SQL_Running", "Replica_SQL_Running");
            String behind = column(rows, metadata, "Seconds_Behind_Master", "Seconds_Behind_Source");
            return Optional.of(new ReplicationLag.ReplicaStatus(io, sql, behind == null ? null : Long.valueOf(behind.trim())));
        }
    }

    private static ReplicationLag.HeartbeatReading readHeartbeat(Connection connection, RoutingSettings.Heartbeat heartbeat)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(heartbeat.query())) {
            rows.next();
            LocalDateTime beat = rows.getObject(1, LocalDateTime.class);
            LocalDateTime now = rows.getObject(2, LocalDateTime.class);
            return new ReplicationLag.HeartbeatReading(beat, now);
        }
    }

    /** The value of the first of {@code names} that the result has (MySQL 8.0.22 renamed the columns). */
    private static String column(ResultSet rows, ResultSetMetaData metadata, String... names)
            throws SQLException
    {
        for (String name : names) {
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                if (metadata.getColumnLabel(i).equalsIgnoreCase(name)) {
                    return rows.getString(i);
                }
            }
        }
        throw new SQLException("the replication status has none of the columns " + String.join(", ", names));
    }

    /**
     * The statement that reads replication status: {@code SHOW REPLICA STATUS} on MariaDB 10.5.1 and
     * MySQL 8.0.22 or later, {@code SHOW SLAVE STATUS} before them.
     */
    static String statusStatement(String productVersion)
    {
        Matcher matcher = VERSION.matcher(productVersion == null ? "" : productVersion);
        if (!matcher.find()) {
            return "SHOW SLAVE STATUS";
        }
        int major = Integer.parseInt(matcher.group(1));
        int minor = Integer.parseInt(matcher.group(2));
        int patch = Integer.parseInt(matcher.group(3));
        int version = major * 10_000 + minor * 100 + patch;
        boolean mariaDb = productVersion.toLowerCase(Locale.ROOT).contains("mariadb");
        return version >= (mariaDb ? 100_501 : 80_022) ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS";
    }

    /** Closes the physical connection now, from any thread: a check blocked on it fails at once. */
    void abort()
    {
        Connection current = connection;
        connection = null;
        if (current != null) {
            try {
                current.abort(Runnable::run);
            }
            catch (SQLException | RuntimeException ignored) {
                // it is being thrown away
            }
        }
    }

    /** Drops the connection after a failed check; the next check connects anew. */
    void reset()
    {
        abort();
    }

    /**
     * A failure in words fit for clients and logs: no host, no driver internals, never a password.
     */
    static String describe(Throwable failure)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return "connection refused";
            }
            if (cause instanceof SocketTimeoutException) {
                return "no answer in time";
            }
        }
        if (failure instanceof SQLException e) {
            int code = e.getErrorCode();
            if (code == 1045) {
                return "refused the gateway's credentials (MySQL error 1045)";
            }
            if (code == 1227 || code == 1142) {
                return "the gateway's account may not read replication status (MySQL error " + code
                        + "); grant it REPLICA MONITOR (MariaDB) or REPLICATION CLIENT (MySQL)";
            }
            if (code == 1146) {
                return "the heartbeat table does not exist (MySQL error 1146)";
            }
            if (MySqlErrors.isConnectionFailure(e)) {
                return "connection failed (SQLSTATE " + e.getSQLState() + ")";
            }
            return "MySQL error " + code + " (SQLSTATE " + e.getSQLState() + ")";
        }
        return failure.getClass().getSimpleName();
    }
}
