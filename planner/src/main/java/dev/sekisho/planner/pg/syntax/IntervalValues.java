package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.pg.functions.PgInterval;
import dev.sekisho.planner.pg.functions.PgIntervalFunctions;
import org.apache.calcite.avatica.util.TimeUnit;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlIntervalQualifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.List;
import java.util.Locale;

/**
 * Interval literals where PostgreSQL's interval value is needed become {@link PgInterval} values
 * ({@code pg_interval('1 day 02:00:00')}, with {@code *}, {@code /}, {@code +}, {@code -} over them
 * as the gateway's interval functions): as result columns, compared, as function arguments, in
 * {@code CASE} and {@code VALUES}. Calcite's interval literal holds one count of milliseconds or
 * months, which loses what PostgreSQL keeps apart ({@code 1 day} is not {@code 24:00:00}).
 *
 * <p>An interval expression built only from literals that is an operand of {@code +} or {@code -}
 * with something else ({@code ordered_at - INTERVAL '1 day'}, {@code d + n * INTERVAL '1 day'})
 * stays a Calcite interval here, so date and timestamp arithmetic is still pushed down; the
 * validator decides by the other operand's type (an interval computed in the gateway takes it as
 * a {@link PgInterval} too). Window frames keep their literals.
 */
public final class IntervalValues
{
    private static final SqlParserPos POS = SqlParserPos.ZERO;
    private static final List<TimeUnit> YEAR_MONTH = List.of(TimeUnit.YEAR, TimeUnit.MONTH);
    private static final List<TimeUnit> DAY_TIME = List.of(TimeUnit.DAY, TimeUnit.HOUR, TimeUnit.MINUTE, TimeUnit.SECOND);

    private IntervalValues() {}

    public static SqlNode rewrite(SqlNode node)
    {
        if (isLiteralInterval(node)) {
            return toValue(node);
        }
        walk(node);
        return node;
    }

    /**
     * Whether {@code node} is an interval built from literals alone: an interval literal, its
     * negation, its product with or quotient by something else, or the sum or difference of two such.
     */
    public static boolean isLiteralInterval(SqlNode node)
    {
        if (node instanceof SqlIntervalLiteral) {
            return true;
        }
        if (!(node instanceof SqlCall call) || call instanceof SqlSelect) {
            return false;
        }
        return switch (call.getKind()) {
            case MINUS_PREFIX, PLUS_PREFIX -> isLiteralInterval(call.operand(0));
            case TIMES -> call.operandCount() == 2 && isLiteralInterval(call.operand(0)) != isLiteralInterval(call.operand(1));
            case DIVIDE -> call.operandCount() == 2 && isLiteralInterval(call.operand(0)) && !isLiteralInterval(call.operand(1));
            case PLUS, MINUS -> call.operandCount() == 2 && isLiteralInterval(call.operand(0)) && isLiteralInterval(call.operand(1));
            default -> false;
        };
    }

    /** A literal interval expression ({@link #isLiteralInterval}) as the same expression over {@link PgInterval} values. */
    public static SqlNode toValue(SqlNode node)
    {
        if (node instanceof SqlIntervalLiteral literal) {
            return call(PgIntervalFunctions.INTERVAL, SqlLiteral.createCharString(valueOf(literal).toString(), POS));
        }
        SqlCall call = (SqlCall) node;
        return switch (call.getKind()) {
            case MINUS_PREFIX -> call("pg_interval_neg", toValue(call.operand(0)));
            case PLUS_PREFIX -> toValue(call.operand(0));
            case TIMES -> isLiteralInterval(call.operand(0))
                    ? call("pg_interval_mul", toValue(call.operand(0)), asDouble(call.operand(1)))
                    : call("pg_interval_mul", toValue(call.operand(1)), asDouble(call.operand(0)));
            case DIVIDE -> call("pg_interval_div", toValue(call.operand(0)), asDouble(call.operand(1)));
            case PLUS -> call("pg_interval_plus", toValue(call.operand(0)), toValue(call.operand(1)));
            case MINUS -> call("pg_interval_minus", toValue(call.operand(0)), toValue(call.operand(1)));
            default -> throw new IllegalArgumentException("not an interval expression: " + node);
        };
    }

    /**
     * The PostgreSQL interval a Calcite interval literal stands for: its fields as written
     * ({@code '1 2' DAY TO HOUR} is 1 day 02:00:00, {@code '27' HOUR} is 27:00:00).
     */
    static PgInterval valueOf(SqlIntervalLiteral literal)
    {
        SqlIntervalLiteral.IntervalValue value = literal.getValueAs(SqlIntervalLiteral.IntervalValue.class);
        SqlIntervalQualifier qualifier = value.getIntervalQualifier();
        String text = value.getIntervalLiteral().strip();
        boolean negative = value.getSign() < 0;
        if (text.startsWith("-")) {
            negative = !negative;
            text = text.substring(1).strip();
        }
        else if (text.startsWith("+")) {
            text = text.substring(1).strip();
        }
        List<TimeUnit> units = qualifier.isYearMonth() ? YEAR_MONTH : DAY_TIME;
        TimeUnit start = qualifier.getStartUnit() == TimeUnit.WEEK ? TimeUnit.DAY : qualifier.getStartUnit();
        int first = units.indexOf(start);
        String[] fields = text.split(qualifier.isYearMonth() ? "-" : "[ :]");
        if (first < 0 || first + fields.length > units.size()) {
            return PgInterval.parse((negative ? "-" : "") + text + " " + start.name().toLowerCase(Locale.ROOT));
        }
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            long weeks = qualifier.getStartUnit() == TimeUnit.WEEK ? 7 : 1;
            String amount = weeks == 7 ? new java.math.BigDecimal(fields[i]).multiply(java.math.BigDecimal.valueOf(7)).toPlainString() : fields[i];
            input.append(negative ? "-" : "").append(amount).append(' ').append(units.get(first + i).name().toLowerCase(Locale.ROOT)).append(' ');
        }
        return PgInterval.parse(input.toString());
    }

    private static void walk(SqlNode node)
    {
        if (node instanceof SqlNodeList list) {
            for (int i = 0; i < list.size(); i++) {
                SqlNode item = list.get(i);
                if (isLiteralInterval(item)) {
                    list.set(i, toValue(item));
                }
                else {
                    walk(item);
                }
            }
            return;
        }
        if (!(node instanceof SqlCall call) || call instanceof SqlWindow || isLiteralInterval(call)) {
            return;
        }
        if (call instanceof SqlSelect select && select.getSelectList() != null) {
            SqlNodeList items = select.getSelectList();
            for (int i = 0; i < items.size(); i++) {
                SqlNode item = items.get(i);
                if (isLiteralInterval(item)) {
                    // the value keeps the name PostgreSQL gives the expression as written
                    items.set(i, SqlStdOperatorTable.AS.createCall(POS, toValue(item), new SqlIdentifier(PgColumnNames.of(item), POS)));
                }
            }
        }
        boolean arithmetic = (call.getKind() == SqlKind.PLUS || call.getKind() == SqlKind.MINUS) && call.operandCount() == 2;
        List<SqlNode> operands = call.getOperandList();
        for (int i = 0; i < operands.size(); i++) {
            SqlNode operand = operands.get(i);
            if (operand == null) {
                continue;
            }
            if (!arithmetic && isLiteralInterval(operand)) {
                try {
                    call.setOperand(i, toValue(operand));
                }
                catch (UnsupportedOperationException e) {
                    // a clause that cannot take another node stays as written
                }
            }
            else {
                walk(operand);
            }
        }
    }

    private static SqlNode asDouble(SqlNode factor)
    {
        return SqlStdOperatorTable.CAST.createCall(POS, factor, new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, POS), POS));
    }

    private static SqlNode call(String function, SqlNode... operands)
    {
        SqlUnresolvedFunction operator = new SqlUnresolvedFunction(new SqlIdentifier(function, POS), null, null, null, null,
                SqlFunctionCategory.USER_DEFINED_FUNCTION);
        return operator.createCall(POS, operands);
    }
}
