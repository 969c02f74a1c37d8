package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code count(DISTINCT (a, b))} over a row value, as PostgreSQL counts it: every distinct row
 * value, those with null fields too (a row constructor is never null as a whole, and DISTINCT
 * takes two nulls as equal). SQL's {@code count(DISTINCT a, b)}, which the sources and the gateway
 * have, skips a row where any of them is null; so the count is a sum over which fields are null:
 * {@code count(DISTINCT a, b)} + {@code count(DISTINCT CASE WHEN a IS NULL THEN b END)} + ... +
 * {@code count(DISTINCT CASE WHEN a IS NULL AND b IS NULL THEN 1 END)}, 2^n counts for n fields.
 */
final class DistinctRows
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;
    /** 16 counts: a wider row value is refused rather than spelled out. */
    private static final int MAX_FIELDS = 4;

    private DistinctRows() {}

    /** The rewritten form of {@code count} (a count call), or null when it is not {@code count(DISTINCT row value)}. */
    static SqlNode rewrite(SqlCall count)
    {
        if (count.getFunctionQuantifier() == null || !"DISTINCT".equalsIgnoreCase(count.getFunctionQuantifier().toValue()) || count.operandCount() != 1
                || count.operand(0).getKind() != SqlKind.ROW || !(count.operand(0) instanceof SqlCall row)) {
            return null;
        }
        List<SqlNode> fields = row.getOperandList();
        if (fields.size() > MAX_FIELDS) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "count(DISTINCT (...)) over a row value of more than " + MAX_FIELDS + " fields is not supported",
                    "Count the distinct rows of a sub-query instead: SELECT count(*) FROM (SELECT DISTINCT a, b, ... FROM t) d.", null);
        }
        SqlNode sum = null;
        for (int nulls = 0; nulls < 1 << fields.size(); nulls++) {
            List<SqlNode> conditions = new ArrayList<>();
            List<SqlNode> values = new ArrayList<>();
            for (int i = 0; i < fields.size(); i++) {
                if ((nulls & 1 << i) != 0) {
                    conditions.add(SqlStdOperatorTable.IS_NULL.createCall(POS, fields.get(i)));
                }
                else {
                    values.add(fields.get(i));
                }
            }
            if (values.isEmpty()) {
                values.add(SqlLiteral.createExactNumeric("1", POS));
            }
            List<SqlNode> counted = conditions.isEmpty() ? values : values.stream().map(value -> when(and(conditions), value)).toList();
            SqlNode term = count.getOperator().createCall(count.getFunctionQuantifier(), POS, counted.toArray(SqlNode[]::new));
            sum = sum == null ? term : SqlStdOperatorTable.PLUS.createCall(POS, sum, term);
        }
        return sum;
    }

    private static SqlNode and(List<SqlNode> conditions)
    {
        SqlNode all = conditions.get(0);
        for (int i = 1; i < conditions.size(); i++) {
            all = SqlStdOperatorTable.AND.createCall(POS, all, conditions.get(i));
        }
        return all;
    }

    private static SqlNode when(SqlNode condition, SqlNode value)
    {
        return new SqlCase(POS, null, SqlNodeList.of(condition), SqlNodeList.of(value), SqlLiteral.createNull(POS));
    }
}
