package dev.sekisho.planner.sql;

import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlJoin;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;

import java.util.HashSet;
import java.util.Set;

/**
 * The placeholders of a generated MySQL statement whose value's collation cannot change its answer
 * or make it fail. MariaDB gives a server-side string parameter the collation of the client's
 * handshake, not {@code collation_connection} as it gives an inline literal, and two coercible
 * strings of different collations fail with error 1267. A parameter is safe where a column's
 * collation decides (MySQL's coercibility: a column, {@code IMPLICIT}, wins over a parameter,
 * {@code COERCIBLE}) or where no collation applies:
 * <ul>
 * <li>an operand of a comparison ({@code =, <>, <, <=, >, >=}) whose other operand is a column of a
 * base table;</li>
 * <li>the operand of the exact-text cast to bytes ({@code CAST(? AS BINARY)}, {@link TextComparisons#BYTES}):
 * a parameter's bytes are in the connection's character set, as a literal's are.</li>
 * </ul>
 * Anywhere else (beside a literal or another parameter, in a function, {@code CONCAT}, {@code CASE},
 * {@code LIKE}, the select list) the parameter may meet another coercible string, so it is not safe.
 * A column name means a base table's column only when every {@code FROM} of the statement names
 * tables (a derived table's column may be a literal, as coercible as a parameter) and the name is not
 * where MySQL also resolves select-list aliases ({@code GROUP BY}, {@code HAVING}, {@code ORDER BY});
 * a statement with any other {@code FROM} has no safe placeholder, nor has one that reads a view
 * ({@link SourceSqlGenerator} checks the tables' kinds).
 */
final class CollationFreeParameters
{
    /** Calcite dynamic parameter indexes with at least one safe occurrence. */
    private final Set<Integer> safe = new HashSet<>();
    /** Calcite dynamic parameter indexes with at least one occurrence that is not safe. */
    private final Set<Integer> unsafe = new HashSet<>();
    private boolean derivedSource;

    private CollationFreeParameters() {}

    /** The Calcite dynamic parameter indexes of {@code statement} every occurrence of which is safe. */
    static Set<Integer> of(SqlNode statement)
    {
        CollationFreeParameters analysis = new CollationFreeParameters();
        analysis.visit(statement, false);
        if (analysis.derivedSource) {
            return Set.of();
        }
        Set<Integer> result = new HashSet<>(analysis.safe);
        result.removeAll(analysis.unsafe);
        return Set.copyOf(result);
    }

    /** @param aliasScope whether a name here may be a select-list alias */
    private void visit(SqlNode node, boolean aliasScope)
    {
        if (node == null) {
            return;
        }
        if (node instanceof SqlDynamicParam parameter) {
            unsafe.add(parameter.getIndex());
            return;
        }
        if (node instanceof SqlNodeList list) {
            list.forEach(item -> visit(item, aliasScope));
            return;
        }
        if (node instanceof SqlSelect select) {
            from(select.getFrom());
            visit(select.getSelectList(), false);
            visit(select.getWhere(), false);
            visit(select.getGroup(), true);
            visit(select.getHaving(), true);
            visit(select.getWindowList(), true);
            visit(select.getOrderList(), true);
            visit(select.getOffset(), true);
            visit(select.getFetch(), true);
            return;
        }
        if (node instanceof SqlOrderBy orderBy) {
            visit(orderBy.query, false);
            visit(orderBy.orderList, true);
            visit(orderBy.offset, true);
            visit(orderBy.fetch, true);
            return;
        }
        if (node instanceof SqlCall call) {
            call(call, aliasScope);
        }
        // identifiers and literals hold no placeholder
    }

    private void call(SqlCall call, boolean aliasScope)
    {
        if (call.getKind() == SqlKind.WITH || call.getKind() == SqlKind.VALUES) {
            derivedSource = true;
        }
        if (call.getOperator() == TextComparisons.BYTES && call.operand(0) instanceof SqlDynamicParam parameter) {
            // CAST(? AS BINARY): bytes, no collation (PADDED_BYTES trims first, and RTRIM keeps the collation: not listed)
            safe.add(parameter.getIndex());
            return;
        }
        if (!aliasScope && isComparison(call)) {
            SqlNode left = call.operand(0);
            SqlNode right = call.operand(1);
            if (left instanceof SqlDynamicParam parameter && isColumn(right)) {
                safe.add(parameter.getIndex());
                return;
            }
            if (right instanceof SqlDynamicParam parameter && isColumn(left)) {
                safe.add(parameter.getIndex());
                return;
            }
        }
        for (SqlNode operand : call.getOperandList()) {
            visit(operand, aliasScope);
        }
    }

    private static boolean isComparison(SqlCall call)
    {
        return call.operandCount() == 2 && switch (call.getKind()) {
            case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> true;
            default -> false;
        };
    }

    private static boolean isColumn(SqlNode node)
    {
        return node instanceof SqlIdentifier identifier && !identifier.isStar();
    }

    /** Records a FROM item that is not a base table, and visits the placeholders of joins' conditions. */
    private void from(SqlNode from)
    {
        if (from == null || from instanceof SqlIdentifier) {
            return;
        }
        if (from instanceof SqlJoin join) {
            from(join.getLeft());
            from(join.getRight());
            visit(join.getCondition(), false);
            return;
        }
        if (from instanceof SqlBasicCall alias && alias.getKind() == SqlKind.AS && alias.operand(0) instanceof SqlIdentifier) {
            return;
        }
        derivedSource = true;
        visit(from, false);
    }
}
