package dev.sekisho.planner.policy;

import dev.sekisho.planner.SessionPolicy;
import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorSchema;
import dev.sekisho.planner.plan.SearchPathCatalogReader;
import dev.sekisho.policies.EffectivePolicy;
import dev.sekisho.policies.model.TableName;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The policy of one statement, as statement planning applies it (ARCHITECTURE.md, step 3): the
 * catalog as the principal sees it, to resolve and validate names against ({@link #rootSchema()});
 * the secured relations that replace the scans of protected tables right after SQL-to-Rel
 * ({@link #secure}); and what the policy binds after the client's parameters. The view, the
 * parameters and the rewrite behind it stay inside this package. Not thread-safe; one per statement.
 */
public final class StatementPolicy
{
    private final Catalog catalog;
    private final JavaTypeFactory typeFactory;
    private final PolicyParameters parameters;
    private final PolicyView view;

    /**
     * @param clientParameterCount how many placeholders the client's statement has: the policy's values are bound after them
     * @param hasSalt whether a {@code hash} salt is configured (its value is bound at execute time)
     */
    public StatementPolicy(Catalog catalog, SessionPolicy policy, JavaTypeFactory typeFactory, int clientParameterCount, boolean hasSalt)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.parameters = new PolicyParameters(clientParameterCount);
        this.view = new PolicyView(catalog, policy, typeFactory, parameters, hasSalt);
    }

    /** The root schema to validate against: invisible tables do not exist, protected ones show only their visible columns. */
    public CalciteSchema rootSchema()
    {
        return view.rootSchema();
    }

    /** Whether the principal sees the table (for hints that list tables, and {@code 'name'::regclass}). */
    public boolean isVisible(ConnectorSchema schema, String table)
    {
        return view.isVisible(schema, table);
    }

    /** {@code rel} with every scan of a protected table, in sub-queries too, replaced by its secured relation. */
    public RelNode secure(RelNode rel)
    {
        CalciteCatalogReader wholeTables = new SearchPathCatalogReader(catalog, List.of(), typeFactory);
        return PolicyRewriter.rewrite(rel, secured -> requireNonNull(
                wholeTables.getTable(List.of(secured.table().exposedSchema(), secured.table().metadata().name())), "table of a secured table"));
    }

    /** The values the policy binds, in the order of their parameters after the client's. */
    public List<PolicyParameter> parameters()
    {
        return parameters.parameters();
    }

    /** The effective policy of every table the statement looked at, in the order first looked at. */
    public Map<TableName, EffectivePolicy> evaluated()
    {
        return view.evaluated();
    }

    /** Rules of the protected tables the statement uses that could not be applied as written, and what was done instead. */
    public List<String> notes()
    {
        List<String> notes = new ArrayList<>();
        view.securedTables().forEach(table -> notes.addAll(table.notes()));
        return notes;
    }
}
