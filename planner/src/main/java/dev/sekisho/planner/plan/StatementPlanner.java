package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.pg.functions.PgResultTypes;
import dev.sekisho.planner.pg.syntax.InfixCasts;
import dev.sekisho.planner.pg.syntax.PgSqlRewriter;
import dev.sekisho.planner.pg.syntax.PgSyntax;
import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.policy.PolicyParameter;
import dev.sekisho.planner.policy.StatementPolicy;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.sql.Dialects;
import dev.sekisho.planner.sql.SourcePushdown;
import dev.sekisho.planner.sql.SourceSqlGenerator;
import dev.sekisho.planner.types.PostgresTypeSystem;
import dev.sekisho.planner.types.TypeMapping;
import dev.sekisho.planner.types.ValueConverters;
import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.model.TableName;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RepeatUnion;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelColumnOrigin;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.RelBuilder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Plans one statement against one catalog generation: parse (Babel, PostgreSQL flavour), validate,
 * convert to relational algebra, then either generate one statement for the single source involved
 * or fall back to local execution. Not thread-safe; one instance per statement.
 */
public final class StatementPlanner
{
    private static final Pattern WRITE_STATEMENT = Pattern.compile(
            "(?is)^(?:\\s|--[^\\n]*\\n?|/\\*.*?\\*/)*(insert|update|delete|merge|upsert|replace|create|alter|drop|truncate|grant|revoke|copy|comment|rename|vacuum|analyze|reindex|cluster|lock|call|do)\\b.*");

    private final Catalog catalog;
    private final List<String> searchPath;
    private final Optional<SessionPolicy> policy;
    private final boolean hasSalt;
    /** The policy applied to the statement being planned; null without a policy. */
    private StatementPolicy statementPolicy;
    /** Why a single-source statement was not pushed down whole, for EXPLAIN; null when it was or had no single source. */
    private String localReason;
    private final JavaTypeFactory typeFactory = CalciteConfig.typeFactory();

    StatementPlanner(Catalog catalog, List<String> searchPath)
    {
        this(catalog, searchPath, Optional.empty(), false);
    }

    /**
     * @param policy the policy to enforce; empty when policies are disabled
     * @param hasSalt whether a {@code hash} salt is configured (its value is bound at execute time)
     */
    public StatementPlanner(Catalog catalog, List<String> searchPath, Optional<SessionPolicy> policy, boolean hasSalt)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.searchPath = List.copyOf(searchPath);
        this.policy = requireNonNull(policy, "policy is null");
        this.hasSalt = hasSalt;
    }

    /**
     * A plan with what the policy added to it.
     *
     * @param query the plan; its parameters are the client's followed by {@code policyParameters}
     * @param policyParameters the values the policy binds after the client's parameters
     * @param evaluated the effective policy of every table the statement looked at
     * @param notes policy rules that could not be applied as written, and what was done instead
     */
    public record Planned(PreparedQuery query, List<PolicyParameter> policyParameters, Map<TableName, EffectivePolicy> evaluated, List<String> notes)
    {
        public Planned
        {
            requireNonNull(query, "query is null");
            policyParameters = List.copyOf(policyParameters);
            evaluated = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evaluated));
            notes = List.copyOf(notes);
        }
    }

    PreparedQuery plan(String sql, List<ColumnType> declaredParameterTypes)
    {
        return planWithPolicy(sql, declaredParameterTypes).query();
    }

    public Planned planWithPolicy(String sql, List<ColumnType> declaredParameterTypes)
    {
        ParameterRewriter.Rewritten rewritten = ParameterRewriter.rewrite(sql);
        statementPolicy = policy.map(session -> new StatementPolicy(catalog, session, typeFactory, rewritten.parameterNumbers().size(), hasSalt)).orElse(null);
        ErrorTranslator errors = statementPolicy == null
                ? new ErrorTranslator(sql, rewritten, catalog, searchPath)
                : new ErrorTranslator(sql, rewritten, catalog, searchPath, statementPolicy::isVisible);
        try {
            rejectWrites(sql);
            String normalized = PgSyntax.normalize(rewritten.sql());
            errors.parsed(normalized);
            PgSqlRewriter pgRewriter = statementPolicy == null ? new PgSqlRewriter(catalog.pgCatalog(), searchPath)
                    : new PgSqlRewriter(catalog.pgCatalog(), searchPath,
                            (schema, table) -> catalog.schema(schema).map(found -> statementPolicy.isVisible(found, table)).orElse(false));
            SqlNode parsed = pgRewriter
                    .rewrite(InfixCasts.rewrite(SqlParser.create(normalized, CalciteConfig.PARSER_CONFIG).parseQuery(), normalized));
            checkIsQuery(parsed);
            PreparedQuery query = plan(sql, rewritten, parsed, declaredParameterTypes);
            if (statementPolicy == null) {
                return new Planned(query, List.of(), Map.of(), List.of());
            }
            return new Planned(query, statementPolicy.parameters(), statementPolicy.evaluated(), statementPolicy.notes());
        }
        catch (SqlParseException e) {
            throw errors.translate(e);
        }
        catch (QueryException e) {
            throw e;
        }
        catch (RuntimeException | AssertionError e) {
            throw errors.translate(e);
        }
    }

    private PreparedQuery plan(String sql, ParameterRewriter.Rewritten rewritten, SqlNode parsed, List<ColumnType> declared)
    {
        int parameterCount = Math.max(rewritten.maxParameterNumber(), declared.size());
        Map<Integer, RelDataType> declaredByIndex = new HashMap<>();
        for (int i = 0; i < rewritten.parameterNumbers().size(); i++) {
            ColumnType type = declaredType(declared, rewritten.parameterNumbers().get(i));
            if (type != null) {
                declaredByIndex.put(i, TypeMapping.toRelDataType(typeFactory, type, true));
            }
        }

        CalciteCatalogReader catalogReader = statementPolicy == null
                ? new SearchPathCatalogReader(catalog, searchPath, typeFactory)
                : new SearchPathCatalogReader(statementPolicy.rootSchema(), searchPath, typeFactory);
        SekishoValidator validator = new SekishoValidator(CalciteConfig.OPERATORS, catalogReader, typeFactory, CalciteConfig.VALIDATOR_CONFIG, declaredByIndex);
        List<SqlDynamicParam> parameterNodes = dynamicParameters(parsed);
        validator.declare(parameterNodes);
        validator.typeCastParameters(parsed);
        ColumnNames.Written written = ColumnNames.capture(parsed);
        int[] varcharCasts = ColumnNames.varcharCasts(parsed);
        SqlNode validated = validator.validate(parsed);

        List<ColumnType> parameterTypes = parameterTypes(rewritten, declared, parameterCount, validator, parameterNodes);
        List<RelDataType> dynamicParameterTypes = new ArrayList<>();
        for (SqlDynamicParam node : parameterNodes) {
            dynamicParameterTypes.add(requireNonNull(validator.getValidatedNodeTypeIfKnown(node), "parameter type"));
        }

        // a Volcano planner, so that catalog-only plans can be compiled (CompiledPlan); other plans use Hep programs of their own
        VolcanoPlanner volcano = new VolcanoPlanner();
        volcano.addRelTraitDef(ConventionTraitDef.INSTANCE);
        volcano.addRelTraitDef(org.apache.calcite.rel.RelCollationTraitDef.INSTANCE);
        RelOptCluster cluster = RelOptCluster.create(volcano, new RexBuilder(typeFactory));
        SqlToRelConverter converter = new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> {
            throw new UnsupportedOperationException("views are not supported");
        }, validator, catalogReader, cluster, StandardConvertletTable.INSTANCE, CalciteConfig.TO_REL_CONFIG);
        RelRoot root = converter.convertQuery(validated, false, true);
        if (sql.toLowerCase(Locale.ROOT).contains("pg_typeof")) {
            root = root.withRel(PgTypeOf.rewrite(root.rel, cluster.getRexBuilder()));
        }
        if (statementPolicy != null) {
            root = root.withRel(statementPolicy.secure(root.rel));
        }

        List<String> names = ColumnNames.of(written, validated, root.validatedRowType);
        int[] sourceColumns = root.fields.stream().mapToInt(field -> field.getKey()).toArray();
        RelMetadataQuery metadataQuery = cluster.getMetadataQuery();
        List<ResultColumn> columns = new ArrayList<>();
        int[] pgTypes = PgResultTypes.typeOids(root.rel);
        for (int i = 0; i < sourceColumns.length; i++) {
            columns.add(resultColumn(names.get(i), root.rel, sourceColumns[i], metadataQuery));
            int pgType = pgTypes[sourceColumns[i]];
            if (varcharCasts != null && varcharCasts.length == sourceColumns.length && varcharCasts[i] != 0) {
                pgType = varcharCasts[i];
            }
            if (pgType != 0) {
                ResultColumn column = columns.get(i);
                columns.set(i, new ResultColumn(column.name(), column.type(), column.origin(), pgType));
            }
        }

        Set<Connector> sources = new LinkedHashSet<>();
        scans(root.rel).forEach(table -> sources.add(table.connector()));
        if (sources.isEmpty() && catalog.connectors().size() == 1) {
            sources.add(catalog.connectors().get(0));
        }
        int[] parameterOfIndex = rewritten.parameterNumbers().stream().mapToInt(number -> number - 1).toArray();
        List<PolicyParameter> bound = statementPolicy == null ? List.of() : statementPolicy.parameters();
        if (!bound.isEmpty()) {
            // the policy's values follow the client's parameters
            int clientCount = parameterTypes.size();
            int[] extended = java.util.Arrays.copyOf(parameterOfIndex, parameterOfIndex.length + bound.size());
            List<ColumnType> allTypes = new ArrayList<>(parameterTypes);
            RelDataType text = typeFactory.createTypeWithNullability(typeFactory.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR), true);
            for (int i = 0; i < bound.size(); i++) {
                extended[parameterOfIndex.length + i] = clientCount + i;
                allTypes.add(ColumnType.of(ColumnType.Kind.TEXT));
                dynamicParameterTypes.add(text);
            }
            parameterOfIndex = extended;
            parameterTypes = allTypes;
        }
        if (sources.size() == 1 && !PgResultTypes.usesCatalog(root.rel)) {
            Connector connector = sources.iterator().next();
            Optional<SourceSqlGenerator.SourceSql> sourceSql = generate(root.rel, connector);
            if (sourceSql.isPresent()) {
                int[] parameterOf = parameterOfIndex;
                int[] placeholderParameters = sourceSql.get().placeholders().stream().mapToInt(index -> parameterOf[index]).toArray();
                return new PushedDownQuery(sql, columns, parameterTypes, connector, sourceSql.get().sql(), placeholderParameters, sourceColumns,
                        converters(columns, root.rel, sourceColumns, metadataQuery));
            }
        }
        if (scans(root.rel).isEmpty() && PgResultTypes.usesCatalog(root.rel)) {
            // reads only the catalog emulation: compiled, which runs what the interpreter cannot
            CompiledPlan compiled = CompiledPlan.compile(root.project());
            return new FederatedQuery(sql, columns, parameterTypes, root.project(), catalog.rootSchema().plus(), catalog.pgCatalog(), typeFactory,
                    parameterOfIndex, dynamicParameterTypes, "Runs locally (catalog, compiled):\n" + compiled.explain(), compiled);
        }
        // compiled to Java, the local engine runs what the interpreter cannot: every aggregate (array_agg, string_agg),
        // window functions, correlated joins with a sort or limit inside, recursive queries
        try {
            CompiledPlan compiled = CompiledPlan.compile(root.project());
            return new FederatedQuery(sql, columns, parameterTypes, root.project(), catalog.rootSchema().plus(), catalog.pgCatalog(), typeFactory,
                    parameterOfIndex, dynamicParameterTypes, "Runs locally (compiled)" + because() + ":\n" + compiled.explain(), compiled);
        }
        catch (RuntimeException | AssertionError e) {
            // fall back to the interpreter, which reports what it cannot do
        }
        if (contains(root.rel, RepeatUnion.class)) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "this recursive query (WITH RECURSIVE) is not supported yet",
                    "Rewrite it without recursion, e.g. with generate_series or a join.", null);
        }
        RelNode local = prepareForInterpreter(root.project(), cluster);
        return new FederatedQuery(sql, columns, parameterTypes, local, catalog.rootSchema().plus(), catalog.pgCatalog(), typeFactory, parameterOfIndex,
                dynamicParameterTypes, explainLocal(local, because()));
    }

    private static ColumnType declaredType(List<ColumnType> declared, int parameterNumber)
    {
        if (parameterNumber > declared.size()) {
            return null;
        }
        ColumnType type = declared.get(parameterNumber - 1);
        return type == null || type.kind() == ColumnType.Kind.UNKNOWN ? null : type;
    }

    private static List<ColumnType> parameterTypes(ParameterRewriter.Rewritten rewritten, List<ColumnType> declared, int count,
            SqlValidator validator, List<SqlDynamicParam> nodes)
    {
        List<ColumnType> types = new ArrayList<>();
        for (int number = 1; number <= count; number++) {
            ColumnType type = declaredType(declared, number);
            if (type == null) {
                for (SqlDynamicParam node : nodes) {
                    RelDataType inferred = validator.getValidatedNodeTypeIfKnown(node);
                    if (rewritten.parameterNumbers().get(node.getIndex()) == number && inferred != null && inferred.getSqlTypeName() != org.apache.calcite.sql.type.SqlTypeName.UNKNOWN) {
                        type = TypeMapping.toColumnType(inferred);
                        break;
                    }
                }
            }
            if (type == null) {
                throw new QueryException(SqlStates.INDETERMINATE_DATATYPE, "could not determine data type of parameter $" + number,
                        "Use $" + number + " in the statement with a cast such as $" + number + "::integer, or declare its type when preparing.", null);
            }
            types.add(type);
        }
        return types;
    }

    private static List<SqlDynamicParam> dynamicParameters(SqlNode node)
    {
        List<SqlDynamicParam> parameters = new ArrayList<>();
        node.accept(new SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(SqlDynamicParam param)
            {
                parameters.add(param);
                return null;
            }
        });
        parameters.sort((a, b) -> Integer.compare(a.getIndex(), b.getIndex()));
        return parameters;
    }

    private static void rejectWrites(String sql)
    {
        var matcher = WRITE_STATEMENT.matcher(sql);
        if (matcher.matches()) {
            String verb = matcher.group(1).toUpperCase(Locale.ROOT);
            throw new QueryException(SqlStates.READ_ONLY_SQL_TRANSACTION, "Sekisho is read-only: cannot execute " + verb,
                    "Sekisho answers queries only; run " + verb + " statements against the source database directly.", null);
        }
    }

    private static void checkIsQuery(SqlNode parsed)
    {
        if (parsed.isA(SqlKind.QUERY)) {
            return;
        }
        String kind = parsed.getKind().sql;
        if (parsed.isA(SqlKind.DML) || parsed.isA(SqlKind.DDL)) {
            throw new QueryException(SqlStates.READ_ONLY_SQL_TRANSACTION, "Sekisho is read-only: cannot execute " + kind,
                    "Sekisho answers queries only; run " + kind + " statements against the source database directly.", null);
        }
        throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, kind + " statements are not supported",
                "Send a query (SELECT, WITH, VALUES or TABLE).", null);
    }

    private ResultColumn resultColumn(String name, RelNode rel, int field, RelMetadataQuery metadataQuery)
    {
        RelDataType type = rel.getRowType().getFieldList().get(field).getType();
        Optional<ResultColumn.ColumnOrigin> origin = Optional.empty();
        ColumnType columnType = TypeMapping.toColumnType(type);
        if (columnType.kind() == ColumnType.Kind.CHAR) {
            // string literals and expressions over them are text in PostgreSQL, not char(n)
            columnType = ColumnType.of(ColumnType.Kind.TEXT);
        }
        RelColumnOrigin columnOrigin = columnOrigin(rel, field, metadataQuery);
        if (columnOrigin != null) {
            ConnectorTable table = columnOrigin.getOriginTable().unwrap(ConnectorTable.class);
            if (table != null) {
                int ordinal = columnOrigin.getOriginColumnOrdinal();
                ColumnMetadata column = table.metadata().columns().get(ordinal);
                columnType = column.type();
                origin = Optional.of(new ResultColumn.ColumnOrigin(table.exposedSchema(), table.metadata().name(), column.name(), ordinal + 1));
            }
        }
        return new ResultColumn(name, columnType, origin);
    }

    private static RelColumnOrigin columnOrigin(RelNode rel, int field, RelMetadataQuery metadataQuery)
    {
        try {
            RelColumnOrigin origin = metadataQuery.getColumnOrigin(rel, field);
            return origin == null || origin.isDerived() ? null : origin;
        }
        catch (RuntimeException e) {
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static UnaryOperator<Object>[] converters(List<ResultColumn> columns, RelNode rel, int[] sourceColumns, RelMetadataQuery metadataQuery)
    {
        UnaryOperator<Object>[] converters = new UnaryOperator[columns.size()];
        for (int i = 0; i < converters.length; i++) {
            ColumnType.Kind kind = columns.get(i).type().kind();
            RelColumnOrigin origin = columns.get(i).origin().isPresent() ? columnOrigin(rel, sourceColumns[i], metadataQuery) : null;
            // an unchanged source column already arrives as its own type's Java class
            converters[i] = origin != null ? null : ValueConverters.toKind(kind);
            if (isUnboundedNumericCast(rel, sourceColumns[i])) {
                // MySQL computed it as DECIMAL(65, 30): the value's own digits, as PostgreSQL's numeric keeps them
                UnaryOperator<Object> decimal = ValueConverters.toKind(ColumnType.Kind.DECIMAL);
                converters[i] = value -> value == null ? null : stripZeros((java.math.BigDecimal) decimal.apply(value));
            }
        }
        return converters;
    }

    private static boolean isUnboundedNumericCast(RelNode rel, int field)
    {
        return rel instanceof org.apache.calcite.rel.core.Project project && project.getProjects().get(field).getKind() == SqlKind.CAST
                && PostgresTypeSystem.isUnboundedNumeric(project.getProjects().get(field).getType());
    }

    private static java.math.BigDecimal stripZeros(java.math.BigDecimal value)
    {
        java.math.BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private Optional<SourceSqlGenerator.SourceSql> generate(RelNode plan, Connector connector)
    {
        // correlated sub-queries as joins: the SQL generator misnames the outer relation of a correlated
        // sub-query when that relation is itself a derived table (a policy's secured table, for one)
        RelNode rel = hasCorrelatedSubQuery(plan) ? withoutSubQueries(plan, plan.getCluster()) : plan;
        Optional<String> obstacle = SourcePushdown.obstacle(rel, Dialects.of(connector.dialect()));
        if (obstacle.isPresent()) {
            // something in it the source lacks (or would compute differently): the gateway runs it over the source's rows
            localReason = "source " + connector.name() + " cannot run " + obstacle.get() + " as PostgreSQL does";
            return Optional.empty();
        }
        try {
            return Optional.of(SourceSqlGenerator.generate(rel, connector.dialect()));
        }
        catch (RuntimeException | AssertionError e) {
            localReason = "no " + connector.dialect().name().toLowerCase(Locale.ROOT) + " SQL for it: " + e.getMessage();
            return Optional.empty();
        }
    }

    private static boolean contains(RelNode rel, Class<? extends RelNode> kind)
    {
        boolean[] found = new boolean[1];
        new org.apache.calcite.rel.RelVisitor()
        {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent)
            {
                if (kind.isInstance(node)) {
                    found[0] = true;
                }
                super.visit(node, ordinal, parent);
            }
        }.go(rel);
        return found[0];
    }

    private static boolean containsCorrelate(RelNode rel)
    {
        boolean[] found = new boolean[1];
        new org.apache.calcite.rel.RelVisitor()
        {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent)
            {
                if (node instanceof org.apache.calcite.rel.core.Correlate) {
                    found[0] = true;
                }
                super.visit(node, ordinal, parent);
            }
        }.go(rel);
        return found[0];
    }

    /** Whether a sub-query of the plan refers to a column of an outer query. */
    private static boolean hasCorrelatedSubQuery(RelNode rel)
    {
        boolean[] found = new boolean[1];
        RexShuttle finder = new RexShuttle()
        {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery)
            {
                found[0] |= org.apache.calcite.plan.RelOptUtil.getVariablesUsed(subQuery.rel).size() > 0
                        || org.apache.calcite.rex.RexUtil.containsCorrelation(subQuery);
                return super.visitSubQuery(subQuery);
            }
        };
        new org.apache.calcite.rel.RelVisitor()
        {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent)
            {
                node.accept(finder);
                super.visit(node, ordinal, parent);
            }
        }.go(rel);
        return found[0];
    }

    /** Sub-queries (IN, EXISTS, scalar) as joins, decorrelated where possible. */
    private static RelNode withoutSubQueries(RelNode rel, RelOptCluster cluster)
    {
        HepProgram program = new HepProgramBuilder()
                .addRuleInstance(CoreRules.FILTER_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE)
                .addRuleInstance(CoreRules.JOIN_SUB_QUERY_TO_CORRELATE)
                .build();
        HepPlanner planner = new HepPlanner(program);
        planner.setRoot(rel);
        RelNode withoutSubQueries = planner.findBestExp();
        RelBuilder relBuilder = RelBuilder.proto(org.apache.calcite.plan.Contexts.empty()).create(cluster, null);
        return RelDecorrelator.decorrelateQuery(withoutSubQueries, relBuilder);
    }

    private static RelNode prepareForInterpreter(RelNode rel, RelOptCluster cluster)
    {
        RelBuilder relBuilder = RelBuilder.proto(org.apache.calcite.plan.Contexts.empty()).create(cluster, null);
        RelNode decorrelated = withoutSubQueries(rel, cluster);
        // the interpreter ignores DISTINCT in aggregate calls and returns no row for a global aggregate over no rows
        HepPlanner distinct = new HepPlanner(new HepProgramBuilder().addRuleInstance(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES_TO_JOIN).build());
        distinct.setRoot(decorrelated);
        decorrelated = EmptyInputAggregates.rewrite(distinct.findBestExp(), relBuilder);
        // move filters down onto the scans, where the interpreter hands them to the sources
        HepProgram pushFilters = new HepProgramBuilder()
                .addRuleCollection(List.of(CoreRules.FILTER_INTO_JOIN, CoreRules.JOIN_CONDITION_PUSH, CoreRules.FILTER_PROJECT_TRANSPOSE,
                        CoreRules.FILTER_MERGE))
                .build();
        HepPlanner filterPlanner = new HepPlanner(pushFilters);
        filterPlanner.setRoot(decorrelated);
        return filterPlanner.findBestExp();
    }

    /** Why the statement runs in the gateway, for EXPLAIN: " because ..." or nothing. */
    private String because()
    {
        return localReason == null ? "" : " because " + localReason;
    }

    private static String explainLocal(RelNode rel, String because)
    {
        StringBuilder explain = new StringBuilder("Runs locally (federated)" + because + ":\n");
        explain.append(RelOptUtil.toString(rel));
        explain.append("Source fragments:\n");
        for (ConnectorTable table : scans(rel)) {
            int[] all = java.util.stream.IntStream.range(0, table.metadata().columns().size()).toArray();
            explain.append("  ").append(table.connector().name()).append(": ").append(table.scanSql(List.of(), all)).append('\n');
        }
        return explain.toString();
    }

    /** The tables a plan reads, including those in sub-queries. */
    static List<ConnectorTable> scans(RelNode rel)
    {
        List<ConnectorTable> tables = new ArrayList<>();
        RelHomogeneousShuttle[] shuttle = new RelHomogeneousShuttle[1];
        RexShuttle subQueries = new RexShuttle()
        {
            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery)
            {
                subQuery.rel.accept(shuttle[0]);
                return super.visitSubQuery(subQuery);
            }
        };
        shuttle[0] = new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                if (other instanceof TableScan scan) {
                    ConnectorTable table = scan.getTable().unwrap(ConnectorTable.class);
                    if (table != null && !tables.contains(table)) {
                        tables.add(table);
                    }
                }
                other.accept(subQueries);
                return super.visit(other);
            }
        };
        rel.accept(shuttle[0]);
        return tables;
    }
}
