// Over 600 lines: the pool's lending rules and its Lease (which reaches into the pool's gate, lease set and kept statements) belong together.
package dev.sekisho.connectors.mysql;

import com.mysql.cj.jdbc.JdbcConnection;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static java.util.Objects.requireNonNull;

/**
 * One HikariCP pool per server a MySQL source reads from, the health of each server, and the rules
 * for lending their connections. Creating it never blocks on the network and never fails because a
 * server is down.
 *
 * <p><b>Routing.</b> A {@link ReplicaMonitor} checks every server in the background; a statement
 * asks {@link #route} which servers may serve it (healthy, and fresh enough for the tightest
 * {@code max_lag} of the tables it reads: {@link ReadRouter}) and gets a connection of the first
 * one that gives one. A server that refuses a connection is down at once, for every statement,
 * until the monitor has seen it healthy {@code up_after} times in a row.
 *
 * <p><b>Lending.</b> Every connection is lent as a {@link Lease} that knows the statement it
 * serves. A server's connections are counted by a gate of {@code pool.max_size} permits in front
 * of HikariCP, so that waiting for a busy pool and failing to reach a server are told apart: a busy
 * pool gives 53300 and leaves the server alone. A statement waits {@code connection_timeout_ms} for
 * its first connection of the source, but only {@code extra_connection_wait_ms} for each further one
 * (a plan reading several tables at once): statements that hold connections never wait on each
 * other for long, so they cannot deadlock the pool.
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

    /** How often the guard looks for leases whose statement has ended. */
    public static final long GUARD_INTERVAL_MILLIS = 2_000;

    private static final ScheduledExecutorService GUARD = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "sekisho-pool-guard");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Connector/J settings Sekisho relies on; {@code properties:} in the source's config overrides
     * them, and the source's {@code tls:} sets sslMode. {@code sslMode=DISABLED} unless {@code tls:}
     * says otherwise; production sources should use {@code tls: {mode: verify_identity, ca_file: ...}}.
     */
    public static final Map<String, String> DEFAULT_PROPERTIES = defaultProperties();

    private final String source;
    private final MySqlConfig.Pool settings;
    private final ReadRouter router;
    private final Map<String, ReadServer> servers = new LinkedHashMap<>();
    private final KeptStatements keptStatements = new KeptStatements();
    private final ReplicaMonitor monitor;
    private final ScheduledFuture<?> guard;
    /** The source's one server when it has only one and reads from it always; null otherwise. */
    private final ReadServer onlyServer;
    /** Every server's first health check has finished (it never goes back): routing no longer asks each server. */
    private volatile boolean allChecked;

    public ReplicaPool(MySqlConfig config, ReadServerSelector selector)
    {
        requireNonNull(config, "config is null");
        requireNonNull(selector, "selector is null");
        this.source = config.source();
        this.settings = config.pool();
        FreshnessLimits limits = new FreshnessLimits(source, config.routing());
        this.router = new ReadRouter(source, limits, config.primaryReads(), selector);
        Map<String, String> driverProperties = config.driverProperties();
        List<ReplicaMonitor.Target> targets = new ArrayList<>();
        RoutingSettings routing = config.routing();
        for (MySqlConfig.Server server : config.servers()) {
            boolean primary = config.primary() != null && server.name().equals(config.primary().name());
            boolean fallbackOnly = primary && config.primaryReads() == MySqlConfig.PrimaryReads.FALLBACK;
            ServerHealth health = new ServerHealth(limits.loosestSeconds(), routing.downAfter(), routing.upAfter());
            servers.put(server.name(), new ReadServer(server.name(), primary, fallbackOnly, server.weight(), health,
                    new HikariDataSource(hikariConfig(config, server, fallbackOnly)), settings.maxSize()));
            // the primary lags behind nobody: it is only checked for health
            ServerCheck check = new ServerCheck(server, !primary, routing.heartbeat(), driverProperties, routing.checkTimeoutMillis());
            targets.add(new ReplicaMonitor.Target(server.name(), health, check));
        }
        this.onlyServer = servers.size() == 1 && !servers.values().iterator().next().fallbackOnly ? servers.values().iterator().next() : null;
        this.monitor = new ReplicaMonitor(source, targets, routing);
        monitor.start();
        this.guard = GUARD.scheduleWithFixedDelay(this::guardRound, GUARD_INTERVAL_MILLIS, GUARD_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** The names of the servers, in configured order (the fallback primary last). */
    public List<String> serverNames()
    {
        return List.copyOf(servers.keySet());
    }

    /**
     * Where a statement reading {@code tables} goes now (waiting, once after start, for the first
     * checks): the servers to try in order, or the refusal.
     *
     * @param exclude servers the statement already failed on
     */
    ReadRouter.Route route(List<SourceTable> tables, Set<String> exclude)
    {
        ReadServer only = onlyServer;
        if (only != null && allChecked && exclude.isEmpty()) {
            ReadRouter.Route route = router.onlyServer(tables, only.name, only.health, this::views);
            if (route != null) {
                return route;
            }
        }
        return router.route(tables, views(), exclude);
    }

    /**
     * {@link #route} for a statement that must not wait (one on a front door's I/O thread): empty
     * while any server's first health check has not finished, rather than waiting for it.
     */
    Optional<ReadRouter.Route> routeWithoutWaiting(List<SourceTable> tables)
    {
        if (!allChecked && !servers.values().stream().allMatch(server -> server.health.checked())) {
            return Optional.empty();
        }
        return Optional.of(route(tables, Set.of()));
    }

    /** A connection for work that belongs to no statement (metadata reads), from any server that answers; the caller closes it. */
    public Lease acquire()
    {
        List<ReadRouter.View> views = views();
        List<String> order = router.metadataOrder(views);
        if (order.isEmpty()) {
            throw router.noServerAnswers(views);
        }
        List<String> tried = new ArrayList<>();
        ServerUnavailable last = null;
        for (String server : order) {
            try {
                return acquire(null, List.of(server));
            }
            catch (ServerUnavailable e) {
                tried.add(server);
                last = e;
            }
        }
        throw new QueryException(SqlStates.CONNECTION_FAILURE, "no server of source '" + source + "' answers; tried: " + String.join(", ", tried),
                "check that the replicas are running and reachable from the gateway", last);
    }

    /**
     * Lends a connection of the first server of {@code order} that gives one, for the statement of
     * {@code owner}.
     *
     * @param owner the statement the connection serves; null for work of the gateway's own
     * @param order the servers to try, from {@link #route}; never empty
     * @throws QueryException {@code 53300} when every connection is busy
     * @throws ServerUnavailable when a server refused the connection (it is down now)
     */
    Lease acquire(ExecutionContext owner, List<String> order)
    {
        int held = owner == null ? 0 : held(owner);
        long waitMillis = held > 0 ? settings.extraConnectionWaitMillis() : settings.connectionTimeoutMillis();
        // a free permit on any server first; then wait for the preferred one
        for (int pass = 0; pass < 2; pass++) {
            for (String name : order) {
                ReadServer server = servers.get(name);
                boolean permitted = pass == 0 ? server.gate.tryAcquire() : tryAcquire(server, waitMillis);
                if (!permitted) {
                    if (pass == 1) {
                        // waited once, for the preferred server: do not wait again for each of the others
                        break;
                    }
                    continue;
                }
                try {
                    Connection connection = server.dataSource.getConnection();
                    Lease lease = new Lease(this, server, connection, owner);
                    server.place(lease);
                    server.leased.incrementAndGet();
                    return lease;
                }
                catch (SQLException | RuntimeException e) {
                    server.gate.release();
                    String reason = ServerCheck.describe(e);
                    recordFailure(name, reason);
                    // Hikari's and Connector/J's messages carry no password
                    log.warn("source {}: read server {} gave no connection; it takes no statements until its checks pass again: {}", source, name,
                            e.getMessage());
                    throw new ServerUnavailable(name, reason, e);
                }
            }
        }
        throw poolExhausted(held);
    }

    /** A statement found a server unreachable (no connection, or the connection broke before its first row): down at once. */
    void recordFailure(String server, String reason)
    {
        servers.get(server).health.recordFailure(reason, System.nanoTime());
    }

    /** A statement that failed on {@code server} before its first row runs again elsewhere. */
    void countRetry(String server)
    {
        servers.get(server).retried.incrementAndGet();
    }

    /** What the router sees of every server now; waits for the monitor's first round once after start. */
    private List<ReadRouter.View> views()
    {
        if (!allChecked) {
            for (ReadServer server : servers.values()) {
                if (!server.health.checked()) {
                    monitor.awaitFirstRound(monitor.firstRoundWaitMillis());
                    break;
                }
            }
            allChecked = servers.values().stream().allMatch(server -> server.health.checked());
        }
        long now = System.nanoTime();
        List<ReadRouter.View> views = new ArrayList<>(servers.size());
        for (ReadServer server : servers.values()) {
            views.add(new ReadRouter.View(server.name, server.primary, server.fallbackOnly, server.weight, server.leased.get(), server.health.snapshot(now)));
        }
        return views;
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
        for (ReadServer server : servers.values()) {
            for (int i = 0; i < server.slots.length(); i++) {
                Lease lease = server.slots.get(i);
                if (lease != null && lease.owner == owner) {
                    count++;
                }
            }
        }
        return count;
    }

    private void guardRound()
    {
        reclaimAbandoned();
        keptStatements.forgetClosedConnections();
    }

    /** The statements the pool's connections keep prepared. */
    KeptStatements keptStatements()
    {
        return keptStatements;
    }

    /** The guard's round: reclaims the leases whose statement has ended. */
    void reclaimAbandoned()
    {
        for (ReadServer server : servers.values()) {
            for (int i = 0; i < server.slots.length(); i++) {
                Lease lease = server.slots.get(i);
                // a lease its statement is returning at this very moment is not reclaimed: reclaim() claims it first
                if (lease != null && lease.owner != null && lease.owner.isFinished() && lease.reclaim()) {
                    long heldMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lease.acquiredNanos);
                    log.warn("source {}: reclaimed a connection to {} held {} ms by a statement that has ended ({})", source, lease.server.name, heldMillis,
                            lease.owner.description());
                }
            }
        }
    }

    /** Connections lent out now, on every server. */
    public int leasedConnections()
    {
        int leased = 0;
        for (ReadServer server : servers.values()) {
            leased += server.leased.get();
        }
        return leased;
    }

    /** Each server's state, lag and pool. */
    public List<ServerStatus> status()
    {
        List<ServerStatus> status = new ArrayList<>();
        for (ReadRouter.View view : views()) {
            ReadServer server = servers.get(view.name());
            HikariPoolMXBean pool = server.dataSource.getHikariPoolMXBean();
            int active = pool == null ? 0 : pool.getActiveConnections();
            int idle = pool == null ? 0 : pool.getIdleConnections();
            ServerHealth.Snapshot health = view.health();
            OptionalDouble lag = Double.isNaN(health.lagSeconds()) ? OptionalDouble.empty() : OptionalDouble.of(health.lagSeconds());
            Optional<String> error = view.health().state() == ServerHealth.State.UP ? health.lastError() : health.reason().or(health::lastError);
            status.add(new ServerStatus(server.name, server.primary ? "primary" : "replica", view.stateLabel(), active, idle, settings.maxSize(),
                    server.waiting.get(), lag, error, server.retried.get()));
        }
        return status;
    }

    @Override
    public void close()
    {
        monitor.close();
        guard.cancel(false);
        servers.values().forEach(server -> server.dataSource.close());
    }

    /** A server refused a connection: the statement may try another one. */
    static final class ServerUnavailable
            extends RuntimeException
    {
        private final String server;
        private final String reason;

        ServerUnavailable(String server, String reason, Throwable cause)
        {
            super("read server " + server + " gave no connection: " + reason, cause);
            this.server = server;
            this.reason = reason;
        }

        String server()
        {
            return server;
        }

        String reason()
        {
            return reason;
        }
    }

    private static HikariConfig hikariConfig(MySqlConfig config, MySqlConfig.Server server, boolean fallbackOnly)
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
        // the fallback primary keeps no idle connections: it is read only when no replica may be
        hikari.setMinimumIdle(fallbackOnly ? 0 : pool.minIdle());
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
        hikari.setConnectionInitSql(connectionInitSql(config.databases()));
        Map<String, String> properties = new LinkedHashMap<>(DEFAULT_PROPERTIES);
        properties.put("connectTimeout", String.valueOf(pool.connectionTimeoutMillis()));
        properties.putAll(config.driverProperties());
        properties.forEach(hikari::addDataSourceProperty);
        return hikari;
    }

    /**
     * What each pooled connection runs once when it opens: the collation (below), and the write
     * timeout a streamed result needs (a client may read a large result slowly). Connector/J would
     * otherwise set that timeout around every streamed statement, two extra round trips each
     * ({@code netTimeoutForStreamingResults}, turned off in {@link #DEFAULT_PROPERTIES}).
     */
    static String connectionInitSql(List<String> databases)
    {
        return collationSql(databases) + ", net_write_timeout = " + STREAMING_NET_WRITE_TIMEOUT_SECONDS;
    }

    /** Connector/J's own default for {@code netTimeoutForStreamingResults}, set once per connection instead. */
    static final int STREAMING_NET_WRITE_TIMEOUT_SECONDS = 600;

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
        // statements whose parameters are all numbers are kept prepared on the server per pooled connection and text;
        // the others are prepared on the client (SourcePreparation says why), statements without parameters go as text
        properties.put("useServerPrepStmts", "true");
        properties.put("emulateUnsupportedPstmts", "true");
        properties.put("useLocalSessionState", "true");
        properties.put("cacheServerConfiguration", "true");
        properties.put("cacheResultSetMetadata", "true");
        properties.put("elideSetAutoCommits", "true");
        properties.put("maintainTimeStats", "false");
        // Connector/J 9 opens an OpenTelemetry span per statement whenever the API is on the class path
        // (BigQuery's client brings it); Sekisho exports no traces, so the spans cost 2-3 % of a point lookup for nothing
        properties.put("openTelemetry", "DISABLED");
        // net_write_timeout is set once per connection (connectionInitSql), not around each streamed statement
        properties.put("netTimeoutForStreamingResults", "0");
        // sockets that stay in blocking mode: a read that waits for the server is one system call, not three
        properties.put("socketFactory", BlockingSocketFactory.class.getName());
        return Map.copyOf(properties);
    }

    /**
     * A lent connection. {@link #close()} returns it, {@link #abort()} throws it away; either
     * gives the server's permit back, once.
     */
    public static final class Lease
            implements AutoCloseable
    {
        /** HikariCP's SQLSTATEs that end a connection ({@code ProxyConnection.checkException}), besides class 08. */
        private static final Set<String> FATAL_STATES = Set.of("0A000", "57P01", "57P02", "57P03", "01002", "JZ0C0", "JZ0C1");
        /** HikariCP's vendor codes that end a connection. */
        private static final Set<Integer> FATAL_CODES = Set.of(500150, 2399, 1105);

        private final ReplicaPool pool;
        private final ReadServer server;
        private final Connection connection;
        private final ExecutionContext owner;
        private final long acquiredNanos = System.nanoTime();
        private final AtomicBoolean returned = new AtomicBoolean();
        /** Its place in its server's {@code slots}; -1 until placed. */
        private volatile int slot = -1;
        /** The Connector/J connection under HikariCP's proxy, once asked for. */
        private JdbcConnection physical;

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
         * The statement this connection keeps prepared for {@code sql} ({@link KeptStatements}),
         * prepared on the physical connection: the caller binds every parameter before each run and
         * never closes it; a failure of it goes to {@link #abortIfBroken}.
         */
        PreparedStatement keptStatement(String sql)
                throws SQLException
        {
            JdbcConnection current = physical;
            if (current == null) {
                current = connection.unwrap(JdbcConnection.class);
                physical = current;
            }
            return pool.keptStatements.statement(current, sql);
        }

        /**
         * Throws the connection away when {@code failure} (of a statement HikariCP's proxy did not
         * see) leaves it unusable, by HikariCP's own rules: a closed connection, SQLSTATE class 08, a
         * server shutdown, or the error codes HikariCP treats as fatal.
         */
        void abortIfBroken(SQLException failure)
        {
            boolean broken;
            try {
                broken = connection.isClosed() || (physical != null && physical.isClosed());
            }
            catch (SQLException e) {
                broken = true;
            }
            for (SQLException e = failure; e != null && !broken; e = e.getNextException()) {
                String state = e.getSQLState();
                broken = (state != null && (state.startsWith("08") || FATAL_STATES.contains(state))) || e instanceof SQLTimeoutException
                        || FATAL_CODES.contains(e.getErrorCode());
            }
            if (broken) {
                abort();
            }
        }

        /**
         * Closes the physical connection at once, without reading what the server still sends, and
         * marks it so that HikariCP never lends it again. Safe to call from another thread than the
         * user of the connection (a cancel); the lease still has to be {@link #close closed}. An
         * abort and the lease's return exclude each other: a return waits for an abort under way,
         * and an abort after the return does nothing, so a late abort never reaches the connection
         * once HikariCP has lent it to another statement.
         */
        public void abort()
        {
            synchronized (this) {
                if (!returned.get()) {
                    physicalAbort();
                }
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
            synchronized (this) {
                // after an abort under way (see abort())
                if (!returned.compareAndSet(false, true)) {
                    return;
                }
            }
            try {
                connection.close();
            }
            catch (SQLException | RuntimeException e) {
                log.debug("source {}: returning a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
            finally {
                server.vacate(this);
                server.leased.decrementAndGet();
                server.gate.release();
            }
        }

        /**
         * Takes back the connection of a statement that ended without returning it: aborted, evicted
         * and given back, unless it was returned meanwhile. Returns whether it took it back.
         */
        boolean reclaim()
        {
            synchronized (this) {
                if (!returned.compareAndSet(false, true)) {
                    return false;
                }
            }
            try {
                physicalAbort();
                connection.close();
            }
            catch (SQLException | RuntimeException e) {
                log.debug("source {}: reclaiming a connection to {} failed: {}", pool.source, server.name, e.getMessage());
            }
            finally {
                server.vacate(this);
                server.leased.decrementAndGet();
                server.gate.release();
            }
            return true;
        }
    }

    private static final class ReadServer
    {
        private final String name;
        private final boolean primary;
        private final boolean fallbackOnly;
        private final int weight;
        private final ServerHealth health;
        private final HikariDataSource dataSource;
        /** One permit per connection the pool may lend. */
        private final Semaphore gate;
        /**
         * The open leases, one slot per permit: a lease takes a free slot once it holds a permit and
         * frees it before giving the permit back, so a lease always finds a slot, and returning one is
         * a single write (a concurrent set's removal cost a point lookup over 1 % of its CPU).
         */
        private final AtomicReferenceArray<Lease> slots;
        private final AtomicInteger waiting = new AtomicInteger();
        private final AtomicInteger leased = new AtomicInteger();
        private final AtomicLong retried = new AtomicLong();

        ReadServer(String name, boolean primary, boolean fallbackOnly, int weight, ServerHealth health, HikariDataSource dataSource, int permits)
        {
            this.name = name;
            this.primary = primary;
            this.fallbackOnly = fallbackOnly;
            this.weight = weight;
            this.health = health;
            this.dataSource = dataSource;
            this.gate = new Semaphore(permits, true);
            this.slots = new AtomicReferenceArray<>(permits);
        }

        /** Puts a lease that holds one of the permits in a free slot. */
        void place(Lease lease)
        {
            while (true) {
                for (int i = 0; i < slots.length(); i++) {
                    if (slots.get(i) == null && slots.compareAndSet(i, null, lease)) {
                        lease.slot = i;
                        return;
                    }
                }
                // every slot looked taken while others were being freed: the permit guarantees one
                Thread.onSpinWait();
            }
        }

        /** Frees the lease's slot; before its permit goes back. */
        void vacate(Lease lease)
        {
            int slot = lease.slot;
            if (slot >= 0 && slots.compareAndSet(slot, lease, null)) {
                return;
            }
            // the guard found the lease in its slot before place() had noted which one
            for (int i = 0; i < slots.length(); i++) {
                if (slots.compareAndSet(i, lease, null)) {
                    return;
                }
            }
        }
    }
}
