package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ReadOnlyStatements;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.pg.syntax.BlankPaddedText;
import dev.sekisho.planner.pg.syntax.InfixCasts;
import dev.sekisho.planner.pg.syntax.IntervalValues;
import dev.sekisho.planner.pg.syntax.PgSqlRewriter;
import dev.sekisho.planner.pg.syntax.PgSyntax;
import dev.sekisho.planner.policy.PolicyParameter;
import dev.sekisho.planner.policy.StatementPolicy;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.planner.types.TypeMapping;
import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.model.TableName;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Plans one statement against one catalog generation: reject writes, rewrite PostgreSQL's syntax,
 * parse (Babel, {@link CalciteConfig}), validate with the client's declared parameter types,
 * convert to relational algebra, apply the session's policy, name and type the result columns
 * ({@link ResultColumns}) and lay out the parameters (the client's, then the policy's), and let
 * {@link PlanStrategy} choose where it runs. Calcite's failures become PostgreSQL errors
 * ({@link ErrorTranslator}). Not thread-safe; one instance per statement.
 */
public final class StatementPlanner
{
    private final Catalog catalog;
    private final List<String> searchPath;
    private final Optional<SessionPolicy> policy;
    private final boolean hasSalt;
    /** The policy applied to the statement being planned; null without a policy. */
    private StatementPolicy statementPolicy;
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

    PreparedQuery plan(SqlStatement statement, List<ColumnType> declaredParameterTypes)
    {
        return planWithPolicy(statement, declaredParameterTypes).query();
    }

    /** Plans a statement lexed already: its tokens are reused, the text is not lexed again. */
    public Planned planWithPolicy(SqlStatement statement, List<ColumnType> declaredParameterTypes)
    {
        String sql = statement.text();
        if (ReadOnlyStatements.isWrite(statement)) {
            throw ReadOnlyStatements.refusal(statement);
        }
        ParameterRewriter.Rewritten rewritten = ParameterRewriter.rewrite(statement);
        statementPolicy = policy.map(session -> new StatementPolicy(catalog, session, typeFactory, rewritten.parameterNumbers().size(), hasSalt)).orElse(null);
        ErrorTranslator errors = statementPolicy == null
                ? new ErrorTranslator(sql, rewritten, catalog, searchPath)
                : new ErrorTranslator(sql, rewritten, catalog, searchPath, statementPolicy::isVisible);
        try {
            String normalized = PgSyntax.normalize(rewritten.statement());
            errors.parsed(normalized);
            PgSqlRewriter pgRewriter = statementPolicy == null ? new PgSqlRewriter(catalog.pgCatalog(), searchPath)
                    : new PgSqlRewriter(catalog.pgCatalog(), searchPath,
                            (schema, table) -> catalog.schema(schema).map(found -> statementPolicy.isVisible(found, table)).orElse(false));
            SqlNode parsed = IntervalValues.rewrite(BlankPaddedText.rewrite(pgRewriter
                    .rewrite(InfixCasts.rewrite(SqlParser.create(normalized, CalciteConfig.PARSER_CONFIG).parseQuery(), normalized))));
            checkIsQuery(parsed, statement);
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
        java.util.Set<Integer> typeOfFields = java.util.Set.of();
        if (sql.toLowerCase(Locale.ROOT).contains("pg_typeof")) {
            typeOfFields = PgTypeOf.fields(root.rel);
            root = root.withRel(PgTypeOf.rewrite(root.rel, cluster.getRexBuilder()));
        }
        root = root.withRel(BooleanText.rewrite(root.rel));
        org.apache.calcite.rel.RelNode unsecured = root.rel;
        if (statementPolicy != null) {
            root = root.withRel(statementPolicy.secure(root.rel));
        }

        List<String> names = ColumnNames.of(written, validated, root.validatedRowType);
        int[] sourceColumns = root.fields.stream().mapToInt(field -> field.getKey()).toArray();
        RelMetadataQuery metadataQuery = cluster.getMetadataQuery();
        List<ResultColumn> columns = new ArrayList<>(ResultColumns.of(names, root.rel, sourceColumns, varcharCasts, metadataQuery));
        if (unsecured != root.rel) {
            // a masked column is described as the column it masks (varchar, not the text of an expression), so that a
            // policy edit never changes a prepared statement's result types and the type never tells a mask is there
            List<ResultColumn> unmasked = ResultColumns.of(names, unsecured, sourceColumns, varcharCasts, metadataQuery);
            for (int i = 0; i < columns.size(); i++) {
                ResultColumn column = columns.get(i);
                if (column.type().kind() == dev.sekisho.planner.spi.ColumnType.Kind.TEXT && unmasked.get(i).type().kind() == dev.sekisho.planner.spi.ColumnType.Kind.VARCHAR) {
                    columns.set(i, new ResultColumn(column.name(), unmasked.get(i).type(), column.origin(), column.typeOid()));
                }
            }
        }
        for (int i = 0; i < columns.size(); i++) {
            if (typeOfFields.contains(sourceColumns[i])) {
                ResultColumn column = columns.get(i);
                columns.set(i, new ResultColumn(column.name(), column.type(), column.origin(), dev.sekisho.planner.pg.catalog.PgTypeInfo.REGTYPE));
            }
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
        // after the result types are taken: upper(x) is text, not the varchar of the REPLACEs that compute it
        root = root.withRel(AsciiCaseMapping.rewrite(root.rel));
        return new PlanStrategy(sql, catalog, typeFactory)
                .choose(root, metadataQuery, columns, sourceColumns, parameterTypes, parameterOfIndex, dynamicParameterTypes);
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

    private static void checkIsQuery(SqlNode parsed, SqlStatement statement)
    {
        if (parsed.isA(SqlKind.QUERY)) {
            return;
        }
        String kind = parsed.getKind().sql;
        if (parsed.isA(SqlKind.DML) || parsed.isA(SqlKind.DDL)) {
            throw ReadOnlyStatements.refusal(statement);
        }
        throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, kind + " statements are not supported",
                "Send a query (SELECT, WITH, VALUES or TABLE).", null);
    }
}
