package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.schema.impl.ScalarFunctionImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The final step of PostgreSQL's ordered-set aggregates {@code percentile_disc} and {@code mode}
 * over the group's values (collected by {@code array_agg}, see the rewriter's
 * {@code OrderedSetAggregates}): both return a value of the group, so their type is the array's
 * element type, which a reflective function cannot say; hence an operator table of their own.
 * The values are held in the gateway like any {@code array_agg}'s.
 */
@SuppressWarnings("unused")
public final class PgOrderedSetFunctions
{
    private static final SqlOperatorTable TABLE = SqlOperatorTables.of(
            function("pg_percentile_disc", "percentileDisc", 1, OperandTypes.family(SqlTypeFamily.NUMERIC, SqlTypeFamily.ARRAY, SqlTypeFamily.BOOLEAN)),
            function("pg_mode", "mode", 0, OperandTypes.family(SqlTypeFamily.ARRAY, SqlTypeFamily.BOOLEAN)),
            jsonAgg());

    private PgOrderedSetFunctions() {}

    public static SqlOperatorTable operatorTable()
    {
        return TABLE;
    }

    /**
     * {@code percentile_disc(f) WITHIN GROUP (ORDER BY x)}: the first value, in order, whose position
     * among the sorted non-null values is at least fraction f of them ({@code ceil(f * n)}, the first
     * for 0); null without any; 22003 for f outside 0 to 1, as PostgreSQL.
     */
    public static Object percentileDisc(Double fraction, Object values, Boolean descending)
    {
        if (fraction == null || !(values instanceof List<?> list)) {
            return null;
        }
        if (fraction < 0 || fraction > 1 || fraction.isNaN()) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "percentile value " + fraction + " is not between 0 and 1", null, null);
        }
        List<Object> sorted = sorted(list, descending);
        if (sorted.isEmpty()) {
            return null;
        }
        long position = (long) Math.ceil(fraction * sorted.size());
        return sorted.get((int) Math.max(position, 1) - 1);
    }

    /** {@code mode() WITHIN GROUP (ORDER BY x)}: the most frequent non-null value, the first in order among equally frequent ones. */
    public static Object mode(Object values, Boolean descending)
    {
        if (!(values instanceof List<?> list)) {
            return null;
        }
        Object mode = null;
        long modeCount = 0;
        Object current = null;
        long count = 0;
        for (Object value : sorted(list, descending)) {
            if (current != null && compare(current, value) == 0) {
                count++;
            }
            else {
                current = value;
                count = 1;
            }
            if (count > modeCount) {
                mode = current;
                modeCount = count;
            }
        }
        return mode;
    }

    private static List<Object> sorted(List<?> values, Boolean descending)
    {
        List<Object> sorted = new ArrayList<>();
        values.stream().filter(Objects::nonNull).forEach(sorted::add);
        Comparator<Object> order = PgOrderedSetFunctions::compare;
        sorted.sort(Boolean.TRUE.equals(descending) ? order.reversed() : order);
        return sorted;
    }

    /** PostgreSQL's order: text by code point (the C collation's byte order in UTF-8), the rest by their natural order. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object left, Object right)
    {
        if (left instanceof String a && right instanceof String b) {
            return compareCodePoints(a, b);
        }
        if (left instanceof Number a && right instanceof Number b && left.getClass() != right.getClass()) {
            return new java.math.BigDecimal(a.toString()).compareTo(new java.math.BigDecimal(b.toString()));
        }
        return ((Comparable) left).compareTo(right);
    }

    private static int compareCodePoints(String a, String b)
    {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * {@code json_agg(x)} over the group's values in order: a JSON array of them, nulls as
     * {@code null}, text quoted and escaped as PostgreSQL's {@code escape_json}, numbers and booleans
     * as written; null for no rows. Typed {@code json} by name ({@code PgResultTypes}).
     */
    public static String jsonAgg(Object values)
    {
        if (!(values instanceof List<?> list) || list.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder("[");
        for (Object wrapped : list) {
            // each value comes in an array of one (see the rewriter), so that array_agg keeps the nulls
            Object value = wrapped instanceof List<?> one && one.size() == 1 ? one.get(0) : wrapped;
            if (out.length() > 1) {
                out.append(", ");
            }
            if (value == null) {
                out.append("null");
            }
            else if (value instanceof String text) {
                quote(out, text);
            }
            else if (value instanceof Double || value instanceof Float) {
                double number = ((Number) value).doubleValue();
                out.append(number == Math.rint(number) && Math.abs(number) < 1e15 ? Long.toString((long) number) : Double.toString(number));
            }
            else if (value instanceof java.math.BigDecimal decimal) {
                out.append(decimal.toPlainString());
            }
            else {
                out.append(value);
            }
        }
        return out.append(']').toString();
    }

    private static void quote(StringBuilder out, String text)
    {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** {@code pg_json_agg(array)} of text, numbers or booleans (dates and the rest would print as the engine holds them: refused). */
    private static SqlUserDefinedFunction jsonAgg()
    {
        org.apache.calcite.sql.type.SqlOperandTypeChecker operands = new org.apache.calcite.sql.type.SqlSingleOperandTypeChecker()
        {
            @Override
            public boolean checkSingleOperandType(org.apache.calcite.sql.SqlCallBinding binding, org.apache.calcite.sql.SqlNode node, int ordinal,
                    boolean throwOnFailure)
            {
                RelDataType element = binding.getOperandType(0).getComponentType();
                if (element != null && element.getComponentType() != null) {
                    element = element.getComponentType();
                }
                if (element != null && (org.apache.calcite.sql.type.SqlTypeUtil.isCharacter(element) || org.apache.calcite.sql.type.SqlTypeUtil.isNumeric(element)
                        || org.apache.calcite.sql.type.SqlTypeUtil.isBoolean(element) || element.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.NULL)) {
                    return true;
                }
                throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "json_agg over values of type " + (element == null ? "?" : element.getSqlTypeName())
                        + " is not supported yet (text, numbers and booleans are)", "Cast the values to text first: json_agg(x::text).", null);
            }

            @Override
            public String getAllowedSignatures(org.apache.calcite.sql.SqlOperator op, String opName)
            {
                return opName + "(ARRAY)";
            }
        };
        java.lang.reflect.Method implementation = java.util.Arrays.stream(PgOrderedSetFunctions.class.getMethods())
                .filter(candidate -> candidate.getName().equals("jsonAgg"))
                .findFirst()
                .orElseThrow();
        return new SqlUserDefinedFunction(new SqlIdentifier("pg_json_agg", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                binding -> binding.getTypeFactory().createTypeWithNullability(
                        binding.getTypeFactory().createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR), true),
                null, metadata(operands), ScalarFunctionImpl.create(implementation));
    }

    private static SqlUserDefinedFunction function(String name, String method, int arrayOperand, org.apache.calcite.sql.type.SqlOperandTypeChecker operands)
    {
        java.lang.reflect.Method implementation = java.util.Arrays.stream(PgOrderedSetFunctions.class.getMethods())
                .filter(candidate -> candidate.getName().equals(method))
                .findFirst()
                .orElseThrow();
        return new SqlUserDefinedFunction(new SqlIdentifier(name, SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                binding -> elementType(binding, arrayOperand), null, metadata(operands), ScalarFunctionImpl.create(implementation));
    }

    /** The operands' families, checked after the lookup by name (not fixed parameter types: any array goes). */
    private static org.apache.calcite.sql.type.SqlOperandMetadata metadata(org.apache.calcite.sql.type.SqlOperandTypeChecker operands)
    {
        return new org.apache.calcite.sql.type.SqlOperandMetadata()
        {
            @Override
            public List<RelDataType> paramTypes(org.apache.calcite.rel.type.RelDataTypeFactory typeFactory)
            {
                throw new UnsupportedOperationException("the operands have no fixed types");
            }

            @Override
            public List<String> paramNames()
            {
                return List.of();
            }

            @Override
            public boolean checkOperandTypes(org.apache.calcite.sql.SqlCallBinding callBinding, boolean throwOnFailure)
            {
                return operands.checkOperandTypes(callBinding, throwOnFailure);
            }

            @Override
            public org.apache.calcite.sql.SqlOperandCountRange getOperandCountRange()
            {
                return operands.getOperandCountRange();
            }

            @Override
            public String getAllowedSignatures(org.apache.calcite.sql.SqlOperator op, String opName)
            {
                return operands.getAllowedSignatures(op, opName);
            }
        };
    }

    private static RelDataType elementType(SqlOperatorBinding binding, int arrayOperand)
    {
        RelDataType element = Objects.requireNonNull(binding.getOperandType(arrayOperand).getComponentType(), "an array's element type");
        return binding.getTypeFactory().createTypeWithNullability(element, true);
    }
}
