package dev.sekisho.planner.policy;

import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorSchema;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.plan.CalciteConfig;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.types.TypeMapping;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.model.ColumnRule;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.TableName;
import dev.sekisho.policies.model.TableRule;
import dev.sekisho.policies.validate.DidYouMean;
import dev.sekisho.policies.validate.PolicyCheck;
import dev.sekisho.policies.validate.PolicyProblem;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The planner's check of a candidate policy against the live catalog, run by the policy store
 * before a snapshot is applied: every table and column a rule names exists, every mask fits its
 * column's type, {@code hash} has a configured salt, and every row filter and {@code sql} mask
 * parses, validates against the table's columns and has the right type (boolean for filters).
 * Problems carry the rule's file:line. A {@code schema.*} rule is checked against every table of
 * the schema that has the column. Thread-safe.
 */
public final class SemanticPolicyCheck
        implements PolicyCheck
{
    private final CalciteQueryPlanner planner;

    /** Checks against {@code planner}'s current catalog and hash-salt configuration. */
    public SemanticPolicyCheck(CalciteQueryPlanner planner)
    {
        this.planner = requireNonNull(planner, "planner is null");
    }

    @Override
    public List<PolicyProblem> check(PolicySet policies)
    {
        Catalog catalog = planner.currentCatalog();
        JavaTypeFactory typeFactory = CalciteConfig.typeFactory();
        ExpressionCompiler compiler = new ExpressionCompiler(catalog, typeFactory);
        List<PolicyProblem> problems = new ArrayList<>();
        List<TableRule> rules = policies.tables().values().stream()
                .sorted(Comparator.comparing((TableRule rule) -> rule.origin().file()).thenComparingInt(rule -> rule.origin().line()))
                .toList();
        for (TableRule rule : rules) {
            check(catalog, compiler, typeFactory, rule, problems);
        }
        return problems;
    }

    private void check(Catalog catalog, ExpressionCompiler compiler, JavaTypeFactory typeFactory, TableRule rule, List<PolicyProblem> problems)
    {
        String path = "tables." + rule.pattern();
        String schemaName = rule.isSchemaWide() ? rule.pattern().substring(0, rule.pattern().length() - 2) : TableName.parse(rule.pattern()).schema();
        Optional<ConnectorSchema> schema = catalog.schema(schemaName);
        if (schema.isEmpty()) {
            List<String> schemas = catalog.schemas().stream().map(ConnectorSchema::exposedName).sorted().toList();
            problems.add(new PolicyProblem(rule.origin(), path, "unknown schema '%s'%s (schemas: %s)"
                    .formatted(schemaName, DidYouMean.suffix(schemaName, schemas), String.join(", ", schemas))));
            return;
        }
        List<ConnectorTable> tables = new ArrayList<>();
        if (rule.isSchemaWide()) {
            for (String name : schema.get().tableNames()) {
                schema.get().table(name).ifPresent(tables::add);
            }
        }
        else {
            String tableName = TableName.parse(rule.pattern()).table();
            Optional<ConnectorTable> table = schema.get().table(tableName)
                    .or(() -> schema.get().tableNames().stream().filter(name -> name.equalsIgnoreCase(tableName)).findFirst().flatMap(schema.get()::table));
            if (table.isEmpty()) {
                List<String> names = schema.get().tableNames();
                problems.add(new PolicyProblem(rule.origin(), path, "unknown table '%s'%s".formatted(rule.pattern(),
                        DidYouMean.closest(tableName, names).map(match -> "; did you mean '" + schemaName + "." + match + "'?").orElse(""))));
                return;
            }
            tables.add(table.get());
        }

        for (ColumnRule column : rule.columns().values().stream().sorted(Comparator.comparingInt(column -> column.origin().line())).toList()) {
            String columnPath = path + ".columns." + column.name();
            List<ConnectorTable> having = tables.stream().filter(table -> columnOf(table, column.name()).isPresent()).toList();
            if (having.isEmpty()) {
                List<String> names = tables.isEmpty() ? List.of() : tables.get(0).metadata().columns().stream().map(ColumnMetadata::name).toList();
                problems.add(new PolicyProblem(column.origin(), columnPath, "unknown column '%s' in %s%s"
                        .formatted(column.name(), rule.pattern(), rule.isSchemaWide() ? "" : DidYouMean.suffix(column.name(), names))));
                continue;
            }
            if (column.mask().isEmpty()) {
                continue;
            }
            Mask mask = column.mask().get();
            if (mask instanceof Mask.Hash && !planner.hasHashSalt()) {
                problems.add(new PolicyProblem(column.origin(), columnPath + ".mask",
                        "mask hash needs a secret salt, and none is configured; set the gateway's hash salt (configuration or environment), never in policy files"));
            }
            for (ConnectorTable table : having) {
                ColumnMetadata metadata = columnOf(table, column.name()).orElseThrow();
                String where = rule.isSchemaWide() ? " (in " + table.exposedSchema() + "." + table.metadata().name() + ")" : "";
                MaskExpressions.misfit(mask, metadata.type())
                        .ifPresent(message -> problems.add(new PolicyProblem(column.origin(), columnPath + ".mask", message + where)));
                if (mask instanceof Mask.Sql sql) {
                    try {
                        RelDataType type = compiler.compile(table, sql.expression(), 1).node().getType();
                        RelDataType columnType = TypeMapping.toRelDataType(typeFactory, metadata.type(), true);
                        if (!SqlTypeUtil.canAssignFrom(columnType, type)) {
                            problems.add(new PolicyProblem(column.origin(), columnPath + ".mask.sql",
                                    "expression of type %s does not fit column type %s%s".formatted(typeName(type), metadata.type(), where)));
                        }
                    }
                    catch (ExpressionCompiler.PolicyExpressionException e) {
                        problems.add(new PolicyProblem(column.origin(), columnPath + ".mask.sql", "expression " + e.getMessage() + where));
                    }
                }
            }
        }

        for (int i = 0; i < rule.rowFilters().size(); i++) {
            RowFilter filter = rule.rowFilters().get(i);
            String filterPath = path + ".row_filters[" + i + "].where";
            for (ConnectorTable table : tables) {
                String where = rule.isSchemaWide() ? " (in " + table.exposedSchema() + "." + table.metadata().name() + ")" : "";
                try {
                    RelDataType type = compiler.compile(table, filter.where(), 1).node().getType();
                    if (type.getSqlTypeName() != SqlTypeName.BOOLEAN) {
                        problems.add(new PolicyProblem(filter.origin(), filterPath,
                                "row filter %s is of type %s, not a boolean condition%s".formatted(filter.name(), typeName(type), where)));
                    }
                }
                catch (ExpressionCompiler.PolicyExpressionException e) {
                    problems.add(new PolicyProblem(filter.origin(), filterPath, "row filter %s %s%s".formatted(filter.name(), e.getMessage(), where)));
                }
            }
        }
    }

    private static Optional<ColumnMetadata> columnOf(ConnectorTable table, String column)
    {
        return table.metadata().columns().stream().filter(candidate -> candidate.name().toLowerCase(Locale.ROOT).equals(column)).findFirst();
    }

    private static String typeName(RelDataType type)
    {
        return type.getSqlTypeName().getName().toLowerCase(Locale.ROOT);
    }
}
