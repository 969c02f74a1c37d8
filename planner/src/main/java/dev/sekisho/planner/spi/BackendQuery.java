package dev.sekisho.planner.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One statement for one source: SQL in the source's dialect with {@code ?} placeholders and the
 * values bound to them, in order. A pure value, safe as a cache key. Values are never spliced into
 * {@link #sql()}.
 *
 * @param source the source's name
 * @param sql the statement, in the source's dialect
 * @param parameters the bound values (Java types as in {@link ColumnType.Kind}; {@code null} allowed)
 * @param parameterTypes the type of each bound value
 * @param tables the tables of this source that the client's statement reads (not only this
 *         statement: a plan the gateway runs over several scans names all of them in each), which
 *         the connector routes by, e.g. to a replica fresh enough for each of them; empty when
 *         unknown (statements that read no table, tools)
 * @param collationFreeParameters the zero-based positions of the text parameters whose collation cannot change
 *         the answer, because a column's collation decides the comparison they are in or they are only cast to
 *         bytes: a MySQL source may bind these as server-side parameters, which take the collation of the
 *         connection's handshake rather than a literal's (empty: none is known to be free)
 */
public record BackendQuery(String source, String sql, List<Object> parameters, List<ColumnType> parameterTypes, List<SourceTable> tables,
        Set<Integer> collationFreeParameters)
{
    public BackendQuery
    {
        requireNonNull(source, "source is null");
        requireNonNull(sql, "sql is null");
        // List.copyOf rejects nulls, and SQL NULL is a valid parameter value
        parameters = Collections.unmodifiableList(new ArrayList<>(parameters));
        parameterTypes = List.copyOf(parameterTypes);
        tables = List.copyOf(tables);
        collationFreeParameters = Set.copyOf(collationFreeParameters);
        if (parameters.size() != parameterTypes.size()) {
            throw new IllegalArgumentException("parameters and parameterTypes differ in size");
        }
        for (int position : collationFreeParameters) {
            if (position < 0 || position >= parameters.size()) {
                throw new IllegalArgumentException("no parameter at position " + position);
            }
        }
    }

    /** A statement none of whose parameters is known to be free of collation. */
    public BackendQuery(String source, String sql, List<Object> parameters, List<ColumnType> parameterTypes, List<SourceTable> tables)
    {
        this(source, sql, parameters, parameterTypes, tables, Set.of());
    }

    /** A statement whose tables are not known. */
    public BackendQuery(String source, String sql, List<Object> parameters, List<ColumnType> parameterTypes)
    {
        this(source, sql, parameters, parameterTypes, List.of());
    }

    public static BackendQuery of(String source, String sql)
    {
        return new BackendQuery(source, sql, List.of(), List.of());
    }

    /** A statement without parameters that reads {@code tables}. */
    public static BackendQuery of(String source, String sql, List<SourceTable> tables)
    {
        return new BackendQuery(source, sql, List.of(), List.of(), tables);
    }
}
