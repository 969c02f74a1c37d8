package dev.sekisho.planner.pg.syntax;

import org.apache.calcite.sql.SqlBinaryOperator;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlPrefixOperator;
import org.apache.calcite.sql.fun.SqlBetweenOperator;
import org.apache.calcite.sql.fun.SqlLikeOperator;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Turns PostgreSQL's {@code x::type} into standard CASTs with PostgreSQL's precedence. Babel's
 * parser applies {@code ::} to everything parsed before it in the same expression, so that
 * {@code a = b::int} arrives as {@code (a = b)::int} and {@code 7 / 2::numeric} as
 * {@code (7 / 2)::numeric}; the cast is moved down onto the operand written right before it,
 * unless that operand was parenthesized in the text. A negative literal's cast is the negated cast
 * ({@code -2.5::int} is {@code -(2.5::int)}); and {@code ceiling(x)}, which the parser reads as
 * {@code ceil}, keeps its name as a select item.
 */
public final class InfixCasts
{
    private static final int CAST_PRECEDENCE = 94;

    private final String sql;
    private final int[] lineStarts;

    private InfixCasts(String sql)
    {
        this.sql = requireNonNull(sql, "sql is null");
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < sql.length(); i++) {
            if (sql.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Rewrites the casts of a statement parsed from {@code sql}. */
    public static SqlNode rewrite(SqlNode node, String sql)
    {
        InfixCasts casts = new InfixCasts(sql);
        SqlNode result = node.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlCall call)
            {
                SqlNode visited = super.visit(call);
                if (visited instanceof SqlSelect select) {
                    casts.nameCeiling(select);
                }
                if (visited instanceof SqlCall cast && cast.getKind() == SqlKind.CAST && cast.getOperator() != SqlStdOperatorTable.CAST
                        && cast.operandCount() == 2 && cast.operand(1) instanceof SqlDataTypeSpec type) {
                    return casts.place(cast.operand(0), type, cast.getParserPosition());
                }
                return visited;
            }
        });
        return result == null ? node : result;
    }

    private SqlNode place(SqlNode left, SqlDataTypeSpec type, SqlParserPos position)
    {
        int typeStart = offset(type.getParserPosition());
        int parenStart = -1;
        int colons = typeStart < 0 ? -1 : sql.lastIndexOf("::", typeStart);
        if (colons > 0) {
            int before = colons - 1;
            while (before >= 0 && Character.isWhitespace(sql.charAt(before))) {
                before--;
            }
            if (before >= 0 && sql.charAt(before) == ')') {
                parenStart = matchingOpen(before);
            }
        }
        return place(left, type, position, parenStart);
    }

    private SqlNode place(SqlNode node, SqlDataTypeSpec type, SqlParserPos position, int parenStart)
    {
        if (node instanceof SqlCall call && bindsLooser(call.getOperator()) && call.operandCount() > 0
                && (parenStart < 0 || start(call) < parenStart)) {
            List<SqlNode> operands = new ArrayList<>(call.getOperandList());
            int last = operands.size() - 1;
            operands.set(last, place(operands.get(last), type, position, parenStart));
            return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(), operands);
        }
        if (node instanceof SqlNumericLiteral literal && literal.signum() < 0 && (parenStart < 0 || start(node) < parenStart) && writtenWithMinus(node)) {
            // -2.5::int is -(2.5::int) in PostgreSQL (the cast binds tighter), an operator named ?column?
            SqlNode positive = SqlLiteral.createExactNumeric(literal.bigDecimalValue().negate().toPlainString(), literal.getParserPosition());
            return SqlStdOperatorTable.UNARY_MINUS.createCall(position, SqlStdOperatorTable.CAST.createCall(position, positive, type));
        }
        return SqlStdOperatorTable.CAST.createCall(position, node, type);
    }

    /** Whether the text of a literal starts with its minus sign (Calcite's parser folds it into the literal). */
    private boolean writtenWithMinus(SqlNode literal)
    {
        int offset = offset(literal.getParserPosition());
        return offset >= 0 && offset < sql.length() && sql.charAt(offset) == '-';
    }

    /**
     * Names an unaliased select item written {@code ceiling(x)} (or a cast of one) {@code ceiling}, as
     * PostgreSQL does: Calcite's parser reads {@code ceiling} as its {@code ceil}.
     */
    private void nameCeiling(SqlSelect select)
    {
        SqlNodeList items = select.getSelectList();
        if (items == null) {
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            SqlNode item = items.get(i);
            SqlNode named = item;
            while (named instanceof SqlCall cast && cast.getKind() == SqlKind.CAST) {
                named = cast.operand(0);
            }
            int offset = named.getKind() == SqlKind.CEIL ? offset(named.getParserPosition()) : -1;
            if (offset >= 0 && sql.regionMatches(true, offset, "ceiling", 0, "ceiling".length())) {
                items.set(i, SqlStdOperatorTable.AS.createCall(item.getParserPosition(), item, new SqlIdentifier("ceiling", item.getParserPosition())));
            }
        }
    }

    private static boolean bindsLooser(SqlOperator operator)
    {
        boolean infix = operator instanceof SqlBinaryOperator || operator instanceof SqlPrefixOperator
                || operator instanceof SqlLikeOperator || operator instanceof SqlBetweenOperator;
        return infix && operator.getKind() != SqlKind.CAST && operator.getLeftPrec() < CAST_PRECEDENCE && operator.getRightPrec() < CAST_PRECEDENCE;
    }

    /** The offset of the leftmost token of a node, or {@code Integer.MAX_VALUE} if unknown. */
    private int start(SqlNode node)
    {
        int start = Integer.MAX_VALUE;
        if (node instanceof SqlCall call) {
            for (SqlNode operand : call.getOperandList()) {
                if (operand != null) {
                    start = Math.min(start, start(operand));
                }
            }
        }
        int own = offset(node.getParserPosition());
        return own >= 0 ? Math.min(start, own) : start;
    }

    private int offset(SqlParserPos position)
    {
        if (position == null || position.getLineNum() <= 0 || position.getLineNum() > lineStarts.length || position.getColumnNum() <= 0) {
            return -1;
        }
        return lineStarts[position.getLineNum() - 1] + position.getColumnNum() - 1;
    }

    private int matchingOpen(int close)
    {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int open = sql.lastIndexOf(c, i - 1);
                if (open < 0) {
                    return -1;
                }
                i = open;
            }
            else if (c == ')') {
                depth++;
            }
            else if (c == '(') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
