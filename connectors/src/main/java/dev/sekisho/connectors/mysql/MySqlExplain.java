package dev.sekisho.connectors.mysql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.SourceTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads MySQL's and MariaDB's {@code EXPLAIN FORMAT=JSON} into a {@link CostEstimate}: the rows
 * the statement examines (within a nested loop each table's rows count once per row of the tables
 * before it, as the join reads them) and the tables it reads whole ({@code access_type} ALL, or
 * {@code index}: every entry of an index). MariaDB writes {@code rows}, MySQL 8
 * {@code rows_examined_per_scan}; both are read.
 */
final class MySqlExplain
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FULL_SCANS = Set.of("ALL", "index");

    private MySqlExplain() {}

    /**
     * @param explain the JSON text EXPLAIN returned
     * @param tables the tables the statement reads, to name the schema of a table EXPLAIN names alone
     */
    static CostEstimate parse(String explain, List<SourceTable> tables)
    {
        JsonNode root;
        try {
            root = JSON.readTree(explain);
        }
        catch (JsonProcessingException e) {
            throw new IllegalArgumentException("EXPLAIN returned no JSON: " + e.getOriginalMessage(), e);
        }
        List<CostEstimate.TableScan> fullScans = new ArrayList<>();
        double rows = walk(root, tables, fullScans);
        return CostEstimate.rows(rows >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(rows), fullScans);
    }

    /** The rows examined under {@code node}, adding the full scans found there. */
    private static double walk(JsonNode node, List<SourceTable> tables, List<CostEstimate.TableScan> fullScans)
    {
        double rows = 0;
        if (node.isArray()) {
            for (JsonNode item : node) {
                rows += walk(item, tables, fullScans);
            }
            return rows;
        }
        if (!node.isObject()) {
            return 0;
        }
        var fields = node.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            JsonNode value = field.getValue();
            if (field.getKey().equals("nested_loop") && value.isArray()) {
                double fanOut = 1;
                for (JsonNode step : value) {
                    JsonNode table = step.path("table");
                    if (table.isObject()) {
                        double tableRows = table(table, tables, fullScans);
                        rows += fanOut * tableRows;
                        fanOut *= Math.max(1, tableRows * table.path("filtered").asDouble(100) / 100);
                        rows += fanOut * walkChildren(table, tables, fullScans);
                    }
                    else {
                        rows += fanOut * walk(step, tables, fullScans);
                    }
                }
            }
            else if (field.getKey().equals("table") && value.isObject()) {
                rows += table(value, tables, fullScans);
                rows += walkChildren(value, tables, fullScans);
            }
            else {
                rows += walk(value, tables, fullScans);
            }
        }
        return rows;
    }

    /** Subqueries and materialized derived tables inside a table's entry. */
    private static double walkChildren(JsonNode table, List<SourceTable> tables, List<CostEstimate.TableScan> fullScans)
    {
        double rows = 0;
        var fields = table.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (field.getValue().isContainerNode()) {
                rows += walk(field.getValue(), tables, fullScans);
            }
        }
        return rows;
    }

    /** One table access: its rows, and a full scan when it reads the whole table. */
    private static double table(JsonNode table, List<SourceTable> tables, List<CostEstimate.TableScan> fullScans)
    {
        JsonNode rowsNode = table.has("rows") ? table.get("rows") : table.path("rows_examined_per_scan");
        double rows = rowsNode.isNumber() ? rowsNode.asDouble() : 0;
        String access = table.path("access_type").asText("");
        String name = table.path("table_name").asText("");
        if (FULL_SCANS.contains(access) && !name.isEmpty() && !name.startsWith("<")) {
            SourceTable source = tables.stream()
                    .filter(candidate -> candidate.table().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT)))
                    .findFirst()
                    .orElse(tables.size() == 1 ? tables.get(0) : new SourceTable("", name));
            fullScans.add(new CostEstimate.TableScan(source.schema(), source.table(), Math.round(rows)));
        }
        return rows;
    }
}
