package dev.sekisho.planner.pg.syntax;

import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;

/**
 * Window function calls as PostgreSQL means them where Calcite reads them otherwise: an aggregate
 * with {@code FILTER (WHERE c)} used as a window function, which Calcite refuses ("OVER must be
 * applied to aggregate function"), as the same aggregate over {@code CASE WHEN c THEN x END}
 * (PostgreSQL's FILTER feeds the aggregate only the rows where {@code c} is true, and every
 * aggregate skips the nulls the CASE gives the others; {@code count(*)} counts
 * {@code CASE WHEN c THEN 1 END}); {@code ntile}, an {@code integer} in PostgreSQL where Calcite's
 * is a {@code bigint}.
 */
final class WindowCalls
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;

    private WindowCalls() {}

    /** The rewritten form of {@code over} (an OVER call), or null when it needs none. */
    static SqlNode rewrite(SqlCall over)
    {
        if (over.operandCount() == 2 && over.operand(0) instanceof SqlCall function && function.getOperator().getName().equalsIgnoreCase("ntile")) {
            return SqlStdOperatorTable.CAST.createCall(POS, over, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.INTEGER, POS), POS));
        }
        return filtered(over);
    }

    private static SqlNode filtered(SqlCall over)
    {
        if (over.operandCount() != 2 || over.operand(0).getKind() != SqlKind.FILTER || !(over.operand(0) instanceof SqlCall filter)
                || filter.operandCount() != 2 || !(filter.operand(0) instanceof SqlCall aggregate)) {
            return null;
        }
        SqlNode condition = filter.operand(1);
        List<SqlNode> operands = new ArrayList<>();
        for (SqlNode operand : aggregate.getOperandList()) {
            boolean star = operand instanceof SqlIdentifier identifier && identifier.isStar();
            operands.add(when(condition, star ? SqlLiteral.createExactNumeric("1", POS) : operand));
        }
        if (operands.isEmpty()) {
            // count() of no arguments is count(*)
            return null;
        }
        SqlCall filtered = aggregate.getOperator().createCall(aggregate.getFunctionQuantifier(), aggregate.getParserPosition(), operands);
        return SqlStdOperatorTable.OVER.createCall(over.getParserPosition(), filtered, over.operand(1));
    }

    private static SqlNode when(SqlNode condition, SqlNode value)
    {
        return new SqlCase(POS, null, SqlNodeList.of(condition), SqlNodeList.of(value), SqlLiteral.createNull(POS));
    }
}
