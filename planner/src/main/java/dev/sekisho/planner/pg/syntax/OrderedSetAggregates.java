package dev.sekisho.planner.pg.syntax;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * PostgreSQL's ordered-set aggregates ({@code f(...) WITHIN GROUP (ORDER BY x)}), which the
 * gateway's engine does not have, as aggregates it has: the group's values collected in order by
 * {@code array_agg} and interpolated from there ({@code percentile_cont}) or picked from there in
 * order ({@code percentile_disc}, {@code mode}). Null for the ones not supported yet (the
 * hypothetical-set aggregates, several sort keys): an error about the original call follows.
 */
final class OrderedSetAggregates
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;

    private OrderedSetAggregates() {}

    /** The rewritten form of {@code withinGroup} (a WITHIN_GROUP call), or null. */
    static SqlNode rewrite(SqlCall withinGroup)
    {
        if (withinGroup.operandCount() != 2 || !(withinGroup.operand(0) instanceof SqlCall aggregate) || !(aggregate.getOperator() instanceof SqlFunction function)
                || !(withinGroup.operand(1) instanceof SqlNodeList order)) {
            return null;
        }
        String name = function.getSqlIdentifier() != null ? function.getSqlIdentifier().names.get(function.getSqlIdentifier().names.size() - 1) : function.getName();
        if ("pg_json_agg".equalsIgnoreCase(name) && aggregate.operandCount() == 1 && aggregate.operand(0) instanceof SqlCall values
                && values.getKind() == SqlKind.ARRAY_AGG && values.operandCount() == 1) {
            // json_agg(x ORDER BY y), already json_agg(x) over array_agg(x): array_agg(x ORDER BY y), as Babel's parser writes it
            return call("pg_json_agg", values.getOperator().createCall(values.getFunctionQuantifier(), POS, values.operand(0), order));
        }
        if (order.size() != 1) {
            return null;
        }
        if (aggregate.operandCount() == 0 && "mode".equalsIgnoreCase(name)) {
            return valueOfGroup("pg_mode", order.get(0));
        }
        if (aggregate.operandCount() != 1) {
            return null;
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "percentile_cont" -> percentileCont(aggregate.operand(0), order.get(0));
            case "percentile_disc" -> valueOfGroup("pg_percentile_disc", order.get(0), SqlStdOperatorTable.CAST.createCall(POS, aggregate.operand(0),
                    new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS)));
            default -> null;
        };
    }

    /**
     * {@code percentile_cont(f) WITHIN GROUP (ORDER BY x [DESC])} (Tableau's median) as
     * {@code pg_percentile_cont(f, array_agg(x), descending)}: the group's values, interpolated as
     * PostgreSQL does.
     */
    private static SqlNode percentileCont(SqlNode fraction, SqlNode orderItem)
    {
        boolean descending = isDescending(orderItem);
        SqlNode value = sortedValue(orderItem);
        SqlDataTypeSpec doubleType = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS);
        return call("pg_percentile_cont", SqlStdOperatorTable.CAST.createCall(POS, fraction, doubleType),
                SqlLibraryOperators.ARRAY_AGG.createCall(POS, SqlStdOperatorTable.CAST.createCall(POS, value, doubleType)),
                SqlLiteral.createBoolean(descending, POS));
    }

    /**
     * An ordered-set aggregate that returns one of the group's values ({@code percentile_disc},
     * {@code mode}) as {@code function(arguments..., array_agg(x), descending)}, typed as x.
     */
    private static SqlNode valueOfGroup(String function, SqlNode orderItem, SqlNode... arguments)
    {
        List<SqlNode> operands = new ArrayList<>(List.of(arguments));
        operands.add(SqlLibraryOperators.ARRAY_AGG.createCall(POS, sortedValue(orderItem)));
        operands.add(SqlLiteral.createBoolean(isDescending(orderItem), POS));
        return call(function, operands.toArray(SqlNode[]::new));
    }

    /** {@code json_agg(x)} as {@code pg_json_agg(array_agg(ARRAY[x]))}: the group's values, as a JSON array. */
    static SqlNode jsonAgg(SqlNode value)
    {
        // json_agg keeps the nulls, which the engine's array_agg skips: each value in an array of one, never null
        return call("pg_json_agg", SqlLibraryOperators.ARRAY_AGG.createCall(POS, SqlStdOperatorTable.ARRAY_VALUE_CONSTRUCTOR.createCall(POS, value)));
    }

    /** Whether the sort key is DESC (nulls do not matter: the functions skip them). */
    private static boolean isDescending(SqlNode orderItem)
    {
        SqlNode item = orderItem;
        if (item.getKind() == SqlKind.NULLS_FIRST || item.getKind() == SqlKind.NULLS_LAST) {
            item = ((SqlCall) item).operand(0);
        }
        return item.getKind() == SqlKind.DESCENDING;
    }

    private static SqlNode sortedValue(SqlNode orderItem)
    {
        SqlNode value = orderItem.getKind() == SqlKind.DESCENDING ? ((SqlCall) orderItem).operand(0) : orderItem;
        if (value.getKind() == SqlKind.NULLS_FIRST || value.getKind() == SqlKind.NULLS_LAST) {
            value = ((SqlCall) value).operand(0);
        }
        if (value.getKind() == SqlKind.DESCENDING) {
            value = ((SqlCall) value).operand(0);
        }
        return value;
    }

    private static SqlNode call(String function, SqlNode... operands)
    {
        SqlUnresolvedFunction operator = new SqlUnresolvedFunction(new SqlIdentifier(function, POS), null, null, null, null,
                SqlFunctionCategory.USER_DEFINED_FUNCTION);
        return operator.createCall(POS, operands);
    }
}
