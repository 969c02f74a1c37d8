// Over 600 lines: a statement's run (Execution) and its one retry elsewhere before the first row (FirstRowRetry) are inner classes over the connector's pool, router and error mapping; moving them to their own files is due.
package dev.sekisho.connectors.mysql;

import dev.sekisho.connectors.jdbc.JdbcParameters;
import dev.sekisho.connectors.jdbc.JdbcResultStream;
import dev.sekisho.connectors.jdbc.TextColumn;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.NonBlockingRun;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.ForwardingResultStream;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.TableChangeListener;
import dev.sekisho.planner.spi.TableMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A MySQL (or MariaDB) source: statements run on a read replica chosen by {@link ReplicaPool}
 * (healthy and fresh enough for the tables they read), rows stream one at a time (Connector/J
 * streaming mode), a cancel kills the statement.
 *
 * <p>A statement whose server fails before its first row was handed on (no connection, the
 * connection broke while the statement ran or before its first row arrived) runs once more on
 * another server that qualifies; after rows were handed on, the failure is reported as such, never
 * retried: a retry could repeat or lose rows.
 *
 * <p>A small server-prepared lookup may run on a front door's I/O thread instead
 * ({@link #startWithoutBlocking}, {@link MySqlNonBlockingReads}), giving the rows this path gives.
 */
public final class MySqlConnector
        implements Connector
{
    private static final Logger log = LoggerFactory.getLogger(MySqlConnector.class);

    private static final Set<ColumnType.Kind> STRING_KINDS = EnumSet.of(
            ColumnType.Kind.CHAR, ColumnType.Kind.VARCHAR, ColumnType.Kind.TEXT, ColumnType.Kind.JSON, ColumnType.Kind.UUID, ColumnType.Kind.UNKNOWN);

    private final MySqlConfig config;
    private final ReplicaPool pool;
    private final MySqlMetadata metadata;
    private final MySqlNonBlockingReads nonBlockingReads;
    private BinlogFollower follower;

    public MySqlConnector(MySqlConfig config)
    {
        this(config, new LeastBusySelector());
    }

    public MySqlConnector(MySqlConfig config, ReadServerSelector selector)
    {
        this(config, selector, MySqlNonBlockingReads.IDLE_TIMEOUT, MySqlNonBlockingReads.MAX_LIFETIME, MySqlNonBlockingReads.MAX_BYTES);
    }

    /**
     * For tests: non-blocking connections that close after {@code idleTimeout} idle and are not
     * reused after {@code maxLifetime}, and non-blocking results of at most {@code maxBytes}.
     */
    MySqlConnector(MySqlConfig config, java.time.Duration idleTimeout, java.time.Duration maxLifetime, long maxBytes)
    {
        this(config, new LeastBusySelector(), idleTimeout, maxLifetime, maxBytes);
    }

    private MySqlConnector(MySqlConfig config, ReadServerSelector selector, java.time.Duration idleTimeout, java.time.Duration maxLifetime, long maxBytes)
    {
        this.config = requireNonNull(config, "config is null");
        this.pool = new ReplicaPool(config, selector);
        this.metadata = new MySqlMetadata(config.source(), pool, config.databases());
        this.nonBlockingReads = new MySqlNonBlockingReads(config, pool, this::knownColumns, idleTimeout, maxLifetime, maxBytes);
    }

    @Override
    public String name()
    {
        return config.source();
    }

    @Override
    public SqlDialectKind dialect()
    {
        return SqlDialectKind.MYSQL;
    }

    @Override
    public ConnectorMetadata metadata()
    {
        return metadata;
    }

    @Override
    public Set<ConnectorCapability> capabilities()
    {
        // ESTIMATE: EXPLAIN FORMAT=JSON tells the rows a statement examines and the tables it reads whole (estimate)
        return EnumSet.allOf(ConnectorCapability.class);
    }

    /** MySQL's {@code EXPLAIN} of the statement on a read server: the product of its rows column (the row combinations it expects to examine). */
    @Override
    public OptionalLong estimateRows(BackendQuery query, ExecutionContext context)
    {
        requireNonNull(query, "query is null");
        BackendQuery explain = new BackendQuery(query.source(), "EXPLAIN " + query.sql(), query.parameters(), query.parameterTypes(), query.tables());
        try (ResultStream plan = execute(explain, context)) {
            int rowsColumn = -1;
            for (int i = 0; i < plan.columns().size(); i++) {
                if (plan.columns().get(i).name().equalsIgnoreCase("rows")) {
                    rowsColumn = i;
                }
            }
            if (rowsColumn < 0) {
                return OptionalLong.empty();
            }
            long rows = 1;
            boolean any = false;
            while (plan.next()) {
                // a number in MySQL, text in MariaDB
                Object value = plan.value(rowsColumn);
                OptionalLong rowsHere = value instanceof Number number ? OptionalLong.of(number.longValue())
                        : value != null && value.toString().trim().matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(value.toString().trim()))
                        : OptionalLong.empty();
                if (rowsHere.isPresent()) {
                    try {
                        rows = Math.multiplyExact(rows, Math.max(1, rowsHere.getAsLong()));
                    }
                    catch (ArithmeticException e) {
                        rows = Long.MAX_VALUE;
                    }
                    any = true;
                }
            }
            return any ? OptionalLong.of(rows) : OptionalLong.empty();
        }
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        requireNonNull(query, "query is null");
        requireNonNull(context, "context is null");
        if (context.isCancelled()) {
            throw cancelled(context);
        }
        return attempt(query, context, new LinkedHashSet<>(), true);
    }

    /**
     * Runs the statement on the best server that qualifies and has not failed it yet.
     *
     * @param failed the servers the statement failed on before its first row
     * @param mayRetry whether a failure before the first row may run it once more elsewhere
     */
    private ResultStream attempt(BackendQuery query, ExecutionContext context, Set<String> failed, boolean mayRetry)
    {
        ReadRouter.Route route = pool.route(query.tables(), failed);
        if (route.refusal().isPresent()) {
            throw route.refusal().get();
        }
        if (route.fallback()) {
            log.warn("source {}: reading from the primary for lack of a replica ({}): {}", config.source(), route.decision(), context.description());
        }
        ReplicaPool.Lease lease;
        try {
            lease = pool.acquire(context, route.order());
        }
        catch (ReplicaPool.ServerUnavailable e) {
            return retryOrFail(query, context, failed, mayRetry, e.server(), new QueryException(SqlStates.CONNECTION_FAILURE,
                    "read server " + e.server() + " of source '" + config.source() + "' gave no connection: " + e.reason(),
                    "run the statement again; the server takes no statements until its checks pass again", e));
        }
        Execution execution = new Execution(lease, context);
        try {
            ResultStream stream = start(query, lease, execution);
            if (!mayRetry) {
                return new FirstRowRetry(stream, execution, null);
            }
            return new FirstRowRetry(stream, execution, () -> {
                failed.add(lease.server());
                pool.countRetry(lease.server());
                log.info("source {}: {} lost read server {} before its first row; running it on another server", config.source(), describe(context),
                        lease.server());
                return attempt(query, context, failed, false);
            });
        }
        catch (ServerLost e) {
            return retryOrFail(query, context, failed, mayRetry, lease.server(), e.failure());
        }
    }

    /**
     * Runs a small server-prepared statement on the front door's I/O thread {@code io} over MySQL's
     * protocol spoken without blocking ({@link MySqlNonBlockingReads} says when it declines).
     */
    @Override
    public Optional<NonBlockingRun> startWithoutBlocking(BackendQuery query, EventLoopIo io)
    {
        requireNonNull(query, "query is null");
        requireNonNull(io, "io is null");
        try {
            return nonBlockingReads.start(query, io);
        }
        catch (RuntimeException e) {
            // a decline is never an error: the JDBC path runs the statement
            log.debug("source {}: the non-blocking path declined after a failure", config.source(), e);
            return Optional.empty();
        }
    }

    /** Only a source the non-blocking client can serve exactly (no TLS, no driver-property overrides) is ever asked. */
    @Override
    public boolean mayStartWithoutBlocking()
    {
        return nonBlockingReads.isEnabled();
    }

    /** The columns the JDBC path learned for {@code sql}, while the catalog has not been read again since. */
    Optional<List<ColumnMetadata>> knownColumns(String sql)
    {
        KnownColumns known = knownColumns.get(sql);
        return known != null && known.generation() == metadata.generation() ? Optional.of(known.columns()) : Optional.empty();
    }

    private ResultStream retryOrFail(BackendQuery query, ExecutionContext context, Set<String> failed, boolean mayRetry, String server, QueryException failure)
    {
        failed.add(server);
        if (!mayRetry || context.isCancelled()) {
            throw failure;
        }
        pool.countRetry(server);
        log.info("source {}: {} failed before its first row on {}; running it on another server: {}", config.source(), describe(context), server,
                failure.getMessage());
        ReadRouter.Route next = pool.route(query.tables(), failed);
        if (next.refusal().isPresent()) {
            QueryException refusal = next.refusal().get();
            refusal.addSuppressed(failure);
            throw refusal;
        }
        return attempt(query, context, failed, false);
    }

    private static String describe(ExecutionContext context)
    {
        return context.description().isEmpty() ? "a statement" : "statement '" + context.description() + "'";
    }

    /**
     * Sends the statement on the lease's connection and opens its rows. A statement with parameters
     * (a point lookup, literals folded into parameters) is prepared as {@link SourcePreparation}
     * says: on the server when its parameters are numbers or text free of collation, on the client otherwise. One without
     * parameters goes as plain text: preparing a one-off statement (ad-hoc SQL, a stream, a metadata read) on the server would cost a prepare
     * and a close besides the run, and fill the connection's statement cache with texts that never
     * come again.
     */
    private ResultStream start(BackendQuery query, ReplicaPool.Lease lease, Execution execution)
    {
        // the statement to close after the run or a failure: null for one the connection keeps
        Statement statement = null;
        boolean kept = false;
        try {
            boolean execute;
            if (query.parameters().isEmpty()) {
                statement = lease.connection().createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
                // Connector/J streams rows one by one only with this exact fetch size
                statement.setFetchSize(Integer.MIN_VALUE);
                execution.start(statement);
                execute = statement.execute(query.sql());
            }
            else {
                PreparedStatement prepared;
                if (SourcePreparation.mayPrepareOnServer(query.parameterTypes(), query.collationFreeParameters())) {
                    // the connection's own statement for the text, run again; it stays open after the run
                    prepared = lease.keptStatement(query.sql());
                    kept = true;
                }
                else {
                    prepared = SourcePreparation.prepare(lease.connection(), query);
                    statement = prepared;
                }
                prepared.setFetchSize(Integer.MIN_VALUE);
                JdbcParameters.bind(prepared, query.parameters(), query.parameterTypes());
                execution.start(prepared);
                // execute(), not executeQuery(): the latter refuses text it cannot classify before the
                // server sees it, which would hide the server's syntax error
                execute = prepared.execute();
            }
            Statement running = execution.statement;
            if (!execute) {
                closeAfterFailure(statement, execution);
                return new EmptyResultStream();
            }
            ResultSet resultSet = running.getResultSet();
            execution.streaming();
            ResultSetMetaData metadata = resultSet.getMetaData();
            List<ColumnMetadata> columns = columns(query.sql(), metadata);
            ResultSet rows = unproxied(resultSet);
            TextColumn[] textColumns = MySqlTextColumns.of(running, metadata, columns);
            return new JdbcResultStream(columns, running, rows, execution, textColumns, MySqlRowArrival.of(lease.connection()), !kept,
                    MySqlRowBytes.of(rows, textColumns));
        }
        catch (SQLException e) {
            QueryException failure = execution.failure(e);
            if (kept) {
                // HikariCP's proxy did not see the failure: a connection it leaves unusable is thrown away here
                lease.abortIfBroken(e);
            }
            closeAfterFailure(statement, execution);
            if (execution.serverLost()) {
                throw new ServerLost(failure);
            }
            throw failure;
        }
        catch (RuntimeException | Error e) {
            closeAfterFailure(statement, execution);
            throw e;
        }
    }

    /**
     * Connector/J's own result set under the pool's proxy: a long stream calls it a few times per
     * row, and the proxy's only work there is to look at a failure, which the stream reports to
     * {@link Execution} anyway (a failed read aborts and evicts the connection).
     */
    private static ResultSet unproxied(ResultSet resultSet)
            throws SQLException
    {
        return resultSet.isWrapperFor(com.mysql.cj.jdbc.result.ResultSetImpl.class) ? resultSet.unwrap(com.mysql.cj.jdbc.result.ResultSetImpl.class) : resultSet;
    }

    /**
     * {@code EXPLAIN FORMAT=JSON} of the statement, with its parameters bound, on a server routing
     * would choose for it: the rows it examines and the tables it reads whole. Nothing runs.
     */
    @Override
    public Optional<CostEstimate> estimate(BackendQuery query, ExecutionContext context)
    {
        requireNonNull(query, "query is null");
        requireNonNull(context, "context is null");
        ReadRouter.Route route = pool.route(query.tables(), Set.of());
        if (route.refusal().isPresent()) {
            throw route.refusal().get();
        }
        ReplicaPool.Lease lease;
        try {
            lease = pool.acquire(context, route.order());
        }
        catch (ReplicaPool.ServerUnavailable e) {
            throw new QueryException(SqlStates.CONNECTION_FAILURE, "read server " + e.server() + " of source '" + config.source()
                    + "' gave no connection to estimate the statement: " + e.reason(), "run the statement again", e);
        }
        try (lease) {
            try (PreparedStatement statement = SourcePreparation.prepare(lease.connection(), "EXPLAIN FORMAT=JSON " + query.sql(), query)) {
                JdbcParameters.bind(statement, query.parameters(), query.parameterTypes());
                try (ResultSet result = statement.executeQuery()) {
                    if (!result.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(MySqlExplain.parse(result.getString(1), query.tables()));
                }
            }
            catch (SQLException e) {
                throw MySqlErrors.toQueryException(e, config.source(), lease.server(), Optional.empty());
            }
        }
    }

    @Override
    public List<ServerStatus> servers()
    {
        // the non-blocking path's connections count with the pool's: in use and idle, over every I/O thread
        return pool.status().stream().map(status -> {
            MySqlNonBlockingReads.Connections nonBlocking = nonBlockingReads.connections(status.name());
            if (nonBlocking.active() == 0 && nonBlocking.idle() == 0) {
                return status;
            }
            return new ServerStatus(status.name(), status.role(), status.state(), status.activeConnections() + nonBlocking.active(),
                    status.idleConnections() + nonBlocking.idle(), status.maxConnections(), status.waitingStatements(), status.lagSeconds(),
                    status.lastError(), status.retriedElsewhere());
        }).toList();
    }

    /** Follows the binary log of {@code change_feed}'s server, when one is configured. */
    @Override
    public synchronized boolean followChanges(TableChangeListener listener)
    {
        requireNonNull(listener, "listener is null");
        if (config.changeFeed().isEmpty() || follower != null) {
            return follower != null;
        }
        MySqlConfig.ChangeFeed feed = config.changeFeed().get();
        follower = new BinlogFollower(config.source(), feed.server(), feed.serverId(), listener);
        follower.start();
        return true;
    }

    @Override
    public Optional<RouteExplanation> explainRoute(BackendQuery query)
    {
        requireNonNull(query, "query is null");
        return Optional.of(pool.route(query.tables(), Set.of()).explanation(config.source()));
    }

    /** Connections lent out to statements now (every server); 0 when the source is idle. */
    public int leasedConnections()
    {
        return pool.leasedConnections();
    }

    /** The statements the source's connections keep prepared (for tests). */
    KeptStatements keptStatements()
    {
        return pool.keptStatements();
    }

    @Override
    public void close()
    {
        synchronized (this) {
            if (follower != null) {
                follower.close();
            }
        }
        nonBlockingReads.close();
        pool.close();
    }

    /**
     * The result columns of each statement text, as {@link #describeColumns} made them, with what the
     * driver reported for them: a statement's columns were derived again for every execution (type
     * names parsed, table columns looked up), though they change only with the schema. An entry is
     * used only while the driver reports the same types, precisions and scales and the catalog was
     * not read again since ({@link MySqlMetadata#generation()}).
     */
    private final Map<String, KnownColumns> knownColumns = new ConcurrentHashMap<>();
    /** Statement texts whose columns are remembered at most; then the memo starts afresh. */
    private static final int MAX_KNOWN_COLUMNS = 10_000;

    private record KnownColumns(long generation, int[] jdbcTypes, int[] precisions, int[] scales, List<ColumnMetadata> columns)
    {
        boolean matches(long currentGeneration, ResultSetMetaData resultMetadata)
                throws SQLException
        {
            if (generation != currentGeneration || resultMetadata.getColumnCount() != jdbcTypes.length) {
                return false;
            }
            for (int i = 0; i < jdbcTypes.length; i++) {
                if (resultMetadata.getColumnType(i + 1) != jdbcTypes[i] || resultMetadata.getPrecision(i + 1) != precisions[i]
                        || resultMetadata.getScale(i + 1) != scales[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private List<ColumnMetadata> columns(String sql, ResultSetMetaData resultMetadata)
            throws SQLException
    {
        long generation = metadata.generation();
        KnownColumns known = knownColumns.get(sql);
        if (known != null && known.matches(generation, resultMetadata)) {
            return known.columns();
        }
        boolean[] definitive = {true};
        List<ColumnMetadata> columns = describeColumns(resultMetadata, definitive);
        if (!definitive[0]) {
            // a string column's table was not in the catalog cache yet: a later execution may find its type there
            return columns;
        }
        int count = columns.size();
        int[] jdbcTypes = new int[count];
        int[] precisions = new int[count];
        int[] scales = new int[count];
        for (int i = 0; i < count; i++) {
            jdbcTypes[i] = resultMetadata.getColumnType(i + 1);
            precisions[i] = resultMetadata.getPrecision(i + 1);
            scales[i] = resultMetadata.getScale(i + 1);
        }
        if (knownColumns.size() >= MAX_KNOWN_COLUMNS) {
            knownColumns.clear();
        }
        knownColumns.put(sql, new KnownColumns(generation, jdbcTypes, precisions, scales, List.copyOf(columns)));
        return columns;
    }

    /** @param definitive set to false when a string column's table was not looked up (its schema is not cached yet) */
    private List<ColumnMetadata> describeColumns(ResultSetMetaData resultMetadata, boolean[] definitive)
            throws SQLException
    {
        int count = resultMetadata.getColumnCount();
        List<ColumnMetadata> columns = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ColumnType type = MySqlTypeMapping.fromResultSet(resultMetadata, i);
            type = catalogType(resultMetadata, i, type, definitive);
            boolean nullable = resultMetadata.isNullable(i) != ResultSetMetaData.columnNoNulls;
            // MariaDB names some expressions' columns with an empty or missing label: the planner names result columns anyway
            String label = resultMetadata.getColumnLabel(i);
            String typeName = resultMetadata.getColumnTypeName(i);
            columns.add(new ColumnMetadata(label == null || label.isEmpty() ? "?column?" : label, type, nullable,
                    typeName == null ? "unknown" : typeName.toLowerCase(java.util.Locale.ROOT)));
        }
        return columns;
    }

    /**
     * MariaDB's UUID, INET4/INET6 and its JSON alias reach Connector/J as plain CHAR or LONGTEXT;
     * when a string result column is a table column, the catalog's type wins (loading the table's
     * schema once if needed).
     */
    private ColumnType catalogType(ResultSetMetaData resultMetadata, int column, ColumnType driverType, boolean[] definitive)
            throws SQLException
    {
        ColumnType.Kind kind = driverType.kind();
        if (kind != ColumnType.Kind.CHAR && kind != ColumnType.Kind.TEXT && kind != ColumnType.Kind.VARCHAR) {
            return driverType;
        }
        String schema = resultMetadata.getCatalogName(column);
        String table = resultMetadata.getTableName(column);
        String name = resultMetadata.getColumnName(column);
        if (schema == null || schema.isEmpty() || table == null || table.isEmpty() || name == null || name.isEmpty()) {
            return driverType;
        }
        Optional<TableMetadata> found = kind == ColumnType.Kind.CHAR ? metadata.getTable(schema, table) : metadata.getCachedTable(schema, table);
        if (kind != ColumnType.Kind.CHAR && !metadata.isSchemaCached(schema)) {
            definitive[0] = false;
        }
        return found
                .flatMap(tableMetadata -> tableMetadata.columns().stream().filter(c -> c.name().equals(name)).findFirst())
                .map(ColumnMetadata::type)
                .filter(type -> STRING_KINDS.contains(type.kind()))
                .orElse(driverType);
    }

    private static void closeAfterFailure(Statement statement, Execution execution)
    {
        if (statement != null) {
            try {
                statement.close();
            }
            catch (SQLException ignored) {
                // the statement already failed; that error is the one to report
            }
        }
        execution.release();
    }

    private static QueryException cancelled(ExecutionContext context)
    {
        return new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(MySqlErrors.USER_CANCEL_MESSAGE));
    }

    /** What a statement without a result set (e.g. {@code DO 1}) returns: no columns, no rows. */
    private static final class EmptyResultStream
            implements ResultStream
    {
        @Override
        public List<ColumnMetadata> columns()
        {
            return List.of();
        }

        @Override
        public boolean next()
        {
            return false;
        }

        @Override
        public Object value(int column)
        {
            throw new IndexOutOfBoundsException("no columns");
        }

        @Override
        public void close() {}
    }

    /** A statement's server went away while it ran, before any row: it may run elsewhere. */
    private static final class ServerLost
            extends RuntimeException
    {
        private final QueryException failure;

        ServerLost(QueryException failure)
        {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }

        QueryException failure()
        {
            return failure;
        }
    }

    /**
     * The rows of a statement, run once more on another server if its server goes away before the
     * first row was handed on; after that, a lost server is reported as an incomplete result.
     */
    private final class FirstRowRetry
            extends ForwardingResultStream
    {
        private final Execution execution;
        private final Supplier<ResultStream> retry;
        private ResultStream current;
        private long rows;
        private boolean retried;

        /** @param retry runs the statement on another server; null when it may not run again */
        FirstRowRetry(ResultStream first, Execution execution, Supplier<ResultStream> retry)
        {
            this.current = first;
            this.execution = execution;
            this.retry = retry;
        }

        @Override
        protected ResultStream delegate()
        {
            return current;
        }

        @Override
        public boolean next()
        {
            try {
                boolean more = current.next();
                if (more) {
                    rows++;
                }
                return more;
            }
            catch (QueryException e) {
                if (retried || !execution.serverLost()) {
                    // after a retry, the second server's stream reports its own failures
                    throw e;
                }
                if (rows == 0 && retry != null) {
                    retried = true;
                    current.close();
                    current = retry.get();
                    return next();
                }
                if (rows > 0) {
                    throw new QueryException(SqlStates.CONNECTION_FAILURE,
                            "lost the connection to read server " + execution.lease.server() + " of source '" + config.source() + "' after " + rows
                                    + " row(s) of the result had been sent; the result is incomplete",
                            "run the statement again; a statement is never retried once rows were sent, so that no row is repeated or lost", e);
                }
                throw e;
            }
        }

        @Override
        public boolean nextRowArrived()
        {
            // before the first row a failure may run the statement again elsewhere, which waits
            return (rows > 0 || retry == null || retried) && current.nextRowArrived();
        }

    }

    /** One running statement: its connection, its cancel hook, its error mapping. */
    private final class Execution
            implements JdbcResultStream.Owner
    {
        private final ReplicaPool.Lease lease;
        private final ExecutionContext context;
        private final AtomicBoolean aborted = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile Statement statement;
        private volatile boolean streaming;
        private volatile boolean serverLost;
        private ExecutionContext.Registration registration;

        private final ExecutionContext.Registration statementScope;

        Execution(ReplicaPool.Lease lease, ExecutionContext context)
        {
            this.lease = lease;
            this.context = context;
            // if whoever reads the rows never closes the stream, the statement's end gives the connection back
            this.statementScope = context.closeWithStatement(this::abandon);
        }

        /** The statement ended while this execution still held its connection: abort it and give it back. */
        private void abandon()
        {
            if (!released.get()) {
                abortConnection();
                release();
            }
        }

        void start(Statement statement)
        {
            this.statement = statement;
            this.registration = context.onCancel(this::cancel);
        }

        void streaming()
        {
            streaming = true;
            if (context.isCancelled()) {
                // the cancel came while executeQuery returned; KILL QUERY may have missed it
                abortConnection();
            }
        }

        /**
         * Runs on the cancelling thread. While the statement executes, Connector/J's cancel sends
         * KILL QUERY over a new connection and the connection survives. Once rows stream,
         * Connector/J ignores cancel, so the connection is aborted: the server stops at its next write.
         */
        private void cancel()
        {
            Statement current = statement;
            if (!streaming && current != null) {
                try {
                    current.cancel();
                }
                catch (SQLException ignored) {
                    // fall through to the abort below
                }
            }
            if (streaming) {
                abortConnection();
            }
        }

        @Override
        public QueryException failure(SQLException e)
        {
            Optional<String> reason = context.isCancelled()
                    ? Optional.of(context.cancelReason().orElse(MySqlErrors.USER_CANCEL_MESSAGE))
                    : Optional.empty();
            if (reason.isEmpty() && !aborted.get() && MySqlErrors.isServerLost(e)) {
                // the server went away (not our cancel or abort): no statement should go there until its checks pass
                serverLost = true;
                pool.recordFailure(lease.server(), "lost the connection to it (" + ServerCheck.describe(e) + ")");
            }
            return MySqlErrors.toQueryException(e, config.source(), lease.server(), reason);
        }

        /** Whether the last failure was the server going away, rather than the statement or a cancel. */
        boolean serverLost()
        {
            return serverLost;
        }

        @Override
        public QueryException warningFailure(java.sql.SQLWarning warnings)
        {
            if (context.rowsHiddenByPolicy()) {
                // the warning may come from a row the policy hides: MySQL's value stands
                return null;
            }
            return MySqlErrors.fromWarnings(warnings).orElse(null);
        }

        @Override
        public QueryException cancellationOrNull()
        {
            return context.isCancelled() ? cancelled(context) : null;
        }

        @Override
        public void abortConnection()
        {
            if (aborted.compareAndSet(false, true)) {
                lease.abort();
            }
        }

        @Override
        public void release()
        {
            if (released.compareAndSet(false, true)) {
                try {
                    if (registration != null) {
                        registration.close();
                    }
                    if (statementScope != null) {
                        // null only while the constructor registers with a statement that has ended already
                        statementScope.close();
                    }
                }
                finally {
                    lease.close();
                }
            }
        }
    }
}
