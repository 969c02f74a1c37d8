package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.catalog.ReplicatedTable;
import dev.sekisho.planner.pg.functions.PgResultTypes;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.sql.Dialects;
import dev.sekisho.planner.sql.SourcePushdown;
import dev.sekisho.planner.sql.SourceSqlGenerator;
import dev.sekisho.planner.types.ValueConverters;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RepeatUnion;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.tools.RelBuilder;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

import static java.util.Objects.requireNonNull;

/**
 * Chooses how a validated, secured statement runs, and makes its prepared query: pushed down whole
 * to its one source when that source's dialect runs all of it with PostgreSQL's meaning
 * ({@link PushedDownQuery}); otherwise in the gateway ({@link FederatedQuery}), compiled to Java
 * (always for statements that read only the catalog emulation; for others when Calcite can compile
 * them) or, as the last resort, interpreted. Not thread-safe; one per statement.
 */
final class PlanStrategy
{
    private final String sql;
    private final Catalog catalog;
    private final JavaTypeFactory typeFactory;
    /** Why a single-source statement was not pushed down whole, for EXPLAIN; null when it was or had no single source. */
    private String localReason;

    /**
     * @param sql the statement's text as the client sent it
     * @param typeFactory the statement's type factory
     */
    PlanStrategy(String sql, Catalog catalog, JavaTypeFactory typeFactory)
    {
        this.sql = requireNonNull(sql, "sql is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
    }

    /**
     * @param root the validated statement, with the policy applied
     * @param metadataQuery the metadata of {@code root}'s cluster, which gave {@code columns} their origins
     * @param columns the result columns
     * @param sourceColumns for each result column, the field of {@code root.rel} it reads
     * @param parameterTypes the client's parameters' types, followed by the policy's
     * @param parameterOfIndex for each Calcite dynamic parameter index, the zero-based index of the parameter it binds
     * @param dynamicParameterTypes for each Calcite dynamic parameter index, its type
     */
    PreparedQuery choose(RelRoot root, RelMetadataQuery metadataQuery, List<ResultColumn> columns, int[] sourceColumns, List<ColumnType> parameterTypes,
            int[] parameterOfIndex, List<RelDataType> dynamicParameterTypes)
    {
        Set<Connector> sources = new LinkedHashSet<>();
        scans(root.rel).forEach(table -> sources.add(table.connector()));
        if (sources.isEmpty() && catalog.connectors().size() == 1) {
            sources.add(catalog.connectors().get(0));
        }
        if (sources.size() == 1 && !PgResultTypes.usesCatalog(root.rel)) {
            Connector connector = sources.iterator().next();
            Optional<SourceSqlGenerator.SourceSql> sourceSql = generate(root.rel, connector);
            if (sourceSql.isPresent()) {
                int[] placeholderParameters = sourceSql.get().placeholders().stream().mapToInt(index -> parameterOfIndex[index]).toArray();
                PushedDownQuery pushed = new PushedDownQuery(sql, columns, parameterTypes, connector, sourceSql.get().sql(), placeholderParameters,
                        sourceSql.get().collationFreePlaceholders(),
                        sourceColumns, ResultColumns.converters(columns, root.rel, sourceColumns, metadataQuery),
                        scans(root.rel).stream().map(ConnectorTable::sourceTable).toList());
                return onCopies(root.rel, pushed, metadataQuery, columns, sourceColumns, parameterTypes, parameterOfIndex).orElse(pushed);
            }
        }
        if (sources.size() == 1 && !PgResultTypes.usesCatalog(root.rel)) {
            Optional<PreparedQuery> split = withLocalProjection(root, sources.iterator().next(), metadataQuery, columns, sourceColumns, parameterTypes,
                    parameterOfIndex, dynamicParameterTypes);
            if (split.isPresent()) {
                return split.get();
            }
        }
        // the gateway computes it: with PostgreSQL's numeric and window semantics, where Calcite's differ
        root = root.withRel(LocalWindowSemantics.rewrite(LocalNumericSemantics.rewrite(root.rel)));
        if (scans(root.rel).isEmpty() && PgResultTypes.usesCatalog(root.rel)) {
            // reads only the catalog emulation: compiled, which runs what the interpreter cannot
            CompiledPlan compiled = CompiledPlan.compile(root.project());
            return new FederatedQuery(sql, columns, parameterTypes, root.project(), catalog.rootSchema().plus(), catalog.pgCatalog(), typeFactory,
                    parameterOfIndex, dynamicParameterTypes, ExplainText.catalogCompiled(compiled), compiled);
        }
        // compiled to Java, the local engine runs what the interpreter cannot: every aggregate (array_agg, string_agg),
        // window functions, correlated joins with a sort or limit inside, recursive queries
        try {
            CompiledPlan compiled = CompiledPlan.compile(root.project(), catalog.localJoinMaxRows());
            return new FederatedQuery(sql, columns, parameterTypes, root.project(), catalog.rootSchema().plus(), catalog.pgCatalog(), typeFactory,
                    parameterOfIndex, dynamicParameterTypes, ExplainText.compiled(compiled, localReason), compiled);
        }
        catch (RuntimeException | AssertionError e) {
            // fall back to the interpreter, which reports what it cannot do
        }
        if (contains(root.rel, RepeatUnion.class)) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "this recursive query (WITH RECURSIVE) is not supported yet",
                    "Rewrite it without recursion, e.g. with generate_series or a join.", null);
        }
        RelNode local = prepareForInterpreter(root.project(), root.rel.getCluster());
        return new FederatedQuery(sql, columns, parameterTypes, local, catalog.rootSchema().plus(), catalog.pgCatalog(), typeFactory, parameterOfIndex,
                dynamicParameterTypes, ExplainText.interpreted(local, localReason));
    }

    /**
     * The statement pushed down but for its last projection, which the gateway computes over the
     * source's rows: for what the source cannot compute with PostgreSQL's meaning only at the top
     * (a numeric quotient, {@code avg} as {@code sum / count}). Empty when the rest is not pushable
     * either.
     */
    private Optional<PreparedQuery> withLocalProjection(RelRoot root, Connector connector, RelMetadataQuery metadataQuery, List<ResultColumn> columns,
            int[] sourceColumns, List<ColumnType> parameterTypes, int[] parameterOfIndex, List<RelDataType> dynamicParameterTypes)
    {
        if (hasCorrelatedSubQuery(root.rel)) {
            return Optional.empty();
        }
        RelNode rel = LocalNumericSemantics.reduceAverages(root.rel);
        HepPlanner transpose = new HepPlanner(new HepProgramBuilder()
                .addRuleCollection(List.of(CoreRules.SORT_PROJECT_TRANSPOSE, CoreRules.PROJECT_MERGE))
                .build());
        transpose.setRoot(rel);
        rel = transpose.findBestExp();
        if (!(rel instanceof org.apache.calcite.rel.core.Project project)) {
            return Optional.empty();
        }
        RelNode input = project.getInput();
        if (!contains(input, org.apache.calcite.rel.core.Aggregate.class) && !contains(input, org.apache.calcite.rel.core.Join.class)) {
            // scans and filters: the gateway's own scans already ask for just the columns and the simple filters it needs
            return Optional.empty();
        }
        if (SourcePushdown.obstacle(input, Dialects.of(connector.dialect())).isPresent()
                || project.getProjects().stream().anyMatch(expression -> expression instanceof RexSubQuery || org.apache.calcite.rex.RexOver.containsOver(expression))) {
            return Optional.empty();
        }
        SourceSqlGenerator.SourceSql sourceSql;
        try {
            sourceSql = SourceSqlGenerator.generate(input, connector.dialect());
        }
        catch (RuntimeException | AssertionError e) {
            return Optional.empty();
        }
        org.apache.calcite.rex.RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        List<RexNode> projects = project.getProjects().stream().map(expression -> LocalNumericSemantics.rewrite(expression, rexBuilder)).toList();
        LocalProjection projection;
        try {
            projection = new LocalProjection(rexBuilder, projects, input.getRowType(), dynamicParameterTypes, typeFactory);
        }
        catch (RuntimeException | AssertionError e) {
            return Optional.empty();
        }
        int[] placeholderParameters = sourceSql.placeholders().stream().mapToInt(index -> parameterOfIndex[index]).toArray();
        @SuppressWarnings("unchecked")
        java.util.function.UnaryOperator<Object>[] converters = columns.stream()
                .map(column -> dev.sekisho.planner.types.ValueConverters.toKind(column.type().kind()))
                .toArray(java.util.function.UnaryOperator[]::new);
        return Optional.of(new PushedDownQuery(sql, columns, parameterTypes, connector, sourceSql.sql(), placeholderParameters,
                sourceSql.collationFreePlaceholders(), sourceColumns, converters,
                scans(root.rel).stream().map(ConnectorTable::sourceTable).toList(), projection, parameterOfIndex, localReason));
    }

    /**
     * When every table the statement reads is replicated ({@link ReplicatedTable}) and the copies are
     * in one other source that runs the statement whole: the statement routed per execution between
     * its source and the copies ({@link ReplicatedRoute}); empty otherwise.
     */
    private Optional<PreparedQuery> onCopies(RelNode rel, PushedDownQuery pushed, RelMetadataQuery metadataQuery, List<ResultColumn> columns,
            int[] sourceColumns, List<ColumnType> parameterTypes, int[] parameterOfIndex)
    {
        if (catalog.replicatedTables().isEmpty()) {
            return Optional.empty();
        }
        List<ReplicatedTable> read = new ArrayList<>();
        for (ConnectorTable table : scans(rel)) {
            String name = (table.exposedSchema() + "." + table.metadata().name()).toLowerCase(Locale.ROOT);
            Optional<ReplicatedTable> replicated = catalog.replicatedTables().stream().filter(candidate -> candidate.table().equals(name)).findFirst();
            if (replicated.isEmpty()) {
                return Optional.empty();
            }
            read.add(replicated.get());
        }
        Optional<RelNode> onCopies = CopyScans.replace(rel, read);
        if (onCopies.isEmpty()) {
            return Optional.empty();
        }
        Set<Connector> copySources = new LinkedHashSet<>();
        scans(onCopies.get()).forEach(table -> copySources.add(table.connector()));
        if (copySources.size() != 1 || copySources.contains(pushed.connector())) {
            return Optional.empty();
        }
        Connector copySource = copySources.iterator().next();
        String reason = localReason;
        Optional<SourceSqlGenerator.SourceSql> copySql = generate(onCopies.get(), copySource);
        localReason = reason;
        if (copySql.isEmpty()) {
            return Optional.empty();
        }
        int[] placeholderParameters = copySql.get().placeholders().stream().mapToInt(index -> parameterOfIndex[index]).toArray();
        PushedDownQuery copy = new PushedDownQuery(sql, columns, parameterTypes, copySource, copySql.get().sql(), placeholderParameters,
                copySql.get().collationFreePlaceholders(), sourceColumns,
                copyConverters(columns, ResultColumns.converters(columns, onCopies.get(), sourceColumns, metadataQuery)),
                scans(onCopies.get()).stream().map(ConnectorTable::sourceTable).toList());
        return Optional.of(new ReplicatedRoute(pushed, copy, read, java.time.Clock.systemUTC()));
    }

    /**
     * The converters of a statement on copies: a column read unchanged from a copy arrives as the
     * copy's type (BigQuery's INT64 for MySQL's INT), so every column is converted to its result
     * type, decimals to their declared scale, as MySQL returns them.
     */
    @SuppressWarnings("unchecked")
    private static UnaryOperator<Object>[] copyConverters(List<ResultColumn> columns, UnaryOperator<Object>[] converters)
    {
        UnaryOperator<Object>[] all = converters.clone();
        for (int i = 0; i < all.length; i++) {
            ColumnType type = columns.get(i).type();
            UnaryOperator<Object> toType = all[i] != null ? all[i] : ValueConverters.toKind(type.kind());
            if (type.kind() == ColumnType.Kind.DECIMAL && type.scale() >= 0) {
                UnaryOperator<Object> decimal = toType;
                toType = value -> value == null ? null : ((BigDecimal) decimal.apply(value)).setScale(type.scale(), RoundingMode.HALF_UP);
            }
            all[i] = toType;
        }
        return all;
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
