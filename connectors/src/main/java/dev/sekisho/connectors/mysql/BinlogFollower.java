package dev.sekisho.connectors.mysql;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.QueryEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.TableChangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Follows one server's binary log as a replication client and tells its listener which tables'
 * rows changed: row events name their table (through the table map that precedes them); a
 * statement-based event or DDL cannot be tied to rows, so it counts as a change of the whole
 * source, and so does every (re)connection (events may have been missed meanwhile). Runs on the
 * replication client's own thread, reconnecting by itself (keep-alive).
 */
final class BinlogFollower
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(BinlogFollower.class);
    private static final Pattern HOST_PORT = Pattern.compile("jdbc:mysql://([^:/?,]+)(?::(\\d+))?.*");
    private static final long CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final Pattern DDL = Pattern.compile("\\s*(?:/\\*.*?\\*/\\s*)*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\\b", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final String NAME = "`((?:[^`]|``)+)`|([A-Za-z0-9_$]+)";
    private static final Pattern ALTER_TABLE = Pattern.compile(
            "\\s*(?:/\\*.*?\\*/\\s*)*ALTER\\s+(?:ONLINE\\s+)?(?:IGNORE\\s+)?TABLE\\s+(?:IF\\s+EXISTS\\s+)?(?:" + NAME + ")(?:\\s*\\.\\s*(?:" + NAME + "))?",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final String source;
    private final MySqlConfig.Server server;
    private final BinaryLogClient client;
    private final TableChangeListener listener;
    private final Map<Long, SourceTable> tables = new ConcurrentHashMap<>();

    BinlogFollower(String source, MySqlConfig.Server server, long serverId, TableChangeListener listener)
    {
        this.source = requireNonNull(source, "source is null");
        this.server = requireNonNull(server, "server is null");
        this.listener = requireNonNull(listener, "listener is null");
        Matcher matcher = HOST_PORT.matcher(server.jdbcUrl());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("cannot read host and port from " + server.jdbcUrl());
        }
        int port = matcher.group(2) == null ? MySqlConfig.DEFAULT_PORT : Integer.parseInt(matcher.group(2));
        this.client = new BinaryLogClient(matcher.group(1), port, server.user(), server.password() == null ? "" : server.password());
        client.setServerId(serverId);
        client.setKeepAlive(true);
        client.registerEventListener(this::onEvent);
        client.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener()
        {
            @Override
            public void onConnect(BinaryLogClient connected)
            {
                log.info("source {}: following the binary log of {} for the result cache", source, server.name());
                // whatever happened while no one listened is unknown
                listener.sourceChanged();
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient failed, Exception e)
            {
                log.warn("source {}: the binary log of {} broke off ({}); reconnecting", source, server.name(), e.getMessage());
                listener.sourceChanged();
            }

            @Override
            public void onDisconnect(BinaryLogClient disconnected)
            {
                listener.sourceChanged();
            }
        });
    }

    /** Connects (waiting up to 10 s for the first connection) and follows from the log's current end. */
    void start()
    {
        try {
            client.connect(CONNECT_TIMEOUT_MILLIS);
        }
        catch (IOException | TimeoutException e) {
            // keep-alive goes on trying; until then the cache relies on TTLs
            log.warn("source {}: cannot follow the binary log of {} yet: {}", source, server.name(), e.getMessage());
        }
    }

    private void onEvent(Event event)
    {
        EventData data = event.getData();
        if (data instanceof TableMapEventData map) {
            tables.put(map.getTableId(), new SourceTable(map.getDatabase(), map.getTable()));
        }
        else if (data instanceof WriteRowsEventData rows) {
            changed(rows.getTableId());
        }
        else if (data instanceof UpdateRowsEventData rows) {
            changed(rows.getTableId());
        }
        else if (data instanceof DeleteRowsEventData rows) {
            changed(rows.getTableId());
        }
        else if (data instanceof QueryEventData query && isChange(query.getSql())) {
            if (DDL.matcher(query.getSql()).lookingAt()) {
                listener.schemaChanged(alteredTable(query.getSql(), query.getDatabase()));
            }
            else {
                listener.sourceChanged();
            }
        }
    }

    private void changed(long tableId)
    {
        SourceTable table = tables.get(tableId);
        if (table == null) {
            listener.sourceChanged();
        }
        else {
            listener.tableChanged(table);
        }
    }

    /**
     * The table of {@code ALTER TABLE [db.]t ...} (qualified by the statement's default database
     * when it names none); empty for other DDL, which may touch several tables.
     */
    static Optional<SourceTable> alteredTable(String sql, String defaultDatabase)
    {
        Matcher matcher = ALTER_TABLE.matcher(sql);
        if (!matcher.lookingAt()) {
            return Optional.empty();
        }
        String first = name(matcher.group(1), matcher.group(2));
        String second = name(matcher.group(3), matcher.group(4));
        if (second != null) {
            return Optional.of(new SourceTable(first, second));
        }
        return defaultDatabase == null || defaultDatabase.isEmpty() ? Optional.empty() : Optional.of(new SourceTable(defaultDatabase, first));
    }

    /** A name as written: back-quoted (with doubled back quotes inside) or plain; null when absent. */
    private static String name(String quoted, String plain)
    {
        return quoted != null ? quoted.replace("``", "`") : plain;
    }

    /** A statement event other than a transaction's bounds: statement-based DML or DDL. */
    private static boolean isChange(String sql)
    {
        String trimmed = sql == null ? "" : sql.strip().toUpperCase(Locale.ROOT);
        return !trimmed.isEmpty() && !trimmed.equals("BEGIN") && !trimmed.equals("COMMIT") && !trimmed.startsWith("XA ") && !trimmed.startsWith("SAVEPOINT");
    }

    @Override
    public void close()
    {
        try {
            client.disconnect();
        }
        catch (IOException e) {
            log.debug("source {}: closing the binary log connection failed", source, e);
        }
    }
}
