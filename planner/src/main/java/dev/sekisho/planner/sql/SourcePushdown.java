package dev.sekisho.planner.sql;

import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelVisitor;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Intersect;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Minus;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Union;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexOver;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexVisitorImpl;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperator;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a plan may be sent whole to a source in its dialect: every relational operator, function,
 * aggregate and join type in it (sub-queries included) must be one the dialect runs with
 * PostgreSQL's meaning ({@link SqlDialect#supportsFunction}, {@link SqlDialect#supportsAggregateFunction},
 * {@link SqlDialect#supportsJoinType}). A plan that is not pushable runs in the gateway, over the
 * rows its source scans return; a source never receives a function it lacks.
 */
public final class SourcePushdown
{
    /** Operators, by kind, that the SQL dialects of the sources run with PostgreSQL's meaning (each dialect's unparsing maps what needs it). */
    private static final Set<SqlKind> STANDARD_KINDS = EnumSet.of(
            SqlKind.AND, SqlKind.OR, SqlKind.NOT, SqlKind.EQUALS, SqlKind.NOT_EQUALS, SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL,
            SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL, SqlKind.IS_NULL, SqlKind.IS_NOT_NULL, SqlKind.IS_TRUE, SqlKind.IS_NOT_TRUE,
            SqlKind.IS_FALSE, SqlKind.IS_NOT_FALSE, SqlKind.IS_DISTINCT_FROM, SqlKind.IS_NOT_DISTINCT_FROM, SqlKind.BETWEEN, SqlKind.IN,
            SqlKind.NOT_IN, SqlKind.SEARCH, SqlKind.LIKE, SqlKind.PLUS, SqlKind.MINUS, SqlKind.TIMES, SqlKind.DIVIDE, SqlKind.MOD,
            SqlKind.MINUS_PREFIX, SqlKind.PLUS_PREFIX, SqlKind.CASE, SqlKind.CAST, SqlKind.COALESCE, SqlKind.NULLIF, SqlKind.EXTRACT,
            SqlKind.FLOOR, SqlKind.CEIL, SqlKind.TRIM, SqlKind.LTRIM, SqlKind.RTRIM, SqlKind.POSITION, SqlKind.EXISTS, SqlKind.SCALAR_QUERY,
            SqlKind.SOME, SqlKind.ALL, SqlKind.ROW, SqlKind.REVERSE, SqlKind.ROW_NUMBER, SqlKind.RANK,
            SqlKind.DENSE_RANK, SqlKind.PERCENT_RANK, SqlKind.CUME_DIST, SqlKind.NTILE, SqlKind.LAG, SqlKind.LEAD, SqlKind.FIRST_VALUE,
            SqlKind.LAST_VALUE, SqlKind.NTH_VALUE, SqlKind.COUNT, SqlKind.SUM, SqlKind.SUM0, SqlKind.MIN, SqlKind.MAX, SqlKind.AVG);

    private SourcePushdown() {}

    /** Whether values of {@code type} are text (compared by a collation). */
    static boolean isText(org.apache.calcite.rel.type.RelDataType type)
    {
        return org.apache.calcite.sql.type.SqlTypeUtil.inCharFamily(type);
    }

    /**
     * Whether {@code operator} is one of the standard operators (comparisons, arithmetic, CASE, CAST,
     * sub-queries, window functions and the basic aggregates) that every source dialect runs.
     */
    static boolean isStandardOperator(SqlOperator operator)
    {
        return operator.getKind() != SqlKind.OTHER_FUNCTION && operator.getKind() != SqlKind.OTHER && STANDARD_KINDS.contains(operator.getKind());
    }

    /** What stops {@code rel} from running whole in {@code dialect} (e.g. "function ARRAY_AGG"), or empty when nothing does. */
    public static Optional<String> obstacle(RelNode rel, SqlDialect dialect)
    {
        Finder finder = new Finder(dialect);
        RelNode top = rel;
        while (top instanceof Sort || top instanceof Filter) {
            top = top.getInput(0);
        }
        finder.resultProjection = top instanceof Project ? top : null;
        try {
            finder.go(rel);
        }
        catch (Found found) {
            return Optional.of(found.getMessage());
        }
        return Optional.empty();
    }

    /** Thrown to stop the walk at the first obstacle. */
    private static final class Found
            extends RuntimeException
    {
        Found(String what)
        {
            super(what, null, false, false);
        }
    }

    private static final class Finder
            extends RelVisitor
    {
        private final SqlDialect dialect;
        private final RexVisitorImpl<Void> expressions;
        /**
         * Whether the dialect groups and sorts text by code point as PostgreSQL's C collation does.
         * MySQL's collations ignore case and trailing spaces: comparisons are rewritten to compare
         * bytes, GROUP BY, DISTINCT and ORDER BY to pair text keys with their bytes and windows to
         * partition and order by them ({@link TextComparisons}, {@link TextOrdering}); min/max,
         * DISTINCT aggregates, IN sub-queries and set operations over text run in the gateway.
         */
        private final boolean ordersText;
        /** The projection whose values are the statement's result (under its sort), or null. */
        private RelNode resultProjection;
        private boolean inResult;
        /** Quotients whose scale never shows because an enclosing ROUND, FLOOR or CEIL takes them to an integer. */
        private final java.util.Set<RexNode> roundedQuotients = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

        private static void requireNoText(RelNode rel, int field, String what)
        {
            if (isText(rel.getRowType().getFieldList().get(field).getType())) {
                throw new Found(what);
            }
        }

        private static void requireNoText(RexNode expression, String what)
        {
            if (isText(expression.getType())) {
                throw new Found(what);
            }
        }

        Finder(SqlDialect dialect)
        {
            this.dialect = dialect;
            this.ordersText = !(dialect instanceof SekishoMysqlDialect);
            this.expressions = new RexVisitorImpl<>(true)
            {
                @Override
                public Void visitCall(RexCall call)
                {
                    if (!dialect.supportsFunction(call.getOperator(), call.getType(), call.getOperands().stream().map(RexNode::getType).toList())) {
                        throw new Found("function " + call.getOperator().getName());
                    }
                    if (inResult && call.getOperator().getName().equalsIgnoreCase("PG_NUMERIC_VALUE")) {
                        // a result's CASE, COALESCE, GREATEST or LEAST over numbers of different scales: each value keeps its own
                        // scale, where the source's common type gives every value the widest one (0.00 for PostgreSQL's 0)
                        throw new Found("numbers of different scales in a result's CASE or COALESCE");
                    }
                    if (dialect instanceof SekishoMysqlDialect && !SekishoMysqlDialect.computesAsPostgres(call) && !roundedQuotients.contains(call)) {
                        throw new Found(call.getKind() == SqlKind.DIVIDE ? "numeric division" : call.getKind() == SqlKind.CAST ? "a cast to numeric"
                                : "function " + call.getOperator().getName());
                    }
                    if ((call.getOperator().getName().equalsIgnoreCase("ROUND") || call.getKind() == SqlKind.FLOOR || call.getKind() == SqlKind.CEIL) && call.getOperands().size() == 1
                            && call.getOperands().get(0) instanceof RexCall quotient && quotient.getKind() == SqlKind.DIVIDE
                            && quotient.getOperands().get(1) instanceof org.apache.calcite.rex.RexLiteral) {
                        // a quotient rounded to an integer (the round mask: ROUND(v / step)): its scale never shows
                        roundedQuotients.add(quotient);
                    }
                    return super.visitCall(call);
                }

                @Override
                public Void visitOver(RexOver over)
                {

                    if (!dialect.supportsFunction(over.getAggOperator(), over.getType(), over.getOperands().stream().map(RexNode::getType).toList())) {
                        throw new Found("window function " + over.getAggOperator().getName());
                    }
                    over.getWindow().partitionKeys.forEach(key -> key.accept(this));
                    over.getWindow().orderKeys.forEach(key -> key.left.accept(this));
                    over.getOperands().forEach(operand -> operand.accept(this));
                    return null;
                }

                @Override
                public Void visitSubQuery(RexSubQuery subQuery)
                {
                    if (!ordersText && (subQuery.getKind() == SqlKind.IN || subQuery.getKind() == SqlKind.SOME || subQuery.getKind() == SqlKind.ALL)) {
                        // compares with the source's collation
                        subQuery.getOperands().forEach(operand -> requireNoText(operand, "IN, ANY or ALL over text"));
                    }
                    Finder.this.go(subQuery.rel);
                    return super.visitSubQuery(subQuery);
                }
            };
        }

        @Override
        public void visit(RelNode node, int ordinal, RelNode parent)
        {
            if (node instanceof Project project) {
                inResult = node == resultProjection;
                project.getProjects().forEach(expression -> expression.accept(expressions));
                inResult = false;
            }
            else if (node instanceof Filter filter) {
                filter.getCondition().accept(expressions);
            }
            else if (node instanceof Join join) {
                if (!dialect.supportsJoinType(join.getJoinType())) {
                    throw new Found(join.getJoinType() + " join");
                }
                join.getCondition().accept(expressions);
            }
            else if (node instanceof Aggregate aggregate) {
                if (aggregate.getGroupType() != Aggregate.Group.SIMPLE) {
                    throw new Found("GROUPING SETS, ROLLUP or CUBE");
                }
                for (AggregateCall call : aggregate.getAggCallList()) {
                    if (!dialect.supportsAggregateFunction(call.getAggregation().getKind())) {
                        throw new Found("aggregate " + call.getAggregation().getName());
                    }
                    if (dialect instanceof SekishoMysqlDialect && call.getAggregation().getKind() == SqlKind.AVG
                            && call.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL) {
                        // avg of exact numbers is a numeric quotient (see computesAsPostgres)
                        throw new Found("avg of exact numbers");
                    }
                    if (!ordersText && (call.isDistinct() || call.getAggregation().getKind() == SqlKind.MIN
                            || call.getAggregation().getKind() == SqlKind.MAX)) {
                        call.getArgList().forEach(argument -> requireNoText(aggregate.getInput(), argument,
                                call.getAggregation().getName() + (call.isDistinct() ? " DISTINCT" : "") + " of text"));
                    }
                }
            }
            else if (node instanceof Sort sort) {
                if (sort.offset != null) {
                    sort.offset.accept(expressions);
                }
                if (sort.fetch != null) {
                    sort.fetch.accept(expressions);
                }
            }
            else if (node instanceof Correlate) {
                throw new Found("LATERAL (a correlated join)");
            }
            else if (!(node instanceof TableScan || node instanceof Values || node instanceof Union || node instanceof Intersect || node instanceof Minus)) {
                throw new Found(node.getRelTypeName());
            }
            if (!ordersText && (node instanceof Intersect || node instanceof Minus || node instanceof Union union && !union.all)) {
                // duplicates are removed by comparing the rows
                for (int i = 0; i < node.getRowType().getFieldCount(); i++) {
                    requireNoText(node, i, node.getRelTypeName() + " of text");
                }
            }
            super.visit(node, ordinal, parent);
        }
    }
}
