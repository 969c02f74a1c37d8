package dev.sekisho.policies.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The rule for one table ({@code shop.customers}) or for every table of a schema without a rule
 * of its own ({@code shop.*}).
 *
 * @param pattern {@code schema.table} or {@code schema.*}, lower case
 * @param allow who may read the table; absent means {@code defaults.access} decides
 * @param deny who may not; deny wins over allow
 * @param columns column rules by lower-case column name
 * @param unmaskedFor who sees raw values of every masked column
 * @param unfilteredFor who is exempt from every row filter of the table
 * @param rowFilters the row filters, in file order
 * @param origin where the table was written
 */
public record TableRule(
        String pattern,
        Optional<List<Grantee>> allow,
        List<Grantee> deny,
        Map<String, ColumnRule> columns,
        List<Grantee> unmaskedFor,
        List<Grantee> unfilteredFor,
        List<RowFilter> rowFilters,
        SourceLocation origin)
{
    public TableRule
    {
        requireNonNull(pattern, "pattern is null");
        allow = allow.map(List::copyOf);
        deny = List.copyOf(deny);
        columns = Map.copyOf(columns);
        unmaskedFor = List.copyOf(unmaskedFor);
        unfilteredFor = List.copyOf(unfilteredFor);
        rowFilters = List.copyOf(rowFilters);
        requireNonNull(origin, "origin is null");
    }

    /** Whether this is a {@code schema.*} rule. */
    public boolean isSchemaWide()
    {
        return pattern.endsWith(".*");
    }
}
