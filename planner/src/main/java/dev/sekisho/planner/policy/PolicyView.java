package dev.sekisho.planner.policy;

import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorSchema;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.PolicyEvaluator;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.TableName;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.schema.Schema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.IgnoreCaseLookup;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The catalog as one principal sees it under one policy snapshot, for one statement: the
 * validator resolves names against {@link #rootSchema()}, where invisible tables do not exist,
 * unrestricted tables are the source tables themselves, and protected tables are
 * {@link SecuredTable}s with only their visible columns. Remembers every table whose policy it
 * evaluated, so that the plan cache can key the plan by exactly those tables' effective policies.
 * Not thread-safe; one per statement.
 */
final class PolicyView
{
    private final Catalog catalog;
    private final SessionPolicy policy;
    private final PolicyEvaluator evaluator;
    private final JavaTypeFactory typeFactory;
    private final RexBuilder rexBuilder;
    private final PolicyParameters parameters;
    private final boolean hasSalt;
    private final CalciteSchema rootSchema;
    private final Map<TableName, EffectivePolicy> evaluated = new LinkedHashMap<>();
    private final Map<TableName, Optional<Table>> tables = new LinkedHashMap<>();
    private ExpressionCompiler compiler;

    PolicyView(Catalog catalog, SessionPolicy policy, JavaTypeFactory typeFactory, PolicyParameters parameters, boolean hasSalt)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.evaluator = new PolicyEvaluator(policy.policies());
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.rexBuilder = new RexBuilder(typeFactory);
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.hasSalt = hasSalt;
        this.rootSchema = CalciteSchema.createRootSchema(false, false);
        CalciteSchema base = catalog.rootSchema();
        base.getSubSchemaMap().forEach((name, schema) -> {
            Optional<ConnectorSchema> connectorSchema = catalog.schema(name).filter(found -> found == schema.schema);
            Schema visible = connectorSchema.<Schema>map(SecuredSchema::new).orElse(schema.schema);
            rootSchema.add(name, visible);
        });
        for (String type : base.getTypeNames()) {
            CalciteSchema.TypeEntry entry = base.getType(type, true);
            if (entry != null) {
                rootSchema.add(type, entry.getType());
            }
        }
    }

    CalciteSchema rootSchema()
    {
        return rootSchema;
    }

    /** The effective policy of every table looked at so far, in the order first looked at. */
    Map<TableName, EffectivePolicy> evaluated()
    {
        return evaluated;
    }

    /** The protected tables the statement uses. */
    List<SecuredTable> securedTables()
    {
        List<SecuredTable> secured = new ArrayList<>();
        tables.values().forEach(table -> table.filter(SecuredTable.class::isInstance).map(SecuredTable.class::cast).ifPresent(secured::add));
        return secured;
    }

    /** Whether the principal sees the table (for hints that list tables). */
    boolean isVisible(ConnectorSchema schema, String table)
    {
        return schema.table(table).flatMap(this::visibleTable).isPresent();
    }

    EffectivePolicy policyOf(TableName table)
    {
        return evaluated.computeIfAbsent(table, name -> evaluator.evaluate(policy.principal(), name));
    }

    /** The table as the principal sees it, or empty if it is invisible. */
    private Optional<Table> visibleTable(ConnectorTable table)
    {
        TableName name = new TableName(table.exposedSchema(), table.metadata().name());
        Optional<Table> known = tables.get(name);
        if (known != null) {
            return known;
        }
        EffectivePolicy effective = policyOf(name);
        Optional<Table> visible;
        if (!effective.visible()) {
            visible = Optional.empty();
        }
        else if (effective.isUnrestricted()) {
            visible = Optional.of(table);
        }
        else {
            visible = secure(table, effective).map(Table.class::cast);
        }
        tables.put(name, visible);
        return visible;
    }

    private Optional<SecuredTable> secure(ConnectorTable table, EffectivePolicy effective)
    {
        RelDataType rowType = table.getRowType(typeFactory);
        List<RexNode> projects = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (RelDataTypeField field : rowType.getFieldList()) {
            if (!effective.isColumnVisible(field.getName())) {
                continue;
            }
            RexNode column = rexBuilder.makeInputRef(field.getType(), field.getIndex());
            Optional<Mask> mask = effective.mask(field.getName());
            RexNode value = column;
            if (mask.isPresent()) {
                value = mask(table, field, column, mask.get(), notes);
            }
            projects.add(value);
            names.add(field.getName());
        }
        if (projects.isEmpty()) {
            // no visible column: the table is as good as invisible (and Calcite has no empty rows)
            return Optional.empty();
        }
        Optional<RexNode> condition = condition(table, effective, notes);
        RelDataType securedType = RexUtil.createStructType(typeFactory, projects, names, null);
        return Optional.of(new SecuredTable(table, effective, projects, names, condition, securedType, notes));
    }

    private RexNode mask(ConnectorTable table, RelDataTypeField field, RexNode column, Mask mask, List<String> notes)
    {
        RexNode nullified = rexBuilder.makeNullLiteral(typeFactory.createTypeWithNullability(field.getType(), true));
        if (mask instanceof Mask.Sql sql) {
            try {
                return compiler().compile(table, sql.expression(), policy.principal().groups().size()).bind(rexBuilder, parameters);
            }
            catch (ExpressionCompiler.PolicyExpressionException e) {
                notes.add("%s.%s: mask sql %s; the column is NULL".formatted(table.exposedSchema(), field.getName(), e.getMessage()));
                return nullified;
            }
        }
        if (mask instanceof Mask.Hash && !hasSalt) {
            notes.add("%s.%s: mask hash needs a configured salt; the column is NULL".formatted(table.exposedSchema(), field.getName()));
            return nullified;
        }
        if (MaskExpressions.misfit(mask, table.metadata().columns().get(field.getIndex()).type()).isPresent()) {
            notes.add("%s.%s: mask %s does not fit the column's type; the column is NULL".formatted(table.exposedSchema(), field.getName(), mask.kind().key()));
            return nullified;
        }
        return MaskExpressions.build(mask, column, rexBuilder, () -> parameters.index(PolicyParameter.SALT));
    }

    /** (OR of permissive filters, TRUE if none) AND (each restrictive filter); FALSE if no rows. A filter that fails to compile denies. */
    private Optional<RexNode> condition(ConnectorTable table, EffectivePolicy effective, List<String> notes)
    {
        if (effective.noRows()) {
            return Optional.of(rexBuilder.makeLiteral(false));
        }
        if (effective.permissiveFilters().isEmpty() && effective.restrictiveFilters().isEmpty()) {
            return Optional.empty();
        }
        List<RexNode> permissive = new ArrayList<>();
        for (RowFilter filter : effective.permissiveFilters()) {
            compileFilter(table, filter, notes).ifPresent(permissive::add);
        }
        List<RexNode> conjuncts = new ArrayList<>();
        if (!effective.permissiveFilters().isEmpty()) {
            conjuncts.add(permissive.isEmpty() ? rexBuilder.makeLiteral(false)
                    : permissive.size() == 1 ? permissive.get(0) : rexBuilder.makeCall(SqlStdOperatorTable.OR, permissive));
        }
        for (RowFilter filter : effective.restrictiveFilters()) {
            conjuncts.add(compileFilter(table, filter, notes).orElseGet(() -> rexBuilder.makeLiteral(false)));
        }
        return Optional.of(conjuncts.size() == 1 ? conjuncts.get(0) : rexBuilder.makeCall(SqlStdOperatorTable.AND, conjuncts));
    }

    private Optional<RexNode> compileFilter(ConnectorTable table, RowFilter filter, List<String> notes)
    {
        try {
            RexNode condition = compiler().compile(table, filter.where(), policy.principal().groups().size()).bind(rexBuilder, parameters);
            if (condition.getType().getSqlTypeName() != org.apache.calcite.sql.type.SqlTypeName.BOOLEAN) {
                throw new ExpressionCompiler.PolicyExpressionException("is not a boolean condition");
            }
            return Optional.of(condition);
        }
        catch (ExpressionCompiler.PolicyExpressionException e) {
            notes.add("%s: row filter %s %s; it admits no row".formatted(filter.origin(), filter.name(), e.getMessage()));
            return Optional.empty();
        }
    }

    private ExpressionCompiler compiler()
    {
        if (compiler == null) {
            compiler = new ExpressionCompiler(catalog, typeFactory);
        }
        return compiler;
    }

    /** A connector schema with the principal's view of its tables. */
    private final class SecuredSchema
            extends AbstractSchema
    {
        private final ConnectorSchema schema;
        private final Lookup<Table> lookup;

        SecuredSchema(ConnectorSchema schema)
        {
            this.schema = schema;
            this.lookup = new IgnoreCaseLookup<>()
            {
                @Override
                public Table get(String name)
                {
                    return schema.table(name).flatMap(PolicyView.this::visibleTable).orElse(null);
                }

                @Override
                public Named<Table> getIgnoreCase(String name)
                {
                    return schema.table(name)
                            .flatMap(table -> visibleTable(table).map(visible -> new Named<>(table.metadata().name(), visible)))
                            .orElse(null);
                }

                @Override
                public Set<String> getNames(LikePattern pattern)
                {
                    Set<String> names = new LinkedHashSet<>();
                    for (String table : schema.tableNames()) {
                        if (pattern.matcher().apply(table) && isVisible(schema, table)) {
                            names.add(table);
                        }
                    }
                    return names;
                }
            };
        }

        @Override
        public Lookup<Table> tables()
        {
            return lookup;
        }
    }
}
