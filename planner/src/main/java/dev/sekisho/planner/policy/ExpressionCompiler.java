package dev.sekisho.planner.policy;

import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.pg.syntax.InfixCasts;
import dev.sekisho.planner.plan.CalciteConfig;
import dev.sekisho.planner.plan.SearchPathCatalogReader;
import dev.sekisho.planner.plan.SekishoValidator;
import dev.sekisho.policies.model.UserReferences;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Compiles a policy expression (a row filter's {@code where}, a {@code sql} mask) against one
 * table: parsed with the same PostgreSQL-flavoured parser as queries, validated in a scope over
 * the table's raw columns, and converted to a {@link RexNode} over the fields of a scan of the
 * whole table. {@code :user.x} placeholders become dynamic parameters (never text);
 * {@code :user.groups} becomes one parameter per group, so it is used as {@code x IN (:user.groups)}
 * (an empty list is a NULL, which matches nothing). Not thread-safe; one per statement.
 */
final class ExpressionCompiler
{
    private final SearchPathCatalogReader catalogReader;
    private final JavaTypeFactory typeFactory;

    /**
     * A compiled expression.
     *
     * @param node the expression over the table's full row; its dynamic parameter {@code i} is {@code parameters.get(i)}
     * @param parameters the policy parameters the expression uses
     */
    record Compiled(RexNode node, List<PolicyParameter> parameters)
    {
        Compiled
        {
            requireNonNull(node, "node is null");
            parameters = List.copyOf(parameters);
        }

        /** The expression with its parameters at the statement's indexes. */
        RexNode bind(RexBuilder rexBuilder, PolicyParameters statementParameters)
        {
            if (parameters.isEmpty()) {
                return node;
            }
            return node.accept(new RexShuttle()
            {
                @Override
                public RexNode visitDynamicParam(RexDynamicParam parameter)
                {
                    return rexBuilder.makeDynamicParam(parameter.getType(), statementParameters.index(parameters.get(parameter.getIndex())));
                }
            });
        }
    }

    /** A policy expression that cannot be used; the message says why, for admins. */
    static final class PolicyExpressionException
            extends RuntimeException
    {
        PolicyExpressionException(String message)
        {
            super(message);
        }
    }

    ExpressionCompiler(Catalog catalog, JavaTypeFactory typeFactory)
    {
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.catalogReader = new SearchPathCatalogReader(catalog, List.of(), typeFactory);
    }

    /**
     * Compiles {@code expression} over {@code table}.
     *
     * @param groupCount how many groups {@code :user.groups} expands to
     * @throws PolicyExpressionException if it does not parse, does not validate, or is not a row-level expression
     */
    Compiled compile(ConnectorTable table, String expression, int groupCount)
    {
        List<PolicyParameter> parameters = new ArrayList<>();
        String text = placeholders(expression, groupCount, parameters);
        SqlNode parsed;
        try {
            parsed = InfixCasts.rewrite(SqlParser.create(text, CalciteConfig.PARSER_CONFIG).parseExpression(), text);
        }
        catch (SqlParseException e) {
            throw new PolicyExpressionException("does not parse: " + firstLine(e.getMessage()));
        }
        rejectQueries(parsed);
        SqlIdentifier from = new SqlIdentifier(List.of(table.exposedSchema(), table.metadata().name()), SqlParserPos.ZERO);
        SqlSelect select = new SqlSelect(SqlParserPos.ZERO, null, SqlNodeList.of(parsed), from, null, null, null, null, null, null, null, null, null);

        RelDataType text0 = typeFactory.createTypeWithNullability(typeFactory.createSqlType(SqlTypeName.VARCHAR), true);
        Map<Integer, RelDataType> declared = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            declared.put(i, text0);
        }
        SekishoValidator validator = new SekishoValidator(CalciteConfig.OPERATORS, catalogReader, typeFactory, CalciteConfig.VALIDATOR_CONFIG, declared);
        List<SqlDynamicParam> dynamicParameters = new ArrayList<>();
        parsed.accept(new SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(SqlDynamicParam param)
            {
                dynamicParameters.add(param);
                return null;
            }
        });
        validator.declare(dynamicParameters);
        RelNode rel;
        try {
            SqlNode validated = validator.validate(select);
            RelOptCluster cluster = RelOptCluster.create(new HepPlanner(HepProgram.builder().build()), new RexBuilder(typeFactory));
            SqlToRelConverter converter = new SqlToRelConverter((rowType, queryString, schemaPath, viewPath) -> {
                throw new UnsupportedOperationException("views are not supported");
            }, validator, catalogReader, cluster, StandardConvertletTable.INSTANCE, CalciteConfig.TO_REL_CONFIG);
            RelRoot root = converter.convertQuery(validated, false, true);
            rel = root.rel;
        }
        catch (CalciteContextException e) {
            throw new PolicyExpressionException("is not valid: " + firstLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
        }
        catch (RuntimeException | AssertionError e) {
            throw new PolicyExpressionException("cannot be compiled: " + firstLine(e.getMessage()));
        }
        if (!(rel instanceof Project project) || !(project.getInput() instanceof TableScan) || project.getProjects().size() != 1) {
            throw new PolicyExpressionException("must be an expression over the row's columns (no aggregate functions)");
        }
        RexNode node = project.getProjects().get(0);
        if (RexOver.containsOver(node) || RexUtil.SubQueryFinder.find(List.of(node)) != null) {
            throw new PolicyExpressionException("must be an expression over the row's columns (no window functions or subqueries)");
        }
        return new Compiled(node, parameters);
    }

    /** Replaces each {@code :user.x} with {@code ?} (one per group for {@code :user.groups}). */
    private static String placeholders(String expression, int groupCount, List<PolicyParameter> parameters)
    {
        StringBuilder text = new StringBuilder();
        int position = 0;
        for (UserReferences.Reference reference : UserReferences.find(expression)) {
            if (reference.attribute().isEmpty()) {
                throw new PolicyExpressionException("%s is not a user attribute; write :user.<attribute>".formatted(reference.text()));
            }
            text.append(expression, position, reference.offset());
            String attribute = reference.attribute().get();
            if (attribute.equals(UserReferences.GROUPS)) {
                if (groupCount == 0) {
                    text.append("CAST(NULL AS VARCHAR)");
                }
                for (int i = 0; i < groupCount; i++) {
                    text.append(i == 0 ? "?" : ", ?");
                    parameters.add(PolicyParameter.groupItem(i));
                }
            }
            else {
                text.append('?');
                parameters.add(PolicyParameter.attribute(attribute));
            }
            position = reference.offset() + reference.text().length();
        }
        text.append(expression.substring(position));
        return text.toString();
    }

    private static void rejectQueries(SqlNode parsed)
    {
        parsed.accept(new SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(SqlCall call)
            {
                if (call.getKind() == SqlKind.SELECT || call.isA(SqlKind.QUERY)) {
                    throw new PolicyExpressionException("must not contain a subquery: a policy expression reads only the row's own columns");
                }
                return super.visit(call);
            }
        });
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
