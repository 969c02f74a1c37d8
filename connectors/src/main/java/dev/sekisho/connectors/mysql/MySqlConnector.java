package dev.sekisho.connectors.mysql;

import dev.sekisho.connectors.jdbc.JdbcParameters;
import dev.sekisho.connectors.jdbc.JdbcResultStream;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorCapability;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.TableMetadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.util.Objects.requireNonNull;

/**
 * A MySQL (or MariaDB) source: statements run on a read replica chosen by {@link ReplicaPool},
 * rows stream one at a time (Connector/J streaming mode), a cancel kills the statement.
 */
public final class MySqlConnector
        implements Connector
{
    private static final Set<ColumnType.Kind> STRING_KINDS = EnumSet.of(
            ColumnType.Kind.CHAR, ColumnType.Kind.VARCHAR, ColumnType.Kind.TEXT, ColumnType.Kind.JSON, ColumnType.Kind.UUID, ColumnType.Kind.UNKNOWN);

    private final MySqlConfig config;
    private final ReplicaPool pool;
    private final MySqlMetadata metadata;

    public MySqlConnector(MySqlConfig config)
    {
        this(config, new RoundRobinSelector());
    }

    public MySqlConnector(MySqlConfig config, ReadServerSelector selector)
    {
        this.config = requireNonNull(config, "config is null");
        this.pool = new ReplicaPool(config, selector);
        this.metadata = new MySqlMetadata(config.source(), pool, config.databases());
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
        return EnumSet.allOf(ConnectorCapability.class);
    }

    @Override
    public ResultStream execute(BackendQuery query, ExecutionContext context)
    {
        requireNonNull(query, "query is null");
        requireNonNull(context, "context is null");
        if (context.isCancelled()) {
            throw cancelled(context);
        }
        ReplicaPool.Lease lease = pool.acquire(context);
        Execution execution = new Execution(lease, context);
        PreparedStatement statement = null;
        try {
            statement = lease.connection().prepareStatement(query.sql(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            // Connector/J streams rows one by one only with this exact fetch size
            statement.setFetchSize(Integer.MIN_VALUE);
            JdbcParameters.bind(statement, query.parameters(), query.parameterTypes());
            execution.start(statement);
            // execute(), not executeQuery(): the latter refuses text it cannot classify before the
            // server sees it, which would hide the server's syntax error
            if (!statement.execute()) {
                closeAfterFailure(statement, execution);
                return new EmptyResultStream();
            }
            ResultSet resultSet = statement.getResultSet();
            execution.streaming();
            List<ColumnMetadata> columns = columns(resultSet.getMetaData());
            return new JdbcResultStream(columns, statement, resultSet, execution);
        }
        catch (SQLException e) {
            QueryException failure = execution.failure(e);
            closeAfterFailure(statement, execution);
            throw failure;
        }
        catch (RuntimeException | Error e) {
            closeAfterFailure(statement, execution);
            throw e;
        }
    }

    @Override
    public List<ServerStatus> servers()
    {
        return pool.status();
    }

    /** Connections lent out to statements now (every server); 0 when the source is idle. */
    public int leasedConnections()
    {
        return pool.leasedConnections();
    }

    @Override
    public void close()
    {
        pool.close();
    }

    private List<ColumnMetadata> columns(ResultSetMetaData resultMetadata)
            throws SQLException
    {
        int count = resultMetadata.getColumnCount();
        List<ColumnMetadata> columns = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            ColumnType type = MySqlTypeMapping.fromResultSet(resultMetadata, i);
            type = catalogType(resultMetadata, i, type);
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
    private ColumnType catalogType(ResultSetMetaData resultMetadata, int column, ColumnType driverType)
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
        return found
                .flatMap(tableMetadata -> tableMetadata.columns().stream().filter(c -> c.name().equals(name)).findFirst())
                .map(ColumnMetadata::type)
                .filter(type -> STRING_KINDS.contains(type.kind()))
                .orElse(driverType);
    }

    private static void closeAfterFailure(PreparedStatement statement, Execution execution)
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

    /** One running statement: its connection, its cancel hook, its error mapping. */
    private final class Execution
            implements JdbcResultStream.Owner
    {
        private final ReplicaPool.Lease lease;
        private final ExecutionContext context;
        private final AtomicBoolean aborted = new AtomicBoolean();
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile PreparedStatement statement;
        private volatile boolean streaming;
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

        void start(PreparedStatement statement)
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
            PreparedStatement current = statement;
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
            return MySqlErrors.toQueryException(e, config.source(), lease.server(), reason);
        }

        @Override
        public QueryException warningFailure(java.sql.SQLWarning warnings)
        {
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
