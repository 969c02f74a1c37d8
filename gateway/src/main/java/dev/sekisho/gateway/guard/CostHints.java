package dev.sekisho.gateway.guard;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.IndexMetadata;
import dev.sekisho.planner.spi.TableMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What to change when a statement is refused for its cost, built from the table's metadata: the
 * columns a filter can use (primary key and indexes), and the columns to name instead of
 * {@code SELECT *}.
 */
final class CostHints
{
    private CostHints() {}

    /** For a full scan of {@code schema.table}: filter on a column the source can look up by. */
    static String fullScan(Connector connector, String schema, String table, String statementSql)
    {
        Optional<TableMetadata> metadata = schema.isEmpty() ? Optional.empty() : lookUp(connector, schema, table);
        List<String> hints = new ArrayList<>();
        if (metadata.isPresent()) {
            List<String> keys = new ArrayList<>();
            if (!metadata.get().primaryKey().isEmpty()) {
                keys.add(columns(metadata.get().primaryKey()) + " (primary key)");
            }
            for (IndexMetadata index : metadata.get().indexes()) {
                keys.add(columns(index.columns()) + " (index " + index.name() + ")");
            }
            if (!keys.isEmpty()) {
                hints.add("filter on an indexed column of " + schema + "." + table + ": " + String.join(", ", keys));
            }
            else {
                hints.add(schema + "." + table + " has no index; filter it through a smaller table, or ask an admin for an index");
            }
            selectStar(metadata.get(), statementSql).ifPresent(hints::add);
        }
        else {
            hints.add("filter " + table + " on an indexed column");
        }
        return String.join("; ", hints) + ".";
    }

    /** For a byte estimate over the limit: partition filter and column list. */
    static String bytes(Connector connector, List<TableMetadata> tables, String statementSql)
    {
        List<String> hints = new ArrayList<>();
        for (TableMetadata table : tables) {
            List<String> partitions = partitionColumns(table);
            if (!partitions.isEmpty()) {
                hints.add("filter " + table.schema() + "." + table.name() + " on its partition column " + columns(partitions));
            }
            selectStar(table, statementSql).ifPresent(hints::add);
        }
        if (hints.isEmpty()) {
            hints.add("select only the columns you need and filter the rows");
        }
        return String.join("; ", hints) + ".";
    }

    static Optional<TableMetadata> lookUp(Connector connector, String schema, String table)
    {
        try {
            return connector.metadata().getTable(schema, table);
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Partition columns, where the source reports them (the SPI gains them with BigQuery; none for MySQL). */
    private static List<String> partitionColumns(TableMetadata table)
    {
        return List.of();
    }

    private static Optional<String> selectStar(TableMetadata table, String statementSql)
    {
        if (statementSql.matches("(?is).*select\\s+(\\w+\\.)?\\*.*")) {
            return Optional.of("select only the columns you need: SELECT * reads all " + table.columns().size() + " columns of " + table.schema() + "." + table.name());
        }
        return Optional.empty();
    }

    private static String columns(List<String> columns)
    {
        return String.join(", ", columns.stream().map(column -> "`" + column + "`").toList());
    }
}
