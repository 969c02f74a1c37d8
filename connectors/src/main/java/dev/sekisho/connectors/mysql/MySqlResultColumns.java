package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.TableMetadata;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The result columns of a MySQL source's statements as the planner sees them, from what
 * Connector/J reports (types mapped, MariaDB's UUID, INET and JSON columns typed from the catalog),
 * remembered per statement text while the schema stays the same: the JDBC path derives them, and
 * the non-blocking path reads them back ({@link #known}) for a statement the JDBC path ran before.
 * Thread-safe.
 */
final class MySqlResultColumns
{
    private static final Set<ColumnType.Kind> STRING_KINDS = EnumSet.of(
            ColumnType.Kind.CHAR, ColumnType.Kind.VARCHAR, ColumnType.Kind.TEXT, ColumnType.Kind.JSON, ColumnType.Kind.UUID, ColumnType.Kind.UNKNOWN);

    private final MySqlMetadata metadata;

    MySqlResultColumns(MySqlMetadata metadata)
    {
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    /** The columns the JDBC path learned for {@code sql}, while the catalog has not been read again since. */
    Optional<List<ColumnMetadata>> known(String sql)
    {
        KnownColumns known = knownColumns.get(sql);
        return known != null && known.generation() == metadata.generation() ? Optional.of(known.columns()) : Optional.empty();
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

    /** The columns of {@code sql}'s result as the driver describes them in {@code resultMetadata}: remembered, or derived and remembered. */
    List<ColumnMetadata> of(String sql, ResultSetMetaData resultMetadata)
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
}
