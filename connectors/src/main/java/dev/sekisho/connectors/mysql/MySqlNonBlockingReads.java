package dev.sekisho.connectors.mysql;

import dev.sekisho.connectors.mysql.wire.GatheredRows;
import dev.sekisho.connectors.mysql.wire.WireConnection;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ResultStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Runs a MySQL source's small server-prepared point lookups on a front door's I/O thread, with no
 * thread blocking ({@link dev.sekisho.planner.spi.Connector#startWithoutBlocking}), over
 * {@link WireConnection}s that live on that thread; declines (empty, nothing sent) whenever it
 * cannot give exactly what the JDBC path gives, which then runs the statement.
 *
 * <p><b>When.</b> Only for a source without TLS and without Connector/J property overrides, in
 * {@code properties:} or in a server's {@code url:} (the wire client speaks neither); only statements the JDBC path prepares on the server
 * ({@link SourcePreparation#mayPrepareOnServer}) whose result columns that path has already learned
 * ({@code knownColumns}) and are all of kinds the client decodes; only on the server the same
 * routing picks now (never a fallback route, nothing before the first health checks, nothing that
 * waits); only once that server's {@link SessionTemplate} was read (the first statement for a server
 * declines and reads it on another thread).
 *
 * <p><b>Connections.</b> Per I/O thread and server: idle connections are reused (the most recently
 * used first), at most {@link #perThreadCap} open (half the source's {@code pool.max_size}, at least
 * one; on top of the JDBC pool's), opened on demand (the statement waits for the login without
 * blocking); none free and at the cap: decline. An idle connection closes after
 * {@link #idleTimeout} (HikariCP's default idle timeout, 10 minutes) and is not reused after
 * {@link #maxLifetime} (HikariCP's default, 30 minutes). A failed connect declines and keeps the
 * server off this path for {@link #BACKOFF}; a server that asks for what the client never does (TLS,
 * a full caching_sha2_password exchange, another plugin) is not used this way again (logged once).
 *
 * <p><b>Results.</b> At most {@link #MAX_ROWS} rows and {@link #MAX_BYTES} bytes are buffered; a
 * larger result gives up (its connection closes) and its text declines at once from then on. An ERR,
 * a warning, an unexpected byte: the run completes empty and the JDBC path runs the statement.
 */
final class MySqlNonBlockingReads
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(MySqlNonBlockingReads.class);

    static final int MAX_ROWS = 1_000;
    static final long MAX_BYTES = 64 * 1024;
    static final Duration BACKOFF = Duration.ofSeconds(5);
    /** HikariCP's default idle timeout (the source's pool sets none). */
    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    /** HikariCP's default maximum lifetime. */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(30);
    /** Statement texts remembered as too large at most; then the memo starts afresh. */
    private static final int MAX_TOO_LARGE = 1_000;

    /** The result column kinds read over the wire (checked value by value against the JDBC path). */
    static final Set<ColumnType.Kind> DECODED = EnumSet.of(ColumnType.Kind.BOOLEAN, ColumnType.Kind.SMALLINT, ColumnType.Kind.INTEGER,
            ColumnType.Kind.BIGINT, ColumnType.Kind.DECIMAL, ColumnType.Kind.DOUBLE, ColumnType.Kind.REAL, ColumnType.Kind.CHAR, ColumnType.Kind.VARCHAR,
            ColumnType.Kind.TEXT, ColumnType.Kind.DATE, ColumnType.Kind.TIMESTAMP, ColumnType.Kind.BINARY);

    private final MySqlConfig config;
    private final ReplicaPool pool;
    private final Function<String, Optional<List<ColumnMetadata>>> knownColumns;
    private final boolean enabled;
    private final int perThreadCap;
    private final Duration idleTimeout;
    private final Duration maxLifetime;
    private final long maxBytes;
    private final Map<String, MySqlConfig.Server> servers = new HashMap<>();
    private final Map<String, CompletableFuture<SessionTemplate>> templates = new ConcurrentHashMap<>();
    private final Map<String, Long> backoffUntil = new ConcurrentHashMap<>();
    private final Set<String> unsupported = ConcurrentHashMap.newKeySet();
    private final Set<String> tooLarge = ConcurrentHashMap.newKeySet();
    /** Open connections by server, over every I/O thread (connecting, lent to a run, or idle): for {@link #connections}. */
    private final Map<String, AtomicInteger> openByServer = new ConcurrentHashMap<>();
    /** Idle connections by server, over every I/O thread. */
    private final Map<String, AtomicInteger> idleByServer = new ConcurrentHashMap<>();
    private final Map<EventLoopIo, ThreadConnections> threads = new ConcurrentHashMap<>();
    private final ExecutorService background;
    private volatile boolean closed;

    /** Tests set other limits than the defaults ({@link #IDLE_TIMEOUT}, {@link #MAX_LIFETIME}, {@link #MAX_BYTES}). */
    MySqlNonBlockingReads(MySqlConfig config, ReplicaPool pool, Function<String, Optional<List<ColumnMetadata>>> knownColumns, Duration idleTimeout,
            Duration maxLifetime, long maxBytes)
    {
        this.maxBytes = maxBytes;
        this.config = requireNonNull(config, "config is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.knownColumns = requireNonNull(knownColumns, "knownColumns is null");
        this.idleTimeout = requireNonNull(idleTimeout, "idleTimeout is null");
        this.maxLifetime = requireNonNull(maxLifetime, "maxLifetime is null");
        this.enabled = eligible(config);
        this.perThreadCap = Math.max(1, config.pool().maxSize() / 2);
        if (config.primary() != null) {
            servers.put(config.primary().name(), config.primary());
        }
        config.replicas().forEach(server -> servers.put(server.name(), server));
        this.background = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sekisho-" + config.source() + "-nonblocking-setup");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * The gate: no TLS (the wire client has none) and no Connector/J property overrides (whose effect
     * it does not copy), neither in {@code properties:} nor in a server's {@code url:} (its query
     * part), and one plain host per server.
     */
    static boolean eligible(MySqlConfig config)
    {
        if (config.tls().mode() != MySqlTls.Mode.DISABLED || config.effectiveTlsMode() != MySqlTls.Mode.DISABLED || !config.properties().isEmpty()) {
            return false;
        }
        List<MySqlConfig.Server> all = new java.util.ArrayList<>(config.replicas());
        if (config.primary() != null) {
            all.add(config.primary());
        }
        return all.stream().allMatch(server -> plainUrl(server.jdbcUrl()));
    }

    /** A Connector/J URL of one host (no list, no key-value address), maybe a database, and no properties. */
    static boolean plainUrl(String jdbcUrl)
    {
        if (!jdbcUrl.startsWith("jdbc:mysql://")) {
            return false;
        }
        String rest = jdbcUrl.substring("jdbc:mysql://".length());
        int query = rest.indexOf('?');
        if (query >= 0 && query < rest.length() - 1) {
            return false;
        }
        String authority = rest.split("[/?]", 2)[0];
        return !authority.isEmpty() && !authority.contains(",") && !authority.contains("(") && !authority.contains("=");
    }

    /**
     * The non-blocking connections to {@code server} now, over every I/O thread: lent to a run (or
     * logging in for one), and idle. Read from any thread; a snapshot, not a transaction.
     */
    Connections connections(String server)
    {
        int open = counter(openByServer, server).get();
        int idle = counter(idleByServer, server).get();
        return new Connections(Math.max(0, open - idle), Math.max(0, idle));
    }

    /** Non-blocking connections to one server: in use and idle. */
    record Connections(int active, int idle) {}

    private static AtomicInteger counter(Map<String, AtomicInteger> counters, String server)
    {
        return counters.computeIfAbsent(server, name -> new AtomicInteger());
    }

    /** Whether the source is one this client serves at all ({@link #eligible}): when false every start declines. */
    boolean isEnabled()
    {
        return enabled;
    }

    /** Open connections at most per I/O thread and server. */
    int perThreadCap()
    {
        return perThreadCap;
    }

    Optional<NonBlockingRun> start(BackendQuery query, EventLoopIo io)
    {
        if (!enabled || closed || !io.inThisThread() || query.parameters().isEmpty()
                || !SourcePreparation.mayPrepareOnServer(query.parameterTypes(), query.collationFreeParameters())
                || tooLarge.contains(query.sql())) {
            return Optional.empty();
        }
        Optional<List<ColumnMetadata>> columns = knownColumns.apply(query.sql());
        if (columns.isEmpty() || !columns.get().stream().allMatch(column -> DECODED.contains(column.type().kind()))) {
            return Optional.empty();
        }
        Optional<ReadRouter.Route> route = pool.routeWithoutWaiting(query.tables());
        if (route.isEmpty() || route.get().refusal().isPresent() || route.get().fallback() || route.get().order().isEmpty()) {
            return Optional.empty();
        }
        String server = route.get().order().get(0);
        if (unsupported.contains(server) || backingOff(server)) {
            return Optional.empty();
        }
        Optional<SessionTemplate> template = template(server);
        if (template.isEmpty()) {
            return Optional.empty();
        }
        ServerConnections connections = threads.computeIfAbsent(io, ThreadConnections::new).server(server);
        PooledConnection idle = connections.takeIdle();
        Run run = new Run(query, columns.get(), template.get(), server);
        if (idle != null) {
            run.startOn(idle);
            return Optional.of(run);
        }
        if (connections.open >= perThreadCap) {
            return Optional.empty();
        }
        connections.open(template.get(), run);
        return Optional.of(run);
    }

    private boolean backingOff(String server)
    {
        Long until = backoffUntil.get(server);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until < 0) {
            return true;
        }
        backoffUntil.remove(server, until);
        return false;
    }

    private void backOff(String server)
    {
        backoffUntil.put(server, System.nanoTime() + BACKOFF.toNanos());
    }

    /** The server's template when read; otherwise starts reading it (once at a time) on another thread. */
    private Optional<SessionTemplate> template(String server)
    {
        CompletableFuture<SessionTemplate> template = templates.get(server);
        if (template == null) {
            CompletableFuture<SessionTemplate> reading = new CompletableFuture<>();
            if (templates.putIfAbsent(server, reading) == null) {
                try {
                    background.execute(() -> readTemplate(server, reading));
                }
                catch (RejectedExecutionException e) {
                    // the connector closed meanwhile
                    templates.remove(server, reading);
                }
            }
            return Optional.empty();
        }
        if (template.isDone() && !template.isCompletedExceptionally()) {
            return Optional.of(template.join());
        }
        return Optional.empty();
    }

    private void readTemplate(String server, CompletableFuture<SessionTemplate> reading)
    {
        try (ReplicaPool.Lease lease = pool.acquire(null, List.of(server))) {
            reading.complete(SessionTemplate.read(lease.connection(), servers.get(server)));
        }
        catch (SQLException | RuntimeException e) {
            log.info("source {}: could not read the session of server {} for non-blocking reads; trying again in {} s: {}", config.source(), server,
                    BACKOFF.toSeconds(), e.getMessage());
            reading.completeExceptionally(e);
            backOff(server);
            templates.remove(server, reading);
        }
    }

    /** Stops a cancelled statement at the server, on another thread (a JDBC connection of the same server). */
    private void killQuery(String server, long connectionId)
    {
        if (connectionId <= 0 || closed) {
            return;
        }
        try {
            background.execute(() -> {
                try (ReplicaPool.Lease lease = pool.acquire(null, List.of(server)); Statement statement = lease.connection().createStatement()) {
                    statement.execute("KILL QUERY " + connectionId);
                }
                catch (SQLException | RuntimeException e) {
                    // the statement ended meanwhile (unknown thread id), or the server is gone; its connection is closed anyway
                    log.debug("source {}: KILL QUERY {} on {} failed: {}", config.source(), connectionId, server, e.getMessage());
                }
            });
        }
        catch (RejectedExecutionException e) {
            // the connector closed meanwhile: its server connections are closing too
        }
    }

    @Override
    public void close()
    {
        closed = true;
        threads.forEach((io, connections) -> io.execute(connections::closeAll));
        background.shutdown();
    }

    /** The database a Connector/J URL names; null for none. */
    static String database(String jdbcUrl)
    {
        String rest = jdbcUrl.startsWith("jdbc:mysql://") ? jdbcUrl.substring("jdbc:mysql://".length()) : jdbcUrl;
        int slash = rest.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String path = rest.substring(slash + 1).split("\\?", 2)[0];
        return path.isEmpty() ? null : java.net.URLDecoder.decode(path, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The port a Connector/J URL names; 3306 when it names none. */
    static int port(String jdbcUrl)
    {
        String rest = jdbcUrl.startsWith("jdbc:mysql://") ? jdbcUrl.substring("jdbc:mysql://".length()) : jdbcUrl;
        String authority = rest.split("[/?]", 2)[0];
        int bracket = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        if (colon > bracket && colon >= 0 && (bracket >= 0 || authority.indexOf(':') == colon)) {
            return Integer.parseInt(authority.substring(colon + 1));
        }
        return MySqlConfig.DEFAULT_PORT;
    }

    /** One I/O thread's connections, by server; touched on that thread only. */
    private final class ThreadConnections
    {
        private final EventLoopIo io;
        private final Map<String, ServerConnections> servers = new HashMap<>();

        ThreadConnections(EventLoopIo io)
        {
            this.io = io;
        }

        ServerConnections server(String name)
        {
            return servers.computeIfAbsent(name, server -> new ServerConnections(io, server));
        }

        void closeAll()
        {
            servers.values().forEach(ServerConnections::closeAll);
        }
    }

    /** One I/O thread's connections to one server. */
    private final class ServerConnections
    {
        private final EventLoopIo io;
        private final String server;
        private final ArrayDeque<PooledConnection> idle = new ArrayDeque<>();
        private final Set<PooledConnection> all = new java.util.HashSet<>();
        private int open;

        ServerConnections(EventLoopIo io, String server)
        {
            this.io = io;
            this.server = server;
        }

        /** The most recently used idle connection still usable, or null; closes the expired ones it meets. */
        PooledConnection takeIdle()
        {
            while (!idle.isEmpty()) {
                PooledConnection connection = idle.pollLast();
                counter(idleByServer, server).decrementAndGet();
                connection.stopIdleTimer();
                if (connection.usable()) {
                    return connection;
                }
                connection.wire.close();
            }
            return null;
        }

        void open(SessionTemplate template, Run run)
        {
            MySqlConfig.Server address = MySqlNonBlockingReads.this.servers.get(server);
            log.debug("source {}: opening a non-blocking connection to {} ({} open on this thread)", config.source(), server, open);
            open++;
            counter(openByServer, server).incrementAndGet();
            PooledConnection connection = new PooledConnection(this, run);
            all.add(connection);
            try {
                connection.wire = WireConnection.open(io, address.host(), port(address.jdbcUrl()),
                        Duration.ofMillis(config.pool().connectionTimeoutMillis()), template.login(), connection);
            }
            catch (RuntimeException e) {
                all.remove(connection);
                open--;
                counter(openByServer, server).decrementAndGet();
                throw e;
            }
        }

        void release(PooledConnection connection)
        {
            if (closed || !connection.usable()) {
                connection.wire.close();
                return;
            }
            idle.addLast(connection);
            counter(idleByServer, server).incrementAndGet();
            connection.idleTimer = io.schedule(() -> {
                if (idle.remove(connection)) {
                    counter(idleByServer, server).decrementAndGet();
                    connection.wire.close();
                }
            }, idleTimeout);
        }

        void closed(PooledConnection connection)
        {
            if (all.remove(connection)) {
                open--;
                counter(openByServer, server).decrementAndGet();
            }
            if (idle.remove(connection)) {
                counter(idleByServer, server).decrementAndGet();
            }
            connection.stopIdleTimer();
        }

        void closeAll()
        {
            List.copyOf(all).forEach(connection -> connection.wire.close());
        }
    }

    /** A wire connection in its thread's pool, and the statement waiting for its login, if any. */
    private final class PooledConnection
            implements WireConnection.Events
    {
        private final ServerConnections owner;
        private WireConnection wire;
        private Run waiting;
        private Future<?> idleTimer;

        PooledConnection(ServerConnections owner, Run waiting)
        {
            this.owner = owner;
            this.waiting = waiting;
        }

        boolean usable()
        {
            return wire.isIdle() && System.nanoTime() - wire.openedNanos() < maxLifetime.toNanos();
        }

        void stopIdleTimer()
        {
            if (idleTimer != null) {
                idleTimer.cancel(false);
                idleTimer = null;
            }
        }

        @Override
        public void ready(WireConnection connection)
        {
            Run run = waiting;
            waiting = null;
            if (run == null || run.isDone()) {
                owner.release(this);
                return;
            }
            run.startOn(this);
        }

        @Override
        public void loginFailed(WireConnection connection, boolean unsupportedServer, String reason)
        {
            if (unsupportedServer) {
                if (unsupported.add(owner.server)) {
                    log.info("source {}: server {} is read through Connector/J only (not on the I/O threads): {}", config.source(), owner.server, reason);
                }
            }
            else {
                log.debug("source {}: a non-blocking connection to {} failed: {}", config.source(), owner.server, reason);
                backOff(owner.server);
            }
            Run run = waiting;
            waiting = null;
            if (run != null) {
                run.completeEmpty();
            }
        }

        @Override
        public void closed(WireConnection connection)
        {
            owner.closed(this);
            Run run = waiting;
            waiting = null;
            if (run != null) {
                run.completeEmpty();
            }
        }
    }

    /** One statement on a wire connection. */
    private final class Run
            implements NonBlockingRun, WireConnection.Outcome
    {
        private final BackendQuery query;
        private final List<ColumnMetadata> columns;
        private final List<ColumnType> columnTypes;
        private final SessionTemplate template;
        private final String server;
        private final CompletableFuture<Optional<ResultStream>> result = new CompletableFuture<>();
        private PooledConnection connection;

        Run(BackendQuery query, List<ColumnMetadata> columns, SessionTemplate template, String server)
        {
            this.query = query;
            this.columns = columns;
            this.columnTypes = columns.stream().map(ColumnMetadata::type).toList();
            this.template = template;
            this.server = server;
        }

        boolean isDone()
        {
            return result.isDone();
        }

        void startOn(PooledConnection pooled)
        {
            connection = pooled;
            pooled.wire.run(query.sql(), query.parameters(), query.parameterTypes(), columnTypes, template.utf8Collations(), MAX_ROWS, maxBytes, this);
        }

        @Override
        public CompletionStage<Optional<ResultStream>> result()
        {
            return result;
        }

        @Override
        public void cancel()
        {
            if (result.isDone()) {
                return;
            }
            result.completeExceptionally(new CancellationException("the statement was cancelled"));
            PooledConnection current = connection;
            if (current != null) {
                long id = current.wire.connectionId();
                current.wire.abandon();
                killQuery(server, id);
            }
        }

        void completeEmpty()
        {
            result.complete(Optional.empty());
        }

        @Override
        public void rows(List<Object[]> rows)
        {
            // the connection is free before whoever waits for the rows runs (it may start the next statement at once)
            connection.owner.release(connection);
            result.complete(Optional.of(new GatheredRows(columns, rows)));
        }

        @Override
        public void gaveUp(String reason, boolean overLimits)
        {
            if (overLimits) {
                if (tooLarge.size() >= MAX_TOO_LARGE) {
                    tooLarge.clear();
                }
                tooLarge.add(query.sql());
            }
            log.debug("source {}: a non-blocking run on {} gave up, the statement runs through Connector/J: {}", config.source(), server, reason);
            if (connection != null && !connection.wire.isClosed()) {
                connection.owner.release(connection);
            }
            result.complete(Optional.empty());
        }
    }
}
