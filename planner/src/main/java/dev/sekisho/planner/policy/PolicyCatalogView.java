package dev.sekisho.planner.policy;

import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.pg.catalog.CatalogView;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.PolicyEvaluator;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.TableName;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The catalog emulation's view of one principal under one policy snapshot, with the same
 * visibility as {@link PolicyView}: a table is visible when the policy shows it and at least one
 * of its columns, a column when the policy does not deny it, a schema when one of its tables is
 * visible. Memoizes what it evaluated; not thread-safe (one per statement execution).
 */
final class PolicyCatalogView
        implements CatalogView
{
    private final Catalog catalog;
    private final SessionPolicy policy;
    private final PolicyEvaluator evaluator;
    private final Map<TableName, Optional<EffectivePolicy>> tables = new HashMap<>();
    private final Map<String, Boolean> schemas = new HashMap<>();

    PolicyCatalogView(Catalog catalog, SessionPolicy policy)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.evaluator = new PolicyEvaluator(policy.policies());
    }

    @Override
    public boolean canSeeSchema(String schema)
    {
        return schemas.computeIfAbsent(schema, name -> catalog.schema(name)
                .map(found -> found.tableNames().stream().anyMatch(table -> canSeeTable(name, table)))
                .orElse(false));
    }

    @Override
    public boolean canSeeTable(String schema, String table)
    {
        return visible(schema, table).isPresent();
    }

    @Override
    public boolean canSeeColumn(String schema, String table, String column)
    {
        return visible(schema, table).map(effective -> effective.isColumnVisible(column)).orElse(false);
    }

    @Override
    public Optional<String> maskOf(String schema, String table, String column)
    {
        return visible(schema, table).flatMap(effective -> effective.mask(column)).map(Mask::describe);
    }

    /** The table's effective policy if the principal sees the table; empty if it is invisible. */
    private Optional<EffectivePolicy> visible(String schema, String table)
    {
        TableName name = new TableName(schema, table);
        Optional<EffectivePolicy> known = tables.get(name);
        if (known != null) {
            return known;
        }
        Optional<EffectivePolicy> result = catalog.schema(schema)
                .flatMap(found -> found.table(table))
                .map(ConnectorTable::metadata)
                .flatMap(metadata -> {
                    EffectivePolicy effective = evaluator.evaluate(policy.principal(), name);
                    return effective.visible() && anyColumnVisible(metadata, effective) ? Optional.of(effective) : Optional.empty();
                });
        tables.put(name, result);
        return result;
    }

    private static boolean anyColumnVisible(TableMetadata table, EffectivePolicy effective)
    {
        for (ColumnMetadata column : table.columns()) {
            if (effective.isColumnVisible(column.name())) {
                return true;
            }
        }
        return false;
    }
}
