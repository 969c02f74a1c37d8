package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.pg.catalog.PgCatalog;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.sql.validate.SqlNameMatchers;

import java.util.ArrayList;
import java.util.List;

/** Resolves unqualified names through the session's search path, then from the root. */
public final class SearchPathCatalogReader
        extends CalciteCatalogReader
{
    public SearchPathCatalogReader(Catalog catalog, List<String> searchPath, JavaTypeFactory typeFactory)
    {
        this(catalog.rootSchema(), searchPath, typeFactory);
    }

    SearchPathCatalogReader(CalciteSchema rootSchema, List<String> searchPath, JavaTypeFactory typeFactory)
    {
        super(rootSchema, SqlNameMatchers.withCaseSensitive(true), paths(searchPath), typeFactory, CalciteConfig.CONNECTION_CONFIG);
    }

    private static List<List<String>> paths(List<String> searchPath)
    {
        List<List<String>> paths = new ArrayList<>();
        if (!searchPath.contains(PgCatalog.PG_CATALOG)) {
            // PostgreSQL searches pg_catalog first unless the path names it
            paths.add(List.of(PgCatalog.PG_CATALOG));
        }
        for (String schema : searchPath) {
            paths.add(List.of(schema));
        }
        paths.add(List.of());
        return paths;
    }
}
