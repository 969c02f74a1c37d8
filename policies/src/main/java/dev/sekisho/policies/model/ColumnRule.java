package dev.sekisho.policies.model;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a table rule says about one column.
 *
 * @param name the column, lower case
 * @param allow if present, only these may see the column (others find it invisible)
 * @param deny these find the column invisible; deny wins over allow and over unmasked_for
 * @param mask the mask for everyone not in {@code unmasked_for} (of the column or the table)
 * @param unmaskedFor who sees raw values of this column, in addition to the table's list
 * @param origin where the column was written
 */
public record ColumnRule(
        String name,
        Optional<List<Grantee>> allow,
        List<Grantee> deny,
        Optional<Mask> mask,
        List<Grantee> unmaskedFor,
        SourceLocation origin)
{
    public ColumnRule
    {
        requireNonNull(name, "name is null");
        allow = allow.map(List::copyOf);
        deny = List.copyOf(deny);
        requireNonNull(mask, "mask is null");
        unmaskedFor = List.copyOf(unmaskedFor);
        requireNonNull(origin, "origin is null");
    }
}
