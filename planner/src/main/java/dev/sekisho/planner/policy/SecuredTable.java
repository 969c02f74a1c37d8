package dev.sekisho.planner.policy;

import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.policies.EffectivePolicy;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.impl.AbstractTable;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A protected table as one principal sees it during validation: only the visible columns, with
 * the types of their masked values. It cannot be scanned: {@link PolicyRewriter} replaces every
 * scan of it, right after SQL-to-Rel, with the secured relation
 * {@code Project(projects) <- Filter(condition) <- Scan(whole table)}. Per statement.
 */
final class SecuredTable
        extends AbstractTable
{
    private final ConnectorTable table;
    private final EffectivePolicy policy;
    private final List<RexNode> projects;
    private final List<String> names;
    private final Optional<RexNode> condition;
    private final RelDataType rowType;
    private final List<String> notes;

    /**
     * @param projects for each visible column, its (masked) value over the whole table's row
     * @param names the visible columns' names
     * @param condition the row filter over the whole table's row, if any
     * @param rowType the row type of {@code projects}
     * @param notes rules that could not be applied as written, and what was done instead (for explain)
     */
    SecuredTable(ConnectorTable table, EffectivePolicy policy, List<RexNode> projects, List<String> names, Optional<RexNode> condition,
            RelDataType rowType, List<String> notes)
    {
        this.table = requireNonNull(table, "table is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.projects = List.copyOf(projects);
        this.names = List.copyOf(names);
        this.condition = requireNonNull(condition, "condition is null");
        this.rowType = requireNonNull(rowType, "rowType is null");
        this.notes = List.copyOf(notes);
    }

    ConnectorTable table()
    {
        return table;
    }

    EffectivePolicy policy()
    {
        return policy;
    }

    List<RexNode> projects()
    {
        return projects;
    }

    List<String> names()
    {
        return names;
    }

    Optional<RexNode> condition()
    {
        return condition;
    }

    List<String> notes()
    {
        return notes;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory)
    {
        return rowType;
    }
}
