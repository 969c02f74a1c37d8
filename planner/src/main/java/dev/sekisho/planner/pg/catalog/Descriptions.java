package dev.sekisho.planner.pg.catalog;

import java.util.Optional;

/**
 * What the data dictionary says about tables and columns, for {@code pg_description},
 * {@code obj_description} and {@code col_description}: where it has a description it wins over the
 * source's own comment. Names are the exposed (lower-case) schema, table and column names.
 */
public interface Descriptions
{
    /** No dictionary: the sources' comments only. */
    Descriptions NONE = new Descriptions()
    {
        @Override
        public Optional<String> table(String schema, String table)
        {
            return Optional.empty();
        }

        @Override
        public Optional<String> column(String schema, String table, String column)
        {
            return Optional.empty();
        }
    };

    Optional<String> table(String schema, String table);

    Optional<String> column(String schema, String table, String column);
}
