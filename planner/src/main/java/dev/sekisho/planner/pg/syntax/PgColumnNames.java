package dev.sekisho.planner.pg.syntax;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlSelect;

import java.util.Locale;

/**
 * The name PostgreSQL gives an unaliased select item (its parser's {@code FigureColname}): a
 * column reference's column, a function's name, a cast's operand name or else its type name, the
 * first column's name of a scalar sub-query, {@code exists}, {@code array}, {@code row}, a
 * {@code CASE}'s {@code ELSE} result name when that is a strong name (not just a type), else
 * {@code case}; {@code ?column?} for anything else.
 */
public final class PgColumnNames
{
    public static final String UNNAMED = "?column?";

    private PgColumnNames() {}

    /** PostgreSQL's name for the unaliased select item {@code node}. */
    public static String of(SqlNode node)
    {
        Named named = figure(node);
        return named == null ? UNNAMED : named.name();
    }

    /** @param strong whether the name is strong (a column or function) rather than a type's */
    private record Named(String name, boolean strong) {}

    private static Named figure(SqlNode node)
    {
        if (node == null) {
            return null;
        }
        if (node instanceof SqlIdentifier identifier) {
            return identifier.isStar() ? null : new Named(identifier.names.get(identifier.names.size() - 1), true);
        }
        if (node instanceof SqlSelect select) {
            // a scalar sub-query: the name of its single column
            SqlNodeList items = select.getSelectList();
            if (items == null || items.size() != 1) {
                return null;
            }
            SqlNode item = items.get(0);
            if (item.getKind() == SqlKind.AS) {
                SqlNode alias = ((SqlCall) item).operand(1);
                return new Named(alias instanceof SqlIdentifier identifier ? identifier.getSimple() : alias.toString(), true);
            }
            return figure(item);
        }
        if (node instanceof org.apache.calcite.sql.SqlIntervalLiteral) {
            // a typed literal is named by its type
            return new Named("interval", false);
        }
        if (!(node instanceof SqlCall call)) {
            return null;
        }
        switch (call.getKind()) {
            case CAST -> {
                if (call.operandCount() != 2) {
                    return null;
                }
                Named inner = figure(call.operand(0));
                if (inner != null && inner.strong()) {
                    return inner;
                }
                // a cast of a cast names the outer type ('2.5'::numeric::int is int4)
                return call.operand(1) instanceof SqlDataTypeSpec spec ? new Named(castTypeName(spec.getTypeName().names.get(spec.getTypeName().names.size() - 1)), false)
                        : null;
            }
            case CASE -> {
                // CASE value WHEN ... THEN ... ELSE result: operands are value, whens, thens, else
                SqlNode elseResult = call.operand(call.operandCount() - 1);
                Named result = figure(elseResult);
                return result != null && result.strong() ? result : new Named("case", true);
            }
            case EXISTS -> {
                return new Named("exists", true);
            }
            case ARRAY_QUERY_CONSTRUCTOR, ARRAY_VALUE_CONSTRUCTOR -> {
                return new Named("array", true);
            }
            case ROW -> {
                return new Named("row", true);
            }
            case DOT -> {
                // (record).field
                return call.operand(1) instanceof SqlIdentifier field ? new Named(field.getSimple(), true) : null;
            }
            case OVER, FILTER, WITHIN_GROUP -> {
                // a window function, an aggregate with FILTER or WITHIN GROUP: the function's name (row_number, count)
                return call.operandCount() > 0 ? figure(call.operand(0)) : null;
            }
            case MINUS_PREFIX, PLUS_PREFIX -> {
                // -2.5::int is -(2.5::int): an operator, unnamed
                return null;
            }
            case NULLIF -> {
                return new Named("nullif", true);
            }
            case COALESCE -> {
                return new Named("coalesce", true);
            }
            case TRIM -> {
                // trim(both|leading|trailing ...) is PostgreSQL's btrim, ltrim or rtrim
                String flag = call.operandCount() > 0 && call.operand(0) instanceof org.apache.calcite.sql.SqlLiteral literal ? String.valueOf(literal.getValue()) : "BOTH";
                return new Named(flag.equals("LEADING") ? "ltrim" : flag.equals("TRAILING") ? "rtrim" : "btrim", true);
            }
            default -> { }
        }
        if (call.getOperator().getName().equalsIgnoreCase("COLLATE") && call.operandCount() >= 1) {
            return figure(call.operand(0));
        }
        if (call.getOperator() instanceof SqlFunction function) {
            SqlIdentifier identifier = function.getSqlIdentifier();
            String name = identifier != null ? identifier.names.get(identifier.names.size() - 1) : function.getName();
            // Calcite's names for PostgreSQL's functions
            String lower = name.toLowerCase(Locale.ROOT);
            if ((lower.equals("pg_subscript") || lower.equals("pg_slice")) && call.operandCount() > 0) {
                // x[i] is named as x
                return figure(call.operand(0));
            }
            if (lower.startsWith("pg_op_")) {
                // an operator written as a function (BitwiseOperators): unnamed, as PostgreSQL's operators are
                return null;
            }
            if (lower.equals(dev.sekisho.planner.pg.functions.PgIntervalFunctions.INTERVAL)) {
                // an interval literal or cast that the gateway computes
                return new Named("interval", false);
            }
            return new Named(lower.equals("translate3") ? "translate" : lower, true);
        }
        return null;
    }

    /** The name of a cast's target type as PostgreSQL spells it internally. */
    private static String castTypeName(String typeName)
    {
        if (typeName.length() > 1 && typeName.charAt(0) == '_') {
            // x::int[] (written x::_int): named by the element type, int4
            return castTypeName(typeName.substring(1));
        }
        return switch (typeName.toLowerCase(Locale.ROOT)) {
            case "integer", "int" -> "int4";
            case "bigint" -> "int8";
            case "smallint" -> "int2";
            case "decimal" -> "numeric";
            case "boolean" -> "bool";
            case "real" -> "float4";
            case "double", "float" -> "float8";
            case "char", "character" -> "bpchar";
            default -> typeName.toLowerCase(Locale.ROOT);
        };
    }
}
