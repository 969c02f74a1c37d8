package dev.sekisho.policies;

import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.TableName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * What one principal may see of one table, as the planner applies it: the secured relation is
 * {@code Project(masks) <- Filter(rows) <- Scan} over the visible columns.
 *
 * <p>Rows: if {@link #noRows()}, the filter is FALSE. Otherwise it is
 * {@code (OR of permissiveFilters, or TRUE if there are none) AND (AND of restrictiveFilters)},
 * with each {@code :user.x} placeholder bound to {@code parameters().get("x")}. Filters and masks
 * read the raw columns of the row.
 *
 * @param table the table
 * @param visible whether the principal may see the table at all; if not, the table must behave as
 *         if it did not exist (42P01) and every other field is empty
 * @param roles the roles the principal holds (sorted)
 * @param deniedColumns lower-case names of columns that must behave as if they did not exist (42703)
 * @param masks masks by lower-case column name, for visible columns only
 * @param noRows whether the principal sees no rows (fail closed)
 * @param permissiveFilters applicable permissive filters, combined with OR; empty when noRows
 * @param restrictiveFilters applicable restrictive filters, combined with AND; empty when noRows
 * @param parameters values of the {@code :user.*} attributes used by the filters and sql masks above
 * @param firedRules the rules that decided this, with their origins
 */
public record EffectivePolicy(
        TableName table,
        boolean visible,
        Set<String> roles,
        Set<String> deniedColumns,
        Map<String, Mask> masks,
        boolean noRows,
        List<RowFilter> permissiveFilters,
        List<RowFilter> restrictiveFilters,
        Map<String, ParameterValue> parameters,
        List<FiredRule> firedRules)
{
    public EffectivePolicy
    {
        requireNonNull(table, "table is null");
        roles = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        deniedColumns = Set.copyOf(deniedColumns);
        masks = Map.copyOf(masks);
        permissiveFilters = List.copyOf(permissiveFilters);
        restrictiveFilters = List.copyOf(restrictiveFilters);
        parameters = Map.copyOf(parameters);
        firedRules = List.copyOf(firedRules);
        if (!visible && (!deniedColumns.isEmpty() || !masks.isEmpty() || !permissiveFilters.isEmpty() || !restrictiveFilters.isEmpty() || !parameters.isEmpty())) {
            throw new IllegalArgumentException("an invisible table has no column rules, filters or parameters");
        }
        if (noRows && (!permissiveFilters.isEmpty() || !restrictiveFilters.isEmpty())) {
            throw new IllegalArgumentException("noRows leaves no filters to apply");
        }
    }

    /** Whether a column (any case) is visible. */
    public boolean isColumnVisible(String column)
    {
        return visible && !deniedColumns.contains(column.toLowerCase(Locale.ROOT));
    }

    /** The mask of a visible column (any case), if it has one for this principal. */
    public Optional<Mask> mask(String column)
    {
        return Optional.ofNullable(masks.get(column.toLowerCase(Locale.ROOT)));
    }

    /** Whether the plan can use the bare scan: visible, no hidden columns, no masks, no row filtering. */
    public boolean isUnrestricted()
    {
        return visible && deniedColumns.isEmpty() && masks.isEmpty() && !noRows && permissiveFilters.isEmpty() && restrictiveFilters.isEmpty();
    }

    /**
     * A stable key of the effect: equal for two principals exactly when the plan rewrite is the same
     * (table, visibility, hidden columns, masks with parameters, filter texts and modes, and the
     * attribute values those use). Roles, rule names and file lines are not part of it, so a
     * reload that changes nothing for this table keeps it. {@code sha256:} and 64 hex digits.
     */
    public String fingerprint()
    {
        StringBuilder text = new StringBuilder();
        field(text, "table", table.toString());
        field(text, "visible", Boolean.toString(visible));
        if (visible) {
            field(text, "denied", String.join(",", new TreeSet<>(deniedColumns)));
            new TreeMap<>(masks).forEach((column, mask) -> field(text, "mask:" + column, mask.describe()));
            field(text, "noRows", Boolean.toString(noRows));
            for (RowFilter filter : permissiveFilters) {
                field(text, "permissive", filter.where());
            }
            for (RowFilter filter : restrictiveFilters) {
                field(text, "restrictive", filter.where());
            }
            new TreeMap<>(parameters).forEach((name, value) -> {
                if (value instanceof ParameterValue.Text single) {
                    field(text, "param:" + name, single.value());
                }
                else if (value instanceof ParameterValue.TextList list) {
                    field(text, "params:" + name, Integer.toString(list.values().size()));
                    list.values().forEach(item -> field(text, "item", item));
                }
            });
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(hash);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Length-prefixed, so that no two different contents encode alike. */
    private static void field(StringBuilder text, String name, String value)
    {
        text.append(name.length()).append(':').append(name).append('=').append(value.length()).append(':').append(value).append('\n');
    }
}
