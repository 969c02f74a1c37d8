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

import java.util.Locale;

/**
 * PostgreSQL's ordered-set aggregates ({@code f(...) WITHIN GROUP (ORDER BY x)}), which the
 * gateway's engine does not have, as aggregates it has: the group's values collected in order by
 * {@code array_agg} and interpolated from there ({@code percentile_cont}). Null for the ones not
 * supported yet ({@code percentile_disc} and {@code mode} need the values in order, and Calcite's
 * {@code array_agg} takes no WITHIN GROUP): an error about the original call follows.
 */
final class OrderedSetAggregates
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;

    private OrderedSetAggregates() {}

    /** The rewritten form of {@code withinGroup} (a WITHIN_GROUP call), or null. */
    static SqlNode rewrite(SqlCall withinGroup)
    {
        if (withinGroup.operandCount() != 2 || !(withinGroup.operand(0) instanceof SqlCall aggregate) || !(aggregate.getOperator() instanceof SqlFunction function)
                || !(withinGroup.operand(1) instanceof SqlNodeList order) || order.size() != 1 || aggregate.operandCount() != 1) {
            return null;
        }
        String name = function.getSqlIdentifier() != null ? function.getSqlIdentifier().names.get(function.getSqlIdentifier().names.size() - 1) : function.getName();
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "percentile_cont" -> percentileCont(aggregate.operand(0), order.get(0));
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
        boolean descending = orderItem.getKind() == SqlKind.DESCENDING;
        SqlNode value = sortedValue(orderItem);
        SqlDataTypeSpec doubleType = new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS);
        return call("pg_percentile_cont", SqlStdOperatorTable.CAST.createCall(POS, fraction, doubleType),
                SqlLibraryOperators.ARRAY_AGG.createCall(POS, SqlStdOperatorTable.CAST.createCall(POS, value, doubleType)),
                SqlLiteral.createBoolean(descending, POS));
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
