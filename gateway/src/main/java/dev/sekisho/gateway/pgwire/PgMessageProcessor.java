package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FormatCodes;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import dev.sekisho.gateway.pgwire.types.PgType;
import dev.sekisho.gateway.pgwire.types.PgTypes;
import dev.sekisho.gateway.pgwire.types.PgWireType;
import dev.sekisho.gateway.session.Notice;
import dev.sekisho.gateway.session.Portal;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.session.Session;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.gateway.sql.StatementSplitter;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Handles the messages of an authenticated connection, one at a time, on a worker thread: each
 * message is decoded already, calls the {@link Session} once and writes the reply. Owns the
 * "after an error in the extended protocol, skip everything until Sync" rule. Streaming rows may
 * pause for backpressure; the connection then calls {@link #resume()} when the channel is writable.
 */
final class PgMessageProcessor
{
    private final Session session;
    private final PgOutput out;
    private final Runnable closeConnection;
    /** The parameter type OIDs each statement was parsed with (for the types only an OID names). */
    private final Map<String, int[]> declaredOids = new HashMap<>();
    private boolean ignoreUntilSync;
    private Step paused;

    /** A piece of work that may pause for backpressure; returns true when finished. */
    private interface Step
    {
        boolean run();
    }

    PgMessageProcessor(Session session, PgOutput out, Runnable closeConnection)
    {
        this.session = requireNonNull(session, "session is null");
        this.out = requireNonNull(out, "out is null");
        this.closeConnection = requireNonNull(closeConnection, "closeConnection is null");
    }

    /** Handles one message; returns false when it paused for backpressure (call {@link #resume()}). */
    boolean handle(FrontendMessage message)
    {
        if (paused != null) {
            throw new IllegalStateException("a paused message must be resumed first");
        }
        if (ignoreUntilSync && !(message instanceof FrontendMessage.Sync) && !(message instanceof FrontendMessage.Terminate)) {
            return true;
        }
        try {
            if (message instanceof FrontendMessage.Query query) {
                session.statementStarted();
                return run(new SimpleQuery(query.sql()));
            }
            if (message instanceof FrontendMessage.Parse parse) {
                parse(parse);
            }
            else if (message instanceof FrontendMessage.Bind bind) {
                bind(bind);
            }
            else if (message instanceof FrontendMessage.Describe describe) {
                describe(describe);
            }
            else if (message instanceof FrontendMessage.Execute execute) {
                session.statementStarted();
                return run(new ExecuteStep(execute.portalName(), execute.maxRows()));
            }
            else if (message instanceof FrontendMessage.Sync) {
                ignoreUntilSync = false;
                readyForQuery();
                out.flush();
            }
            else if (message instanceof FrontendMessage.Flush) {
                out.flush();
            }
            else if (message instanceof FrontendMessage.Close close) {
                if (close.target() == 'S') {
                    declaredOids.remove(close.name());
                    session.closeStatement(close.name());
                }
                else {
                    session.closePortal(close.name());
                }
                BackendMessages.closeComplete(out.buffer());
            }
            else if (message instanceof FrontendMessage.Terminate) {
                out.flush();
                closeConnection.run();
            }
            else if (message instanceof FrontendMessage.Unsupported unsupported) {
                if (unsupported.type() == 'F') {
                    BackendMessages.errorResponse(out.buffer(), PgError.error(SqlStates.FEATURE_NOT_SUPPORTED,
                            "the FunctionCall message is not supported by Sekisho"));
                    BackendMessages.readyForQuery(out.buffer(), session.transactionStatus().code());
                    out.flush();
                }
                // CopyData, CopyDone and CopyFail outside COPY are ignored, as PostgreSQL does
            }
            else {
                throw new PgProtocolException("unexpected message " + message.getClass().getSimpleName() + " after authentication");
            }
        }
        catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            extendedError(e);
        }
        return true;
    }

    /** Errors of the JVM itself that no statement can recover from; everything else becomes an ErrorResponse. */
    private static void rethrowIfFatal(Throwable e)
    {
        if (e instanceof VirtualMachineError && !(e instanceof OutOfMemoryError) && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
    }

    /** Continues a paused message; returns false when it paused again. */
    boolean resume()
    {
        Step step = paused;
        paused = null;
        return step == null || run(step);
    }

    boolean isPaused()
    {
        return paused != null;
    }

    private boolean run(Step step)
    {
        boolean finished = false;
        try {
            finished = step.run();
        }
        finally {
            if (finished) {
                session.statementFinished();
            }
        }
        if (!finished) {
            paused = step;
            out.flush();
        }
        return finished;
    }

    /** Ends the implicit transaction if any and writes ReadyForQuery (after settings a rollback put back). */
    private void readyForQuery()
    {
        char status = session.sync().code();
        session.takeParameterChanges().forEach((name, value) -> BackendMessages.parameterStatus(out.buffer(), name, value));
        BackendMessages.readyForQuery(out.buffer(), status);
    }

    private void parse(FrontendMessage.Parse parse)
    {
        List<ColumnType> declared = new ArrayList<>(parse.parameterOids().size());
        for (int oid : parse.parameterOids()) {
            declared.add(PgTypes.fromOid(oid).orElse(null));
        }
        session.parse(parse.statementName(), parse.sql(), declared);
        declaredOids.put(parse.statementName(), parse.parameterOids().stream().mapToInt(Integer::intValue).toArray());
        BackendMessages.parseComplete(out.buffer());
    }

    private void bind(FrontendMessage.Bind bind)
    {
        PreparedStatement statement = session.describeStatement(bind.statementName());
        List<byte[]> raw = bind.parameters();
        List<Integer> formats = bind.parameterFormats();
        if (formats.size() > 1 && formats.size() != raw.size()) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message has " + formats.size() + " parameter formats but " + raw.size()
                    + " parameters");
        }
        List<ColumnType> types = statement.parameterTypes();
        if (raw.size() != types.size()) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message supplies " + raw.size() + " parameters, but prepared statement \""
                    + bind.statementName() + "\" requires " + types.size());
        }
        List<Object> values = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            byte[] bytes = raw.get(i);
            if (bytes == null) {
                values.add(null);
                continue;
            }
            ColumnType type = types.get(i);
            int declaredOid = declaredOid(bind.statementName(), i);
            Optional<PgWireType> declaredType = PgTypes.declaredParameterType(declaredOid);
            PgWireType pgType = declaredType.orElse(type == null ? PgType.TEXT : PgTypes.of(type));
            int format = checkFormat(FormatCodes.format(formats, i));
            if (format == FormatCodes.BINARY) {
                boolean unknownOid = declaredOid != 0 && declaredType.isEmpty() && PgTypes.forOid(declaredOid).filter(PgType.class::isInstance).isEmpty();
                if (unknownOid || !pgType.hasBinary()) {
                    String typeName = PgTypes.forOid(declaredOid).map(PgWireType::displayName).orElse("with OID " + declaredOid);
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "binary format is not supported for parameter $" + (i + 1) + " of type "
                            + typeName + "; send this parameter in text format");
                }
                ByteBuf buffer = Unpooled.wrappedBuffer(bytes);
                Object value = pgType.decodeBinary(buffer, bytes.length);
                if (buffer.isReadable()) {
                    throw new QueryException("22P03", "incorrect binary data format in bind parameter " + (i + 1));
                }
                values.add(value);
            }
            else {
                values.add(pgType.decodeText(new String(bytes, StandardCharsets.UTF_8), session.settings().timeZone()));
            }
        }
        List<Integer> resultFormats = bind.resultFormats();
        for (int resultFormat : resultFormats) {
            checkFormat(resultFormat);
        }
        int columnCount = statement.columns().map(List::size).orElse(0);
        if (resultFormats.size() > 1 && resultFormats.size() != columnCount) {
            throw new QueryException(SqlStates.PROTOCOL_VIOLATION, "bind message has " + resultFormats.size() + " result formats but query has "
                    + columnCount + " columns");
        }
        session.bind(bind.portalName(), bind.statementName(), values, resultFormats);
        BackendMessages.bindComplete(out.buffer());
    }

    private void describe(FrontendMessage.Describe describe)
    {
        if (describe.target() == 'S') {
            PreparedStatement statement = session.describeStatement(describe.name());
            List<Integer> oids = new ArrayList<>(statement.parameterTypes().size());
            List<ColumnType> parameterTypes = statement.parameterTypes();
            for (int i = 0; i < parameterTypes.size(); i++) {
                ColumnType type = parameterTypes.get(i);
                Optional<PgWireType> declared = PgTypes.declaredParameterType(declaredOid(describe.name(), i));
                oids.add(declared.map(PgWireType::oid).orElse(type == null ? PgType.TEXT.oid() : PgTypes.of(type).oid()));
            }
            BackendMessages.parameterDescription(out.buffer(), oids);
            writeRowDescription(statement.columns().orElse(null), List.of());
        }
        else {
            Portal portal = session.portal(describe.name());
            writeRowDescription(portal.columns().orElse(null), portal.resultFormats());
        }
    }

    private void writeRowDescription(List<ResultColumn> columns, List<Integer> formats)
    {
        if (columns == null) {
            BackendMessages.noData(out.buffer());
            return;
        }
        List<BackendMessages.FieldDescription> fields = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ResultColumn column = columns.get(i);
            PgWireType type = PgTypes.of(column);
            fields.add(new BackendMessages.FieldDescription(column.name(), 0, 0, type.oid(), type.typlen(), PgTypes.typmod(column), FormatCodes.format(formats, i)));
        }
        BackendMessages.rowDescription(out.buffer(), fields);
    }

    private void writeOutcome(Portal portal)
    {
        for (Notice notice : portal.notices()) {
            BackendMessages.noticeResponse(out.buffer(), PgError.warning(notice.sqlState(), notice.message()));
        }
        for (Map.Entry<String, String> change : portal.parameterChanges().entrySet()) {
            BackendMessages.parameterStatus(out.buffer(), change.getKey(), change.getValue());
        }
    }

    /** The OID parameter {@code index} of a statement was declared with in Parse; 0 if none. */
    private int declaredOid(String statementName, int index)
    {
        int[] oids = declaredOids.get(statementName);
        return oids != null && index < oids.length ? oids[index] : 0;
    }

    private static int checkFormat(int format)
    {
        if (!FormatCodes.isKnown(format)) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unsupported format code: " + format);
        }
        return format;
    }

    private void extendedError(Throwable e)
    {
        PgError error = PgErrors.toError(e);
        BackendMessages.errorResponse(out.buffer(), error);
        if (error.severity() == PgError.Severity.FATAL) {
            out.flush();
            closeConnection.run();
            return;
        }
        session.fail();
        ignoreUntilSync = true;
    }

    /** Closes a portal after its statement failed; a failure to close is logged, never reported over the first one. */
    private void closePortalQuietly(String name)
    {
        try {
            session.closePortal(name);
        }
        catch (RuntimeException | Error e) {
            rethrowIfFatal(e);
            StatementFailures.internal(e);
        }
    }

    /** Execute: runs a portal, streaming up to {@code maxRows} rows (0 = all). */
    private final class ExecuteStep
            implements Step
    {
        private final String portalName;
        private final int maxRows;
        private Portal portal;
        private RowStreamer streamer;

        ExecuteStep(String portalName, int maxRows)
        {
            this.portalName = portalName;
            this.maxRows = maxRows;
        }

        @Override
        public boolean run()
        {
            try {
                if (streamer == null) {
                    portal = session.execute(portalName, maxRows);
                    if (portal.kind() == StatementKind.EMPTY) {
                        BackendMessages.emptyQueryResponse(out.buffer());
                        return true;
                    }
                    writeOutcome(portal);
                    if (!portal.returnsRows() || portal.isExhausted()) {
                        BackendMessages.commandComplete(out.buffer(), portal.commandTag(0));
                        return true;
                    }
                    streamer = new RowStreamer(session, portal, maxRows, out);
                }
                RowStreamer.Outcome outcome = streamer.run();
                switch (outcome) {
                    case PAUSED:
                        return false;
                    case SUSPENDED:
                        BackendMessages.portalSuspended(out.buffer());
                        return true;
                    default:
                        BackendMessages.commandComplete(out.buffer(), portal.commandTag(streamer.sent()));
                        return true;
                }
            }
            catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                Throwable failure = session.translateFailure(portal, e);
                if (portal != null) {
                    closePortalQuietly(portalName);
                }
                extendedError(failure);
                return true;
            }
        }
    }

    /** A simple Query: each statement in turn, then one ReadyForQuery; an error stops the rest. */
    private final class SimpleQuery
            implements Step
    {
        private final String sql;
        private List<String> statements;
        private int index;
        private Portal portal;
        private RowStreamer streamer;

        SimpleQuery(String sql)
        {
            this.sql = sql;
        }

        @Override
        public boolean run()
        {
            try {
                if (statements == null) {
                    statements = StatementSplitter.split(sql);
                    if (statements.isEmpty()) {
                        BackendMessages.emptyQueryResponse(out.buffer());
                    }
                    session.setImplicitTransactionBlock(statements.size() > 1);
                }
                while (index < statements.size()) {
                    if (streamer == null) {
                        portal = null;
                        declaredOids.remove("");
                        session.parse("", statements.get(index), List.of());
                        session.bind("", "", List.of(), List.of());
                        portal = session.execute("", 0);
                        writeOutcome(portal);
                        if (!portal.returnsRows()) {
                            BackendMessages.commandComplete(out.buffer(), portal.commandTag(0));
                            index++;
                            continue;
                        }
                        writeRowDescription(portal.columns().orElseThrow(), portal.resultFormats());
                        streamer = new RowStreamer(session, portal, 0, out);
                    }
                    if (streamer.run() == RowStreamer.Outcome.PAUSED) {
                        return false;
                    }
                    BackendMessages.commandComplete(out.buffer(), portal.commandTag(streamer.sent()));
                    streamer = null;
                    index++;
                }
            }
            catch (RuntimeException | Error e) {
                rethrowIfFatal(e);
                PgError error = PgErrors.toError(session.translateFailure(portal, e));
                BackendMessages.errorResponse(out.buffer(), error);
                if (error.severity() == PgError.Severity.FATAL) {
                    out.flush();
                    closeConnection.run();
                    return true;
                }
                closePortalQuietly("");
                session.fail();
            }
            session.setImplicitTransactionBlock(false);
            session.closeStatement("");
            readyForQuery();
            out.flush();
            return true;
        }
    }
}
