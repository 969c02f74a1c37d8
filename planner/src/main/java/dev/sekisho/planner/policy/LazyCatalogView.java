package dev.sekisho.planner.policy;

import dev.sekisho.planner.pg.catalog.CatalogView;

import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A statement execution's {@link CatalogView}, made when the catalog emulation first asks: most
 * statements (a pushed-down point lookup) never look at pg_catalog, and the policy's view with its
 * memo maps was made for every execution. Then it answers as the view it made; one per execution,
 * not thread-safe, as that view.
 */
final class LazyCatalogView
        implements CatalogView
{
    private final Supplier<CatalogView> views;
    private CatalogView view;

    LazyCatalogView(Supplier<CatalogView> views)
    {
        this.views = requireNonNull(views, "views is null");
    }

    private CatalogView view()
    {
        CatalogView made = view;
        if (made == null) {
            made = requireNonNull(views.get(), "the catalog view is null");
            view = made;
        }
        return made;
    }

    @Override
    public boolean canSeeSchema(String schema)
    {
        return view().canSeeSchema(schema);
    }

    @Override
    public boolean canSeeTable(String schema, String table)
    {
        return view().canSeeTable(schema, table);
    }

    @Override
    public boolean canSeeColumn(String schema, String table, String column)
    {
        return view().canSeeColumn(schema, table, column);
    }

    @Override
    public Optional<String> maskOf(String schema, String table, String column)
    {
        return view().maskOf(schema, table, column);
    }
}
