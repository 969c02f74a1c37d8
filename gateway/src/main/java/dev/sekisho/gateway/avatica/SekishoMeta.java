// Over 600 lines: Avatica's Meta interface has some forty calls, most of them a few lines each; they belong together.
package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.StatementRun;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.ConnectionPropertiesImpl;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.QueryState;
import org.apache.calcite.avatica.remote.TypedValue;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Avatica's {@code Meta} over the gateway's execution layer: every call of an Avatica connection
 * becomes calls of its {@link ClientSession}, the same session the PostgreSQL door drives, so that
 * planning, policies, routing, admission and errors are the same on both doors.
 * <pre>
 *   Avatica                     session
 *   openConnection          ->  Sessions.open (the HTTP request's principal)
 *   prepare                 ->  prepare (JDBC's ? become $n)
 *   execute(parameters)     ->  bind, execute up to one frame of rows (the portal is suspended)
 *   prepareAndExecute       ->  prepare, bind, execute up to one frame
 *   fetch                   ->  execute the suspended portal up to the next frame
 *   closeStatement          ->  closePortal, closeStatement (cancelling a run in progress)
 *   setAutoCommit(false)    ->  BEGIN; commit/rollback -> COMMIT/ROLLBACK then BEGIN
 *   DatabaseMetaData        ->  queries of information_schema through the session ({@link MetadataQueries}),
 *                               so that they show what the principal's policy shows
 * </pre>
 * Each call runs on a worker, under its connection's lock. Outside a transaction block the
 * implicit transaction ends (PostgreSQL's Sync) once no result of the connection is open.
 */
final class SekishoMeta
        implements Meta
{
    private final RemoteConnections connections;
    private final int maxFrameRows;

    SekishoMeta(RemoteConnections connections, int maxFrameRows)
    {
        this.connections = requireNonNull(connections, "connections is null");
        this.maxFrameRows = maxFrameRows;
    }

    /** One call on a connection, under its lock. */
    private interface ConnectionCall<T>
    {
        T run(RemoteConnection connection)
                throws NoSuchStatementException;
    }

    private <T> T onConnection(String connectionId, ConnectionCall<T> call)
            throws NoSuchStatementException
    {
        RemoteConnection connection = connections.get(connectionId, AvaticaCaller.current());
        if (!connection.lock()) {
            throw new org.apache.calcite.avatica.NoSuchConnectionException(connectionId);
        }
        try {
            return call.run(connection);
        }
        catch (NoSuchStatementException e) {
            throw e;
        }
        catch (RuntimeException | Error e) {
            throw AvaticaErrors.toClientError(e);
        }
        finally {
            try {
                endImplicitTransaction(connection);
            }
            finally {
                connection.unlock();
            }
        }
    }

    private <T> T onConnectionUnchecked(String connectionId, ConnectionCall<T> call)
    {
        try {
            return onConnection(connectionId, call);
        }
        catch (NoSuchStatementException e) {
            throw AvaticaErrors.error(SqlStates.INVALID_SQL_STATEMENT_NAME, "statement " + e.getStatementHandle().id + " does not exist", null);
        }
    }

    // ---- connections

    @Override
    public void openConnection(ConnectionHandle ch, Map<String, String> info)
    {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        // only settings a client may choose; the driver's other properties (credentials among them) stay out of the session
        if (info != null && info.get("application_name") != null) {
            settings.put("application_name", info.get("application_name"));
        }
        try {
            connections.open(ch.id, AvaticaCaller.current(), AvaticaCaller.origin(), settings);
        }
        catch (RuntimeException | Error e) {
            // e.g. the user's connection limit: the PostgreSQL door's 53300 and message, no server stack trace
            throw AvaticaErrors.toClientError(e);
        }
    }

    @Override
    public void closeConnection(ConnectionHandle ch)
    {
        RemoteConnection connection;
        try {
            connection = connections.get(ch.id, AvaticaCaller.current());
        }
        catch (org.apache.calcite.avatica.NoSuchConnectionException e) {
            return;
        }
        if (connection.lockForClose(0)) {
            try {
                connections.close(connection);
            }
            finally {
                connection.unlock();
            }
        }
    }

    @Override
    public ConnectionProperties connectionSync(ConnectionHandle ch, ConnectionProperties properties)
    {
        return onConnectionUnchecked(ch.id, connection -> {
            ClientSession session = connection.session();
            if (properties.isAutoCommit() != null && properties.isAutoCommit() != connection.isAutoCommit()) {
                closeResults(connection);
                runCommand(session, properties.isAutoCommit() ? "COMMIT" : "BEGIN");
                connection.setAutoCommit(properties.isAutoCommit());
            }
            if (properties.getSchema() != null) {
                runCommand(session, "SET search_path TO " + quoteIdentifier(properties.getSchema()));
            }
            List<String> searchPath = session.settings().searchPath();
            return new ConnectionPropertiesImpl(connection.isAutoCommit(), true, Connection.TRANSACTION_READ_COMMITTED, null,
                    searchPath.isEmpty() ? null : searchPath.get(0));
        });
    }

    @Override
    public void commit(ConnectionHandle ch)
    {
        endTransaction(ch, "COMMIT");
    }

    @Override
    public void rollback(ConnectionHandle ch)
    {
        endTransaction(ch, "ROLLBACK");
    }

    private void endTransaction(ConnectionHandle ch, String command)
    {
        onConnectionUnchecked(ch.id, connection -> {
            if (!connection.isAutoCommit()) {
                closeResults(connection);
                runCommand(connection.session(), command);
                runCommand(connection.session(), "BEGIN");
            }
            return null;
        });
    }

    @Override
    public Map<DatabaseProperty, Object> getDatabaseProperties(ConnectionHandle ch)
    {
        Map<DatabaseProperty, Object> properties = new EnumMap<>(DatabaseProperty.class);
        properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_NAME, "Sekisho");
        properties.put(DatabaseProperty.GET_DATABASE_PRODUCT_VERSION, Gateway.version());
        properties.put(DatabaseProperty.GET_DEFAULT_TRANSACTION_ISOLATION, Connection.TRANSACTION_READ_COMMITTED);
        return properties;
    }

    // ---- statements

    @Override
    public StatementHandle createStatement(ConnectionHandle ch)
    {
        return onConnectionUnchecked(ch.id, connection -> new StatementHandle(ch.id, connection.createStatement().id(), null));
    }

    @Override
    public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount)
    {
        return onConnectionUnchecked(ch.id, connection -> {
            RemoteStatement statement = connection.createStatement();
            try {
                prepare(connection, statement, sql);
            }
            catch (RuntimeException e) {
                connection.remove(statement.id());
                throw e;
            }
            return new StatementHandle(ch.id, statement.id(), statement.signature());
        });
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
            throws NoSuchStatementException
    {
        return prepareAndExecute(h, sql, maxRowCount, -1, callback);
    }

    @Override
    public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame, PrepareCallback callback)
            throws NoSuchStatementException
    {
        return onConnection(h.connectionId, connection -> {
            RemoteStatement statement = connection.statementOrNew(h.id);
            closeResult(connection, statement);
            prepare(connection, statement, sql);
            return new ExecuteResult(List.of(execute(connection, statement, List.of(), maxRowCount, maxRowsInFirstFrame, false)));
        });
    }

    @Override
    @SuppressWarnings("deprecation")
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, long maxRowCount)
            throws NoSuchStatementException
    {
        return execute(h, parameterValues, (int) Math.min(Integer.MAX_VALUE, maxRowCount));
    }

    @Override
    public ExecuteResult execute(StatementHandle h, List<TypedValue> parameterValues, int maxRowsInFirstFrame)
            throws NoSuchStatementException
    {
        return onConnection(h.connectionId, connection -> {
            RemoteStatement statement = connection.statement(h);
            if (!statement.isPrepared()) {
                throw new NoSuchStatementException(h);
            }
            closeResult(connection, statement);
            PreparedStatement prepared = connection.session().describeStatement(statement.statementName());
            List<ColumnType> types = prepared.parameterTypes();
            List<TypedValue> values = parameterValues == null ? List.of() : parameterValues;
            if (values.size() != types.size()) {
                throw AvaticaErrors.error(SqlStates.PROTOCOL_VIOLATION, "the statement takes " + types.size() + " parameter(s), but "
                        + values.size() + " were bound", "Set every parameter of the prepared statement.");
            }
            List<Object> parameters = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                parameters.add(AvaticaTypes.parameterValue(values.get(i), types.get(i)));
            }
            return new ExecuteResult(List.of(execute(connection, statement, parameters, -1, maxRowsInFirstFrame, false)));
        });
    }

    @Override
    public Frame fetch(StatementHandle h, long offset, int fetchMaxRowCount)
            throws NoSuchStatementException
    {
        return onConnection(h.connectionId, connection -> {
            RemoteStatement statement = connection.statement(h);
            if (!statement.isPortalOpen()) {
                throw AvaticaErrors.error(SqlStates.INVALID_CURSOR_NAME, "the result of statement " + h.id + " is no longer open",
                        "Execute the statement again (a commit, a rollback or an error in the same connection closes open results).");
            }
            if (offset != statement.offset()) {
                throw AvaticaErrors.error(SqlStates.FEATURE_NOT_SUPPORTED, "frames are read in order: the next frame starts at row "
                        + statement.offset() + ", not " + offset, null);
            }
            return nextFrame(connection, statement, fetchMaxRowCount);
        });
    }

    @Override
    public void closeStatement(StatementHandle h)
    {
        RemoteConnection connection;
        try {
            connection = connections.get(h.connectionId, AvaticaCaller.current());
        }
        catch (org.apache.calcite.avatica.NoSuchConnectionException e) {
            return;
        }
        // a close while the statement runs (another thread of the client) cancels it, as closing a JDBC statement does
        if (!connection.lockForClose(h.id)) {
            return;
        }
        try {
            RemoteStatement statement = connection.remove(h.id);
            if (statement != null) {
                closeResult(connection, statement);
                if (statement.isPrepared()) {
                    connection.session().closeStatement(statement.statementName());
                }
            }
        }
        catch (RuntimeException e) {
            throw AvaticaErrors.toClientError(e);
        }
        finally {
            try {
                endImplicitTransaction(connection);
            }
            finally {
                connection.unlock();
            }
        }
    }

    @Override
    public boolean syncResults(StatementHandle sh, QueryState state, long offset)
    {
        // results are not re-created on another server: a client that lost its server executes again
        return false;
    }

    @Override
    public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
    {
        throw batchesRefused();
    }

    @Override
    public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
    {
        throw batchesRefused();
    }

    private static RuntimeException batchesRefused()
    {
        return AvaticaErrors.error(SqlStates.READ_ONLY_SQL_TRANSACTION, "batches are not supported: Sekisho is read-only",
                "Run queries one at a time.");
    }

    @Override
    public Iterable<Object> createIterable(StatementHandle stmt, QueryState state, Signature signature, List<TypedValue> parameters,
            Frame firstFrame)
    {
        throw new UnsupportedOperationException("createIterable is a client-side call");
    }

    // ---- DatabaseMetaData

    @Override
    public MetaResultSet getTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, List<String> typeList)
    {
        return query(ch, MetadataQueries.tables(schemaPattern.s, tableNamePattern.s, typeList));
    }

    @Override
    public MetaResultSet getColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern)
    {
        return query(ch, MetadataQueries.columns(schemaPattern.s, tableNamePattern.s, columnNamePattern.s));
    }

    @Override
    public MetaResultSet getSchemas(ConnectionHandle ch, String catalog, Pat schemaPattern)
    {
        return query(ch, MetadataQueries.schemas(schemaPattern.s));
    }

    @Override
    public MetaResultSet getCatalogs(ConnectionHandle ch)
    {
        return query(ch, MetadataQueries.catalogs());
    }

    @Override
    public MetaResultSet getPrimaryKeys(ConnectionHandle ch, String catalog, String schema, String table)
    {
        return query(ch, MetadataQueries.primaryKeys(schema, table));
    }

    @Override
    public MetaResultSet getTableTypes(ConnectionHandle ch)
    {
        return fixed(ch, MetadataQueries.tableTypes());
    }

    @Override
    public MetaResultSet getTypeInfo(ConnectionHandle ch)
    {
        return fixed(ch, MetadataQueries.typeInfo());
    }

    @Override
    public MetaResultSet getProcedures(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "REMARKS", "PROCEDURE_TYPE", "SPECIFIC_NAME"));
    }

    @Override
    public MetaResultSet getProcedureColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat procedureNamePattern, Pat columnNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE"));
    }

    @Override
    public MetaResultSet getColumnPrivileges(ConnectionHandle ch, String catalog, String schema, String table, Pat columnNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE", "IS_GRANTABLE"));
    }

    @Override
    public MetaResultSet getTablePrivileges(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "GRANTOR", "GRANTEE", "PRIVILEGE", "IS_GRANTABLE"));
    }

    @Override
    public MetaResultSet getBestRowIdentifier(ConnectionHandle ch, String catalog, String schema, String table, int scope, boolean nullable)
    {
        return fixed(ch, MetadataQueries.empty("SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS", "PSEUDO_COLUMN"));
    }

    @Override
    public MetaResultSet getVersionColumns(ConnectionHandle ch, String catalog, String schema, String table)
    {
        return fixed(ch, MetadataQueries.empty("SCOPE", "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS", "PSEUDO_COLUMN"));
    }

    @Override
    public MetaResultSet getImportedKeys(ConnectionHandle ch, String catalog, String schema, String table)
    {
        return fixed(ch, MetadataQueries.foreignKeysEmpty());
    }

    @Override
    public MetaResultSet getExportedKeys(ConnectionHandle ch, String catalog, String schema, String table)
    {
        return fixed(ch, MetadataQueries.foreignKeysEmpty());
    }

    @Override
    public MetaResultSet getCrossReference(ConnectionHandle ch, String parentCatalog, String parentSchema, String parentTable, String foreignCatalog,
            String foreignSchema, String foreignTable)
    {
        return fixed(ch, MetadataQueries.foreignKeysEmpty());
    }

    @Override
    public MetaResultSet getIndexInfo(ConnectionHandle ch, String catalog, String schema, String table, boolean unique, boolean approximate)
    {
        return fixed(ch, MetadataQueries.empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME", "TYPE",
                "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY", "PAGES", "FILTER_CONDITION"));
    }

    @Override
    public MetaResultSet getUDTs(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern, int[] types)
    {
        return fixed(ch, MetadataQueries.empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "CLASS_NAME", "DATA_TYPE", "REMARKS", "BASE_TYPE"));
    }

    @Override
    public MetaResultSet getSuperTypes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "SUPERTYPE_CAT", "SUPERTYPE_SCHEM", "SUPERTYPE_NAME"));
    }

    @Override
    public MetaResultSet getSuperTables(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "SUPERTABLE_NAME"));
    }

    @Override
    public MetaResultSet getAttributes(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat typeNamePattern, Pat attributeNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("TYPE_CAT", "TYPE_SCHEM", "TYPE_NAME", "ATTR_NAME", "DATA_TYPE", "ATTR_TYPE_NAME"));
    }

    @Override
    public MetaResultSet getClientInfoProperties(ConnectionHandle ch)
    {
        return fixed(ch, MetadataQueries.empty("NAME", "MAX_LEN", "DEFAULT_VALUE", "DESCRIPTION"));
    }

    @Override
    public MetaResultSet getFunctions(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE", "SPECIFIC_NAME"));
    }

    @Override
    public MetaResultSet getFunctionColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat functionNamePattern, Pat columnNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "COLUMN_NAME", "COLUMN_TYPE", "DATA_TYPE"));
    }

    @Override
    public MetaResultSet getPseudoColumns(ConnectionHandle ch, String catalog, Pat schemaPattern, Pat tableNamePattern, Pat columnNamePattern)
    {
        return fixed(ch, MetadataQueries.empty("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", "COLUMN_SIZE"));
    }

    /** A metadata query run through the session like any statement, on a statement of its own. */
    private MetaResultSet query(ConnectionHandle ch, MetadataQueries.Query query)
    {
        return onConnectionUnchecked(ch.id, connection -> {
            RemoteStatement statement = connection.createStatement();
            try {
                prepare(connection, statement, query.sql());
                return execute(connection, statement, query.parameters(), -1, maxFrameRows, true);
            }
            catch (RuntimeException e) {
                connection.remove(statement.id());
                throw e;
            }
        });
    }

    /** A metadata result the gateway knows without asking the session (type info, or nothing at all). */
    private MetaResultSet fixed(ConnectionHandle ch, MetadataQueries.Fixed result)
    {
        return onConnectionUnchecked(ch.id, connection -> {
            RemoteStatement statement = connection.createStatement();
            Signature signature = new Signature(result.columns(), "", List.of(), Map.of(), CursorFactory.ARRAY, StatementType.SELECT);
            return MetaResultSet.create(ch.id, statement.id(), true, signature, new Frame(0, true, result.rows()));
        });
    }

    // ---- the session calls

    private static void prepare(RemoteConnection connection, RemoteStatement statement, String sql)
    {
        ClientSession session = connection.session();
        if (statement.isPrepared()) {
            session.closeStatement(statement.statementName());
            statement.unprepared();
        }
        String postgresSql = JdbcPlaceholders.toPostgres(sql);
        session.prepare(statement.statementName(), postgresSql, List.of());
        PreparedStatement prepared = session.describeStatement(statement.statementName());
        List<ColumnMetaData> columns = columns(prepared.columns().orElse(List.of()));
        List<AvaticaParameter> parameters = new ArrayList<>();
        for (int i = 0; i < prepared.parameterTypes().size(); i++) {
            parameters.add(AvaticaTypes.parameter(i, prepared.parameterTypes().get(i)));
        }
        StatementType type = prepared.columns().isPresent() ? StatementType.SELECT : StatementType.OTHER_DDL;
        statement.prepared(new Signature(columns, sql, parameters, Map.of(), CursorFactory.ARRAY, type));
    }

    private static List<ColumnMetaData> columns(List<ResultColumn> resultColumns)
    {
        List<ColumnMetaData> columns = new ArrayList<>(resultColumns.size());
        for (int i = 0; i < resultColumns.size(); i++) {
            columns.add(AvaticaTypes.column(i, resultColumns.get(i)));
        }
        return columns;
    }

    /** Binds the statement's portal and runs it up to the first frame; a command runs to its end. */
    private MetaResultSet execute(RemoteConnection connection, RemoteStatement statement, List<Object> parameters, long maxRowCount,
            int firstFrameRows, boolean ownStatement)
    {
        ClientSession session = connection.session();
        Portal portal = session.bind(statement.portalName(), statement.statementName(), parameters, List.of());
        statement.resultOpened(maxRowCount > 0 ? maxRowCount : -1);
        if (portal.columns().isEmpty()) {
            nextFrame(connection, statement, 0);
            return MetaResultSet.count(connection.id(), statement.id(), 0);
        }
        Signature prepared = statement.signature();
        Signature signature = new Signature(columns(portal.columns().get()), prepared.sql, prepared.parameters, Map.of(), CursorFactory.ARRAY,
                StatementType.SELECT);
        Frame frame = nextFrame(connection, statement, firstFrameRows);
        return MetaResultSet.create(connection.id(), statement.id(), ownStatement, signature, frame);
    }

    /** Runs the statement's portal for one more frame: the run stops at the frame's size, and the portal waits for the next fetch. */
    private Frame nextFrame(RemoteConnection connection, RemoteStatement statement, int requestedRows)
    {
        ClientSession session = connection.session();
        int frameRows = requestedRows > 0 ? Math.min(requestedRows, maxFrameRows) : maxFrameRows;
        if (statement.remaining() >= 0) {
            frameRows = (int) Math.min(frameRows, statement.remaining());
        }
        long offset = statement.offset();
        if (frameRows == 0) {
            closeResult(connection, statement);
            return new Frame(offset, true, List.of());
        }
        FrameSink sink = new FrameSink();
        connection.running(statement.id());
        session.statementStarted();
        try {
            StatementRun run = session.execute(statement.portalName(), frameRows, sink);
            while (run.proceed() == StatementRun.Outcome.PAUSED) {
                // the frame sink is always ready: a run pauses only between rows it can go on with at once
            }
        }
        catch (RuntimeException | Error e) {
            // the run closed the portal; the statement failed as it does on the PostgreSQL door
            statement.resultClosed();
            session.fail();
            throw e;
        }
        finally {
            session.statementFinished();
            connection.running(0);
        }
        statement.sent(sink.rows().size());
        boolean done = sink.isCompleted() || statement.remaining() == 0;
        if (done) {
            closeResult(connection, statement);
        }
        return new Frame(offset, done, sink.rows());
    }

    /** Closes the statement's open result, if any, with what it holds at the sources. */
    private static void closeResult(RemoteConnection connection, RemoteStatement statement)
    {
        if (statement.isPortalOpen()) {
            statement.resultClosed();
            connection.session().closePortal(statement.portalName());
        }
    }

    private static void closeResults(RemoteConnection connection)
    {
        for (RemoteStatement statement : connection.statements()) {
            closeResult(connection, statement);
        }
    }

    /** Outside a transaction block, once no result is open, the implicit transaction ends (PostgreSQL's Sync after each statement). */
    private static void endImplicitTransaction(RemoteConnection connection)
    {
        if (!connection.hasOpenResult()) {
            connection.session().sync();
            connection.session().takeParameterChanges();
        }
    }

    /** Runs a session command (BEGIN, COMMIT, SET) on the unnamed statement. */
    private static void runCommand(ClientSession session, String sql)
    {
        session.prepare("", sql, List.of());
        session.bind("", "", List.of(), List.of());
        StatementRun run = session.execute("", 0, new FrameSink());
        while (run.proceed() == StatementRun.Outcome.PAUSED) {
            // a command has no rows to pause on
        }
        session.closePortal("");
        session.closeStatement("");
    }

    private static String quoteIdentifier(String name)
    {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
