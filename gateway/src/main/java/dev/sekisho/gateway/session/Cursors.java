package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.SessionStatement;
import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;

import java.util.List;
import java.util.Optional;

import static dev.sekisho.gateway.session.StatementCancellation.unchecked;
import static java.util.Objects.requireNonNull;

/**
 * SQL cursors: DECLARE, FETCH, MOVE and CLOSE, as psqlODBC and Tableau use them. A cursor is a
 * portal whose rows are read once, forward only, straight from the source: its query starts at
 * the first FETCH, and nothing is materialised.
 */
final class Cursors
{
    private static final String DUPLICATE_CURSOR = "42P03";
    private static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";

    private final Portals portals;
    private final RunningStatements running;
    private final TransactionEmulation transaction;

    Cursors(Portals portals, RunningStatements running, TransactionEmulation transaction)
    {
        this.portals = requireNonNull(portals, "portals is null");
        this.running = requireNonNull(running, "running is null");
        this.transaction = requireNonNull(transaction, "transaction is null");
    }

    /** DECLARE: the cursor is a new portal over the declared (and already planned) query. */
    void declare(Portal portal)
    {
        PreparedStatement statement = portal.statement();
        SessionStatement.Declare declare = (SessionStatement.Declare) statement.command().orElseThrow();
        if (!declare.hold() && !transaction.inBlock()) {
            throw new QueryException(TransactionEmulation.NO_ACTIVE_TRANSACTION, "DECLARE CURSOR can only be used in transaction blocks",
                    "Send BEGIN first, or declare the cursor WITH HOLD.", null);
        }
        if (portals.contains(declare.name())) {
            throw new QueryException(DUPLICATE_CURSOR, "cursor \"" + declare.name() + "\" already exists", "Close it first, or choose another name.", null);
        }
        PreparedQuery query = statement.query().orElseThrow();
        PreparedStatement rows = new PreparedStatement(declare.name(), declare.query(), StatementKind.QUERY, Optional.of(query), Optional.empty(),
                query.parameterTypes(), Optional.of(query.columns()));
        Portal cursor = new Portal(declare.name(), rows, portal.parameters(), declare.binary() ? List.of(1) : List.of());
        cursor.markCursor(declare.hold());
        portals.add(cursor);
        portal.startCommand("DECLARE CURSOR");
    }

    /** FETCH and MOVE: rows stream from the cursor's own stream, no more than asked for. */
    void fetch(Portal portal, SessionStatement.Fetch fetch)
    {
        Portal cursor = portals.cursor(fetch.cursor());
        long skip;
        long count;
        switch (fetch.direction()) {
            case FORWARD -> {
                skip = 0;
                count = fetch.count();
            }
            case ABSOLUTE, RELATIVE -> {
                long target = fetch.direction() == SessionStatement.Fetch.Direction.ABSOLUTE ? fetch.count() : cursor.position() + fetch.count();
                if (target <= cursor.position() || fetch.direction() == SessionStatement.Fetch.Direction.ABSOLUTE && fetch.count() <= 0) {
                    throw backward();
                }
                skip = target - cursor.position() - 1;
                count = 1;
            }
            default -> throw backward();
        }
        if (count == 0) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho cursors cannot fetch the current row again (FETCH 0, FETCH RELATIVE 0)",
                    "Fetch forward: FETCH n or FETCH NEXT.", null);
        }
        if (!cursor.isStarted()) {
            running.open(cursor, (int) Math.max(1, Math.min(count, 10_000)));
        }
        else {
            running.resume(cursor.context());
        }
        CursorRows rows = new CursorRows(cursor);
        long skipped = 0;
        while (skipped < skip && rows.next()) {
            skipped++;
        }
        if (fetch.move()) {
            long moved = 0;
            if (skipped == skip) {
                while (moved < count && rows.next()) {
                    moved++;
                }
            }
            // MOVE ABSOLUTE / RELATIVE report whether they landed on a row; MOVE n how many rows it passed
            portal.startCommand("MOVE " + (fetch.direction() == SessionStatement.Fetch.Direction.FORWARD ? moved : Math.min(moved, 1)));
            return;
        }
        portal.startRows(skipped == skip ? rows.limit(count) : rows.limit(0), null);
    }

    /** CLOSE name or CLOSE ALL. */
    void close(Portal portal, SessionStatement.Close close)
    {
        Optional<String> name = close.cursor();
        if (name.isPresent()) {
            portals.close(portals.cursor(name.get()).name());
            portal.startCommand("CLOSE CURSOR");
        }
        else {
            portals.closeAll(portal);
            portal.startCommand("CLOSE CURSOR ALL");
        }
    }

    private static QueryException backward()
    {
        return new QueryException(OBJECT_NOT_IN_PREREQUISITE_STATE, "cursor can only scan forward",
                "Sekisho cursors read their rows once, from the source: fetch forward only (FETCH n, FETCH NEXT, FETCH ALL).", null);
    }

    /** The rows of a cursor seen through one FETCH: reading them advances the cursor. */
    private final class CursorRows
            implements ResultStream
    {
        private final Portal cursor;
        private long limit = Long.MAX_VALUE;
        private long returned;

        CursorRows(Portal cursor)
        {
            this.cursor = cursor;
        }

        CursorRows limit(long limit)
        {
            this.limit = limit;
            this.returned = 0;
            return this;
        }

        @Override
        public List<ColumnMetadata> columns()
        {
            return cursor.stream().columns();
        }

        @Override
        public boolean next()
        {
            if (returned >= limit || cursor.isExhausted() || cursor.isClosed()) {
                return false;
            }
            boolean more;
            try {
                more = cursor.stream().next();
            }
            catch (RuntimeException | Error e) {
                // as in PostgreSQL, a cursor whose execution failed cannot be used again
                Throwable failure = cursor.context() == null ? e : StatementCancellation.cancelled(cursor.context(), e);
                portals.discard(cursor);
                throw unchecked(failure);
            }
            if (!more) {
                portals.completed(cursor);
                return false;
            }
            returned++;
            cursor.advance();
            return true;
        }

        @Override
        public Object value(int column)
        {
            return cursor.stream().value(column);
        }

        @Override
        public void close()
        {
            // the cursor stays open until CLOSE or the end of its transaction
            limit = 0;
        }
    }
}
