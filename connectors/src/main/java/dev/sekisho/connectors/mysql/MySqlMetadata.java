package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.planner.spi.TableMetadata.TableKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Databases, tables, views, columns, primary keys and secondary indexes from a replica's
 * {@code information_schema}, cached per schema (one round of queries loads a whole schema) until
 * {@link #refresh()}.
 */
public final class MySqlMetadata
        implements ConnectorMetadata
{
    private static final Logger log = LoggerFactory.getLogger(MySqlMetadata.class);

    private static final Set<String> SYSTEM_SCHEMAS = Set.of("information_schema", "mysql", "performance_schema", "sys");
    /** MariaDB's JSON alias: {@code LONGTEXT ... CHECK (json_valid(`col`))}. */
    private static final Pattern JSON_CHECK = Pattern.compile("^\\s*json_valid\\(\\s*`((?:[^`]|``)+)`\\s*\\)\\s*$", Pattern.CASE_INSENSITIVE);

    private final String source;
    private final ReplicaPool pool;
    private final List<String> databases;
    private volatile List<String> schemas;
    private final Map<String, Map<String, TableMetadata>> tables = new ConcurrentHashMap<>();
    /** Bumped by every {@link #refresh()}: what was derived from the schemas before it is stale. */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    public MySqlMetadata(String source, ReplicaPool pool, List<String> databases)
    {
        this.source = requireNonNull(source, "source is null");
        this.pool = requireNonNull(pool, "pool is null");
        this.databases = List.copyOf(databases);
    }

    @Override
    public List<String> listSchemas()
    {
        List<String> cached = schemas;
        if (cached == null) {
            cached = loadSchemas();
            if (cached == null) {
                return databases;
            }
            schemas = cached;
        }
        return cached;
    }

    @Override
    public List<String> listTables(String schema)
    {
        return List.copyOf(schemaTables(schema).keySet());
    }

    @Override
    public Optional<TableMetadata> getTable(String schema, String table)
    {
        return Optional.ofNullable(schemaTables(schema).get(table));
    }

    /** Whether the tables of {@code schema} are cached (then {@link #getCachedTable} answers for them); never touches the network. */
    boolean isSchemaCached(String schema)
    {
        return tables.containsKey(schema);
    }

    /** The table if its schema is already cached; never touches the network. */
    public Optional<TableMetadata> getCachedTable(String schema, String table)
    {
        Map<String, TableMetadata> cached = tables.get(schema);
        return cached == null ? Optional.empty() : Optional.ofNullable(cached.get(table));
    }

    @Override
    public void refresh()
    {
        generation.incrementAndGet();
        schemas = null;
        tables.clear();
    }

    /** Changes with every {@link #refresh()} (the catalog was read again: a schema may have changed). */
    long generation()
    {
        return generation.get();
    }

    private Map<String, TableMetadata> schemaTables(String schema)
    {
        if (!listSchemas().contains(schema)) {
            return Map.of();
        }
        Map<String, TableMetadata> cached = tables.get(schema);
        if (cached == null) {
            cached = loadTables(schema);
            tables.put(schema, cached);
        }
        return cached;
    }

    private List<String> loadSchemas()
    {
        try {
            return readSchemas();
        }
        catch (QueryException e) {
            if (databases.isEmpty() || !isUnreachable(e)) {
                throw e;
            }
            // the configuration names them: the gateway can start (and serve other sources) while this one is down;
            // not cached, so that the next listing asks the source again
            log.warn("source {}: no server answers ({}); exposing the configured databases {} until one does", source, e.getMessage(), databases);
            return null;
        }
    }

    private static boolean isUnreachable(QueryException e)
    {
        return e.sqlState().startsWith("08") || e.sqlState().equals(SqlStates.CANNOT_CONNECT_NOW) || e.sqlState().equals(SqlStates.TOO_MANY_CONNECTIONS);
    }

    private List<String> readSchemas()
    {
        List<String> found = new ArrayList<>();
        try (ReplicaPool.Lease lease = pool.acquire();
                PreparedStatement statement = lease.connection().prepareStatement(
                        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA ORDER BY SCHEMA_NAME");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                found.add(rs.getString(1));
            }
        }
        catch (SQLException e) {
            throw metadataFailure(e);
        }
        if (databases.isEmpty()) {
            return found.stream()
                    .filter(name -> !SYSTEM_SCHEMAS.contains(name.toLowerCase(Locale.ROOT)))
                    .toList();
        }
        List<String> exposed = new ArrayList<>();
        for (String database : databases) {
            if (found.contains(database)) {
                exposed.add(database);
            }
            else {
                log.warn("source {}: database '{}' listed under databases: does not exist on the replica", source, database);
            }
        }
        return List.copyOf(exposed);
    }

    private Map<String, TableMetadata> loadTables(String schema)
    {
        try (ReplicaPool.Lease lease = pool.acquire()) {
            Connection connection = lease.connection();
            Map<String, TableInfo> infos = new LinkedHashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT TABLE_NAME, TABLE_TYPE, TABLE_ROWS, TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME")) {
                statement.setString(1, schema);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String type = rs.getString(2);
                        long rows = rs.getLong(3);
                        boolean hasRows = !rs.wasNull();
                        boolean view = "VIEW".equalsIgnoreCase(type);
                        // MySQL reports 'VIEW' as every view's comment
                        Optional<String> comment = view ? Optional.empty() : comment(rs.getString(4));
                        infos.put(rs.getString(1), new TableInfo(view, hasRows && !view ? OptionalLong.of(rows) : OptionalLong.empty(), comment));
                    }
                }
            }
            Set<String> jsonColumns = isMariaDb(connection) ? jsonCheckedColumns(connection, schema) : Set.of();
            Map<String, List<String>> primaryKeys = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE " +
                            "WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
                statement.setString(1, schema);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        primaryKeys.computeIfAbsent(rs.getString(1), ignored -> new ArrayList<>()).add(rs.getString(2));
                    }
                }
            }
            Map<String, List<IndexMetadata>> indexes = loadIndexes(connection, schema);
            Map<String, List<ColumnMetadata>> columns = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, CHARACTER_MAXIMUM_LENGTH, " +
                            "NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COLUMN_COMMENT " +
                            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION")) {
                statement.setString(1, schema);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        String table = rs.getString(1);
                        String column = rs.getString(2);
                        String columnType = rs.getString(4);
                        ColumnType type = MySqlTypeMapping.fromColumn(
                                rs.getString(3),
                                columnType,
                                longOrNull(rs, 6),
                                longOrNull(rs, 7),
                                longOrNull(rs, 8),
                                longOrNull(rs, 9),
                                jsonColumns.contains(table + "." + column));
                        boolean nullable = "YES".equalsIgnoreCase(rs.getString(5));
                        columns.computeIfAbsent(table, ignored -> new ArrayList<>()).add(new ColumnMetadata(column, type, nullable, columnType, comment(rs.getString(10))));
                    }
                }
            }
            Map<String, TableMetadata> result = new LinkedHashMap<>();
            infos.forEach((table, info) -> {
                List<ColumnMetadata> tableColumns = columns.get(table);
                if (tableColumns == null) {
                    // e.g. a view whose definition no longer compiles; nothing to offer
                    log.warn("source {}: {}.{} has no readable columns, leaving it out", source, schema, table);
                    return;
                }
                result.put(table, new TableMetadata(schema, table, tableColumns, primaryKeys.getOrDefault(table, List.of()), info.view ? TableKind.VIEW : TableKind.TABLE, info.rows,
                        indexes.getOrDefault(table, List.of()), info.comment));
            });
            return java.util.Collections.unmodifiableMap(result);
        }
        catch (SQLException e) {
            throw metadataFailure(e);
        }
    }

    /**
     * The secondary indexes of a schema's tables by table, ordered by name, their columns in key order.
     * A column indexed by a prefix ({@code KEY (name(10))}) counts as indexed. Left out: the primary
     * key (reported apart), full-text and spatial indexes (no B-tree) and indexes with an expression
     * part (MySQL 8 functional key parts, whose {@code COLUMN_NAME} is null).
     */
    private static Map<String, List<IndexMetadata>> loadIndexes(Connection connection, String schema)
            throws SQLException
    {
        record Key(String table, String index) {}
        Map<Key, List<String>> columns = new LinkedHashMap<>();
        Map<Key, Boolean> unique = new HashMap<>();
        Set<Key> skipped = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS " +
                        "WHERE TABLE_SCHEMA = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX")) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Key key = new Key(rs.getString(1), rs.getString(2));
                    String column = rs.getString(4);
                    String type = rs.getString(5);
                    if (column == null || "FULLTEXT".equalsIgnoreCase(type) || "SPATIAL".equalsIgnoreCase(type)) {
                        skipped.add(key);
                    }
                    unique.put(key, rs.getLong(3) == 0);
                    columns.computeIfAbsent(key, ignored -> new ArrayList<>()).add(column);
                }
            }
        }
        Map<String, List<IndexMetadata>> indexes = new HashMap<>();
        columns.forEach((key, keyColumns) -> {
            if (!skipped.contains(key)) {
                indexes.computeIfAbsent(key.table(), ignored -> new ArrayList<>()).add(new IndexMetadata(key.index(), keyColumns, unique.get(key)));
            }
        });
        return indexes;
    }

    private static Set<String> jsonCheckedColumns(Connection connection, String schema)
            throws SQLException
    {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?")) {
            statement.setString(1, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Matcher matcher = JSON_CHECK.matcher(rs.getString(2));
                    if (matcher.matches()) {
                        columns.add(rs.getString(1) + "." + matcher.group(1).replace("``", "`"));
                    }
                }
            }
        }
        return columns;
    }

    private static boolean isMariaDb(Connection connection)
            throws SQLException
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT VERSION()");
                ResultSet rs = statement.executeQuery()) {
            return rs.next() && rs.getString(1).toLowerCase(Locale.ROOT).contains("mariadb");
        }
    }

    private QueryException metadataFailure(SQLException e)
    {
        return MySqlErrors.toQueryException(e, source, "(metadata)", Optional.empty());
    }

    private static Long longOrNull(ResultSet rs, int column)
            throws SQLException
    {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private record TableInfo(boolean view, OptionalLong rows, Optional<String> comment) {}

    /** A comment as MySQL reports it: the empty string for none. */
    private static Optional<String> comment(String text)
    {
        return text == null || text.isEmpty() ? Optional.empty() : Optional.of(text);
    }
}
