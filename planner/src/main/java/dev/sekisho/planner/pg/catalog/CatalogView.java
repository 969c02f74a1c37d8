package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.spi.ExecutionContext;

import java.util.Optional;

/**
 * What one session may see of the sources in {@code pg_catalog} and {@code information_schema}: the
 * single seam through which the session's policy filters the catalog emulation. The emulation's own
 * schemas ({@code pg_catalog}, {@code information_schema}) are always visible.
 */
public interface CatalogView
{
    /** Everything visible (no policy). */
    CatalogView ALL = new CatalogView()
    {
        @Override
        public boolean canSeeSchema(String schema)
        {
            return true;
        }

        @Override
        public boolean canSeeTable(String schema, String table)
        {
            return true;
        }

        @Override
        public boolean canSeeColumn(String schema, String table, String column)
        {
            return true;
        }
    };

    /** @param schema the exposed (lower-case) schema name */
    boolean canSeeSchema(String schema);

    boolean canSeeTable(String schema, String table);

    boolean canSeeColumn(String schema, String table, String column);

    /**
     * How a visible column is masked for this reader (the mask as the policy names it), so that
     * its description can say so; empty when the reader sees it unmasked.
     */
    default Optional<String> maskOf(String schema, String table, String column)
    {
        return Optional.empty();
    }

    /** Chooses the view for the session running a statement. */
    @FunctionalInterface
    interface Provider
    {
        /** Everything visible to everyone. */
        Provider ALL_VISIBLE = context -> ALL;

        CatalogView view(ExecutionContext context);
    }
}
