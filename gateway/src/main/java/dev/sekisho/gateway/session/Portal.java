package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.StatementKind;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ResultStream;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A bound statement ready to run, possibly in several steps: a query portal keeps its
 * {@link ResultStream} open between Executes until the rows run out or the portal is closed.
 * Used by one thread at a time (the connection's), except {@link SessionExecutionContext#cancel}.
 */
public final class Portal
{
    private final String name;
    private final PreparedStatement statement;
    private final List<Object> parameters;
    private final List<Integer> resultFormats;
    private ResultStream stream;
    private SessionExecutionContext context;
    private boolean started;
    private boolean exhausted;
    private boolean closed;
    private String commandTag;
    private boolean cursor;
    private boolean holdable;
    private boolean pending;
    private long position;
    private final Map<String, String> parameterChanges = new LinkedHashMap<>();
    private final List<Notice> notices = new ArrayList<>();
    /** What to tell when the portal closes before its statement ended; null when nobody waits for that. */
    private Runnable closedEarly;

    Portal(String name, PreparedStatement statement, List<Object> parameters, List<Integer> resultFormats)
    {
        this.name = requireNonNull(name, "name is null");
        this.statement = requireNonNull(statement, "statement is null");
        this.parameters = java.util.Collections.unmodifiableList(new ArrayList<>(parameters));
        this.resultFormats = List.copyOf(resultFormats);
    }

    public String name()
    {
        return name;
    }

    public PreparedStatement statement()
    {
        return statement;
    }

    public StatementKind kind()
    {
        return statement.kind();
    }

    public List<Object> parameters()
    {
        return parameters;
    }

    /** The front end's output format codes for the result columns (pgwire: 0 text, 1 binary). */
    public List<Integer> resultFormats()
    {
        return resultFormats;
    }

    /** Whether the statement is empty (nothing but whitespace and comments). */
    public boolean isEmptyQuery()
    {
        return statement.kind() == StatementKind.EMPTY;
    }

    /** The result's columns; empty when the portal returns no rows. */
    public Optional<List<ResultColumn>> columns()
    {
        return statement.columns();
    }

    /** Whether executing the portal produces rows (read them from {@link #stream()}). */
    public boolean returnsRows()
    {
        return statement.columns().isPresent();
    }

    /** The open rows; only for portals that {@link #returnsRows()}, after {@link Session#execute}. */
    public ResultStream stream()
    {
        if (stream == null) {
            throw new IllegalStateException("portal has not been executed: " + name);
        }
        return stream;
    }

    /** Whether all rows have been read (or the command has run). */
    public boolean isExhausted()
    {
        return exhausted;
    }

    /** Marks the rows as all read and releases the stream. */
    public void markExhausted()
    {
        exhausted = true;
        closeStream();
    }

    /**
     * The CommandComplete tag after an Execute that read {@code rows} rows, e.g. {@code SELECT 5},
     * {@code SET}, {@code BEGIN}.
     */
    public String commandTag(long rows)
    {
        if (commandTag != null) {
            return commandTag;
        }
        return switch (statement.kind()) {
            case QUERY -> "SELECT " + rows;
            case FETCH -> "FETCH " + rows;
            case SHOW -> "SHOW";
            default -> {
                String keyword = StatementText.firstKeyword(statement.statement());
                yield keyword.equals("SELECT") || keyword.isEmpty() ? "SELECT " + rows : keyword;
            }
        };
    }

    /** Settings reported to the client that this portal's execution changed. */
    public Map<String, String> parameterChanges()
    {
        return parameterChanges;
    }

    /** Warnings from this portal's execution. */
    public List<Notice> notices()
    {
        return notices;
    }

    /** Whether this portal is a cursor made by DECLARE (rather than by a Bind message). */
    public boolean isCursor()
    {
        return cursor;
    }

    /** Whether this cursor was declared WITH HOLD (it survives the commit of its transaction). */
    public boolean isHoldable()
    {
        return holdable;
    }

    /** For a cursor: how many rows FETCH and MOVE have gone past. */
    public long position()
    {
        return position;
    }

    void markCursor(boolean holdable)
    {
        this.cursor = true;
        this.holdable = holdable;
        this.pending = true;
    }

    /** Whether the portal was made in the transaction still in progress. */
    boolean isPending()
    {
        return pending;
    }

    void committed()
    {
        pending = false;
    }

    void advance()
    {
        position++;
    }

    boolean isStarted()
    {
        return started;
    }

    void startCommand(String tag)
    {
        started = true;
        exhausted = true;
        commandTag = tag;
    }

    void startRows(ResultStream stream, SessionExecutionContext context)
    {
        started = true;
        this.stream = requireNonNull(stream, "stream is null");
        this.context = context;
    }

    SessionExecutionContext context()
    {
        return context;
    }

    /** Whether the rows came, in part or whole, from the result cache rather than the sources. */
    public boolean answeredFromCache()
    {
        return context != null && context.wasAnsweredFromCache();
    }

    boolean isClosed()
    {
        return closed;
    }

    /** Whether the portal is still open: not closed, and its rows not all read. */
    public boolean isOpen()
    {
        return !closed && !exhausted;
    }

    /** Closes the portal: its stream (which cancels the work at the source) and its context. */
    void close()
    {
        closed = true;
        Runnable early = closedEarly;
        closedEarly = null;
        try {
            closeStream();
        }
        finally {
            if (early != null && !exhausted) {
                early.run();
            }
        }
    }

    /**
     * Runs {@code action} if the portal is closed (Close, the end of its transaction, another Bind
     * of its name, the session's end) before its rows ran out, so that a statement whose run paused
     * at its row limit still ends once for the audit trail; null forgets an earlier action (a new
     * run of the portal starts, which ends the statement itself). Runs at most once.
     */
    public void whenClosedEarly(Runnable action)
    {
        closedEarly = action;
    }

    private void closeStream()
    {
        ResultStream current = stream;
        if (current != null) {
            current.close();
        }
    }
}
