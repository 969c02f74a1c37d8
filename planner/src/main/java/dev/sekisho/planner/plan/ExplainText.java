package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.ConnectorTable;
import dev.sekisho.planner.catalog.LocalJoins;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.RouteExplanation;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;

import java.util.List;
import java.util.Locale;

/**
 * The EXPLAIN text of planned statements: where a statement runs and, when the gateway runs it,
 * why not at its source, the plan, and the statement each source scan sends ("Source fragments").
 * The policy's part is added by {@code SecuredPreparedQuery}.
 */
final class ExplainText
{
    private ExplainText() {}

    /** A statement its one source runs whole: the source, its dialect and the statement it is sent. */
    static String pushedDown(Connector connector, String sourceSql)
    {
        return "Pushed down to source " + connector.name() + " (" + connector.dialect().name().toLowerCase(Locale.ROOT) + "):\n" + sourceSql;
    }

    /** A statement that reads only the catalog emulation, compiled. */
    static String catalogCompiled(CompiledPlan compiled)
    {
        return "Runs locally (catalog, compiled):\n" + compiled.explain();
    }

    /**
     * A statement compiled to Java and run in the gateway.
     *
     * @param localReason why its one source does not run it whole, or null
     */
    static String compiled(CompiledPlan compiled, String localReason)
    {
        return "Runs locally (compiled)" + because(localReason) + ":\n" + compiled.explain();
    }

    /** An interpreted plan, and the statement each source scan sends (every column, no filter). */
    static String interpreted(RelNode rel, String localReason)
    {
        StringBuilder explain = new StringBuilder("Runs locally (federated)" + because(localReason) + ":\n");
        explain.append(RelOptUtil.toString(rel));
        explain.append("Source fragments:\n");
        for (ConnectorTable table : PlanStrategy.scans(rel)) {
            int[] all = java.util.stream.IntStream.range(0, table.metadata().columns().size()).toArray();
            explain.append("  ").append(table.connector().name()).append(": ").append(table.scanSql(List.of(), all)).append('\n');
        }
        return explain.toString();
    }

    /** The body of a compiled plan's explanation: the Enumerable plan and its source fragments. */
    static String compiledPlan(RelNode best, LocalJoins.Plan joins)
    {
        return RelOptUtil.toString(best) + compiledFragments(best, joins);
    }

    /** The statement each source scan of a compiled plan sends (its columns, its filters): "Source fragments:" and one line per scan, or nothing. */
    private static String compiledFragments(RelNode plan, LocalJoins.Plan joins)
    {
        StringBuilder fragments = new StringBuilder();
        new org.apache.calcite.rel.RelVisitor()
        {
            @Override
            public void visit(RelNode node, int ordinal, RelNode parent)
            {
                if (node instanceof org.apache.calcite.interpreter.Bindables.BindableTableScan scan) {
                    ConnectorTable table = scan.getTable().unwrap(ConnectorTable.class);
                    if (table != null) {
                        int[] columns = LocalJoinAnalysis.columns(scan, table);
                        String sql = table.scanSql(scan.filters, columns);
                        fragments.append("  ").append(table.connector().name()).append(": ").append(sql);
                        joins.probedBy(table, LocalJoins.signature(columns, scan.filters)).ifPresent(edge -> fragments
                                .append(sql.contains(" WHERE ") ? " AND " : " WHERE ")
                                .append(table.dynamicFilterText(edge.probeColumn(), edge.build().table().connector().name() + " "
                                        + edge.build().table().exposedSchema() + "." + edge.build().table().metadata().name())));
                        fragments.append('\n');
                    }
                }
                super.visit(node, ordinal, parent);
            }
        }.go(plan);
        return fragments.isEmpty() ? "" : "Source fragments:\n" + fragments;
    }

    /** The routes of a statement's sources, one block each (see {@link RouteExplanation#text()}), or nothing. */
    static String routes(List<RouteExplanation> routes)
    {
        StringBuilder text = new StringBuilder();
        routes.forEach(route -> text.append(route.text()));
        return text.toString();
    }

    /** Why the statement runs in the gateway: " because ..." or nothing. */
    private static String because(String localReason)
    {
        return localReason == null ? "" : " because " + localReason;
    }
}
