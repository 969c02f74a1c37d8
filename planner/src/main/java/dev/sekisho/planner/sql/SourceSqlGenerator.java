package dev.sekisho.planner.sql;

import com.google.common.collect.ImmutableList;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.spi.TableMetadata;
import org.apache.calcite.rel.RelHomogeneousShuttle;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.rel2sql.RelToSqlConverter;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.rex.RexSubQuery;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlDialect;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlString;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Turns a plan into one statement in a source's dialect with {@link RelToSqlConverter}: tables are
 * named as the source spells them, and PostgreSQL semantics that the dialect would change are
 * rewritten first (integer division for MySQL). For MySQL, filters and projections over a
 * projection (a policy's masks) become one SELECT rather than a derived table ({@link SelectMerging}),
 * and the placeholders whose collation cannot matter are named ({@link CollationFreeParameters}).
 */
public final class SourceSqlGenerator
{
    private SourceSqlGenerator() {}

    /**
     * A generated statement.
     *
     * @param sql the statement with {@code ?} placeholders
     * @param placeholders for each {@code ?} in order, the index of the Calcite dynamic parameter it binds
     * @param collationFreePlaceholders the zero-based positions of the {@code ?}s whose value's collation cannot matter
     *         ({@link CollationFreeParameters}; always empty for dialects other than MySQL's)
     */
    public record SourceSql(String sql, List<Integer> placeholders, Set<Integer> collationFreePlaceholders)
    {
        public SourceSql
        {
            requireNonNull(sql, "sql is null");
            placeholders = List.copyOf(placeholders);
            collationFreePlaceholders = Set.copyOf(collationFreePlaceholders);
            for (int position : collationFreePlaceholders) {
                if (position < 0 || position >= placeholders.size()) {
                    throw new IllegalArgumentException("no placeholder at position " + position);
                }
            }
        }
    }

    /** The statement for {@code rel} in the dialect of {@code kind}; throws if the dialect cannot write part of it. */
    public static SourceSql generate(RelNode rel, SqlDialectKind kind)
    {
        SqlDialect dialect = Dialects.of(kind);
        RelNode prepared = kind == SqlDialectKind.MYSQL ? rewriteIntegerDivision(TextOrdering.rewrite(SelectMerging.merge(rel))) : rel;
        Converter converter = new Converter(dialect);
        SqlNode statement = converter.visitRoot(prepared).asStatement();
        SqlString sql = statement.toSqlString(config -> config.withDialect(dialect)
                .withIndentation(0)
                .withSelectListItemsOnSeparateLines(false)
                .withClauseStartsLine(false)
                .withAlwaysUseParentheses(false)
                .withQuoteAllIdentifiers(true));
        List<Integer> placeholders = sql.getDynamicParameters() == null ? List.of() : sql.getDynamicParameters();
        Set<Integer> collationFree = new HashSet<>();
        // a view's column may be a literal, as coercible as a parameter: only tables' columns decide a comparison
        if (kind == SqlDialectKind.MYSQL && !placeholders.isEmpty() && !converter.readsView) {
            Set<Integer> safeIndexes = CollationFreeParameters.of(statement);
            for (int position = 0; position < placeholders.size(); position++) {
                if (safeIndexes.contains(placeholders.get(position))) {
                    collationFree.add(position);
                }
            }
        }
        return new SourceSql(sql.getSql(), placeholders, collationFree);
    }

    /**
     * {@code int / int} truncates in PostgreSQL but yields a decimal in MySQL: use {@code DIV}. Text
     * compares as PostgreSQL's C collation does, by code point and with trailing spaces
     * ({@link TextComparisons}).
     */
    static RelNode rewriteIntegerDivision(RelNode rel)
    {
        RexBuilder rexBuilder = rel.getCluster().getRexBuilder();
        RelHomogeneousShuttle[] relShuttle = new RelHomogeneousShuttle[1];
        RexShuttle rexShuttle = new RexShuttle()
        {
            /** Whether the expression being visited is a window's partition or order key (depth 0 only). */
            private boolean windowKey;
            private int depth;

            @Override
            public org.apache.calcite.rex.RexWindow visitWindow(org.apache.calcite.rex.RexWindow window)
            {
                // PARTITION BY and ORDER BY of a window compare text by its bytes, as PostgreSQL's C collation does
                boolean saved = windowKey;
                windowKey = true;
                try {
                    return super.visitWindow(window);
                }
                finally {
                    windowKey = saved;
                }
            }

            @Override
            public RexNode visitInputRef(org.apache.calcite.rex.RexInputRef inputRef)
            {
                return windowKey && depth == 0 && SourcePushdown.isText(inputRef.getType()) ? TextComparisons.bytes(rexBuilder, inputRef) : inputRef;
            }

            @Override
            public RexNode visitCall(RexCall call)
            {
                if (windowKey && depth == 0 && SourcePushdown.isText(call.getType())) {
                    depth++;
                    try {
                        return TextComparisons.bytes(rexBuilder, visitCall(call));
                    }
                    finally {
                        depth--;
                    }
                }
                if (windowKey) {
                    depth++;
                    try {
                        return visitCallOutsideWindowKeys(call);
                    }
                    finally {
                        depth--;
                    }
                }
                return visitCallOutsideWindowKeys(call);
            }

            private RexNode visitCallOutsideWindowKeys(RexCall call)
            {
                if (call.getKind() == SqlKind.CAST && dev.sekisho.planner.types.PostgresTypeSystem.isUnboundedNumeric(call.getType())
                        && org.apache.calcite.sql.type.SqlTypeUtil.isExactNumeric(call.getOperands().get(0).getType())) {
                    // numeric without a modifier keeps the exact value's scale: 12.50 stays 12.50, an integer has none
                    RexNode operand = call.getOperands().get(0).accept(this);
                    int scale = Math.max(0, operand.getType().getScale() == org.apache.calcite.rel.type.RelDataType.SCALE_NOT_SPECIFIED ? 0
                            : operand.getType().getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL ? operand.getType().getScale() : 0);
                    org.apache.calcite.rel.type.RelDataType scaled = rexBuilder.getTypeFactory().createTypeWithNullability(rexBuilder.getTypeFactory()
                            .createSqlType(org.apache.calcite.sql.type.SqlTypeName.DECIMAL, call.getType().getPrecision(), scale), call.getType().isNullable());
                    return rexBuilder.makeAbstractCast(scaled, operand, false);
                }
                if (call.getKind() == SqlKind.SEARCH && call.getOperands().stream().allMatch(operand -> SourcePushdown.isText(operand.getType()))) {
                    // IN lists and ranges of text: as comparisons, so that each compares bytes
                    return RexUtil.expandSearch(rexBuilder, null, call).accept(this);
                }
                RexNode visited = super.visitCall(call);
                if (visited.getKind() == SqlKind.AND || visited.getKind() == SqlKind.OR) {
                    // the exact comparisons are conjunctions of their own: a condition stays flat
                    visited = RexUtil.flatten(rexBuilder, visited);
                }
                if (visited instanceof RexCall comparison && comparison.getKind().belongsTo(SqlKind.BINARY_COMPARISON)) {
                    if (comparison.getOperands().size() == 2 && comparison.getOperands().stream().allMatch(operand -> SourcePushdown.isText(operand.getType()))) {
                        return TextComparisons.exact(rexBuilder, comparison);
                    }
                    return withoutIntegerWidening(rexBuilder, comparison);
                }
                if (visited instanceof RexCall like && like.getKind() == SqlKind.LIKE && like.getOperator() instanceof org.apache.calcite.sql.fun.SqlLikeOperator operator
                        && operator.isCaseSensitive()) {
                    return TextComparisons.exactLike(rexBuilder, like);
                }
                if (visited instanceof RexCall result && result.getKind() == SqlKind.DIVIDE
                        && result.getOperands().stream().allMatch(operand -> SekishoMysqlDialect.isExactInteger(operand.getType().getSqlTypeName()))) {
                    return rexBuilder.makeCall(result.getType(), SekishoMysqlDialect.INTEGER_DIVIDE, result.getOperands());
                }
                return visited;
            }

            @Override
            public RexNode visitSubQuery(RexSubQuery subQuery)
            {
                RexSubQuery visited = (RexSubQuery) super.visitSubQuery(subQuery);
                RelNode inner = visited.rel.accept(relShuttle[0]);
                return inner == visited.rel ? visited : visited.clone(inner);
            }
        };
        relShuttle[0] = new RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                return super.visit(other).accept(rexShuttle);
            }
        };
        return rel.accept(relShuttle[0]);
    }

    /**
     * {@code int_column = $1::int8} makes Calcite widen the column ({@code CAST(id AS BIGINT) = ?}),
     * which MySQL cannot answer from an index. MySQL compares integers of any width by value, so
     * the widening cast is dropped from comparison operands.
     */
    private static RexNode withoutIntegerWidening(RexBuilder rexBuilder, RexCall comparison)
    {
        boolean changed = false;
        List<RexNode> operands = new java.util.ArrayList<>(comparison.getOperands());
        for (int i = 0; i < operands.size(); i++) {
            RexNode operand = operands.get(i);
            if (operand.getKind() == SqlKind.CAST
                    && SekishoMysqlDialect.isExactInteger(operand.getType().getSqlTypeName())
                    && SekishoMysqlDialect.isExactInteger(((RexCall) operand).getOperands().get(0).getType().getSqlTypeName())) {
                operands.set(i, ((RexCall) operand).getOperands().get(0));
                changed = true;
            }
        }
        return changed ? rexBuilder.makeCall(comparison.getOperator(), operands) : comparison;
    }

    /** Names tables as the source spells them rather than by their exposed, lower-case names. */
    private static final class Converter
            extends RelToSqlConverter
    {
        /** Whether a scan reads a view, or a table whose kind is not known. */
        private boolean readsView;

        Converter(SqlDialect dialect)
        {
            super(dialect);
        }

        @Override
        protected Result dispatch(RelNode rel)
        {
            if (rel instanceof TableScan scan) {
                return scan(scan);
            }
            return super.dispatch(rel);
        }

        private Result scan(TableScan scan)
        {
            // a source's table unwraps to its metadata
            TableMetadata table = scan.getTable().unwrap(TableMetadata.class);
            if (table == null) {
                readsView = true;
                return visit(scan);
            }
            readsView |= table.view();
            SqlIdentifier identifier = new SqlIdentifier(List.of(table.schema(), table.name()), SqlParserPos.ZERO);
            return result(identifier, ImmutableList.of(Clause.FROM), scan, null);
        }
    }
}
