package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.spi.ColumnType;
import org.apache.calcite.plan.hep.HepRelVertex;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The type PostgreSQL gives a result column that combines strings: a CASE's or COALESCE's result,
 * or a UNION's, INTERSECT's or EXCEPT's column. PostgreSQL's common type of {@code varchar},
 * {@code char(n)} and {@code text} inputs is the first one's type that is not an untyped literal
 * ({@code select_common_type}, where each converts implicitly to the others; a CASE's ELSE comes
 * first), so {@code COALESCE(varchar_column, 'none')} is {@code varchar} and a UNION of two
 * {@code char(n)} columns is {@code bpchar}; Calcite's common type is a {@code varchar} of the
 * longest length, which the gateway would report as {@code text}.
 */
final class PgStringTypes
{
    private static final int MAX_DEPTH = 64;

    private PgStringTypes() {}

    /** The type of the string column {@code field} of {@code rel} where its inputs decide it, as a varchar, char or text of unspecified length. */
    static Optional<ColumnType> commonType(RelNode rel, int field)
    {
        RelNode node = unwrap(rel);
        int index = field;
        for (int depth = 0; depth < MAX_DEPTH; depth++) {
            if (node instanceof Sort || node instanceof Filter) {
                node = unwrap(node.getInput(0));
            }
            else if (node instanceof Project project && project.getProjects().get(index) instanceof RexInputRef ref) {
                node = unwrap(project.getInput());
                index = ref.getIndex();
            }
            else {
                break;
            }
        }
        boolean combines = node instanceof SetOp
                || node instanceof Project project && (project.getProjects().get(index).getKind() == SqlKind.CASE && !isNullIf(project.getProjects().get(index))
                || project.getProjects().get(index).getKind() == SqlKind.COALESCE);
        if (!combines) {
            return Optional.empty();
        }
        ColumnType.Kind kind = field(node, index, 0);
        return kind == null ? Optional.empty() : Optional.of(ColumnType.of(kind));
    }

    private static RelNode unwrap(RelNode rel)
    {
        return rel instanceof HepRelVertex vertex ? vertex.getCurrentRel() : rel;
    }

    /** The string kind of a field (VARCHAR, CHAR or TEXT), null where it is not known or not a string. */
    private static ColumnType.Kind field(RelNode rel, int field, int depth)
    {
        RelNode node = unwrap(rel);
        if (depth > MAX_DEPTH) {
            return null;
        }
        if (node instanceof TableScan scan) {
            ConnectorTable table = scan.getTable().unwrap(ConnectorTable.class);
            if (table == null || field >= table.metadata().columns().size()) {
                return null;
            }
            return stringKind(table.metadata().columns().get(field).type().kind());
        }
        if (node instanceof Filter || node instanceof Sort) {
            return field(node.getInput(0), field, depth + 1);
        }
        if (node instanceof Join) {
            int left = node.getInput(0).getRowType().getFieldCount();
            return field < left ? field(node.getInput(0), field, depth + 1) : field(node.getInput(1), field - left, depth + 1);
        }
        if (node instanceof SetOp setOp) {
            List<ColumnType.Kind> inputs = new ArrayList<>();
            for (RelNode input : setOp.getInputs()) {
                inputs.add(literalInput(input, field) ? ColumnType.Kind.UNKNOWN : field(input, field, depth + 1));
            }
            return first(inputs);
        }
        if (node instanceof Project project) {
            return expression(project.getProjects().get(field), project.getInput(), depth + 1);
        }
        return null;
    }

    private static boolean literalInput(RelNode input, int field)
    {
        RelNode node = unwrap(input);
        return node instanceof Project project && project.getProjects().get(field) instanceof RexLiteral literal
                && SqlTypeName.CHAR_TYPES.contains(literal.getType().getSqlTypeName());
    }

    private static ColumnType.Kind expression(RexNode expression, RelNode input, int depth)
    {
        if (expression instanceof RexInputRef ref) {
            return field(input, ref.getIndex(), depth + 1);
        }
        if (expression instanceof RexLiteral literal) {
            // an untyped literal ('none') takes the other inputs' type
            return literal.getType().getSqlTypeName() == SqlTypeName.NULL || SqlTypeName.CHAR_TYPES.contains(literal.getType().getSqlTypeName())
                    ? ColumnType.Kind.UNKNOWN : null;
        }
        if (!(expression instanceof RexCall call)) {
            return null;
        }
        if (call.getKind() == SqlKind.CAST && call.getOperands().get(0) instanceof RexLiteral
                && !(call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.NULL)) {
            // a literal Calcite cast to the common type is still PostgreSQL's untyped literal
            return ColumnType.Kind.UNKNOWN;
        }
        if (call.getKind() == SqlKind.CAST && call.getOperands().get(0).getType().getSqlTypeName() == SqlTypeName.NULL) {
            return ColumnType.Kind.UNKNOWN;
        }
        if (call.getKind() == SqlKind.CAST && SqlTypeName.CHAR_TYPES.contains(call.getOperands().get(0).getType().getSqlTypeName())
                && SqlTypeName.CHAR_TYPES.contains(call.getType().getSqlTypeName())) {
            // Calcite's cast of an input to the common varchar: the input's own type
            return expression(call.getOperands().get(0), input, depth + 1);
        }
        List<ColumnType.Kind> values = new ArrayList<>();
        if (call.getKind() == SqlKind.CASE) {
            List<RexNode> operands = call.getOperands();
            boolean coalesce = isCoalesce(call);
            if (!coalesce) {
                // the ELSE first, then each THEN, as PostgreSQL's CASE lists its results
                values.add(expression(operands.get(operands.size() - 1), input, depth + 1));
            }
            for (int i = 1; i < operands.size() - 1; i += 2) {
                values.add(expression(operands.get(i), input, depth + 1));
            }
            if (coalesce) {
                values.add(expression(operands.get(operands.size() - 1), input, depth + 1));
            }
            return first(values);
        }
        if (call.getKind() == SqlKind.COALESCE) {
            for (RexNode operand : call.getOperands()) {
                values.add(expression(operand, input, depth + 1));
            }
            return first(values);
        }
        return null;
    }

    /** Calcite's COALESCE: {@code CASE WHEN a IS NOT NULL THEN a ... ELSE z END}, whose arguments keep their order. */
    private static boolean isCoalesce(RexCall call)
    {
        List<RexNode> operands = call.getOperands();
        for (int i = 0; i < operands.size() - 1; i += 2) {
            if (!(operands.get(i) instanceof RexCall test && test.getKind() == SqlKind.IS_NOT_NULL
                    && withoutCast(test.getOperands().get(0)).equals(withoutCast(operands.get(i + 1))))) {
                return false;
            }
        }
        return operands.size() > 1;
    }

    private static RexNode withoutCast(RexNode expression)
    {
        return expression.getKind() == SqlKind.CAST ? ((RexCall) expression).getOperands().get(0) : expression;
    }

    /** Calcite's NULLIF: {@code CASE WHEN a = b THEN NULL ELSE a END}, typed by PostgreSQL's equality operator instead. */
    private static boolean isNullIf(RexNode expression)
    {
        List<RexNode> operands = ((RexCall) expression).getOperands();
        return operands.size() == 3 && operands.get(0).getKind() == SqlKind.EQUALS && operands.get(1) instanceof RexLiteral literal && literal.isNull();
    }

    /** The first known input type; text if every input is an untyped literal; null if an input is not known. */
    private static ColumnType.Kind first(List<ColumnType.Kind> inputs)
    {
        ColumnType.Kind found = null;
        for (ColumnType.Kind kind : inputs) {
            if (kind == null) {
                return null;
            }
            if (found == null && kind != ColumnType.Kind.UNKNOWN) {
                found = kind;
            }
        }
        return found == null ? ColumnType.Kind.TEXT : found;
    }

    private static ColumnType.Kind stringKind(ColumnType.Kind kind)
    {
        return switch (kind) {
            case VARCHAR -> ColumnType.Kind.VARCHAR;
            case CHAR -> ColumnType.Kind.CHAR;
            case TEXT -> ColumnType.Kind.TEXT;
            default -> null;
        };
    }
}
