package dev.sekisho.gateway.session;

import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;

import java.util.List;
import java.util.Locale;

/**
 * {@code SHOW sekisho.budget}: what the user (the end user, behind a trusted account) has left of
 * each allowance that applies to them, one row per account and period (docs/budgets.md).
 */
final class BudgetList
{
    /** The name SHOW answers to. */
    static final String NAME = "sekisho.budget";

    private static final List<String> NAMES = List.of("account", "period", "limit_bytes", "spent_bytes", "reserved_bytes", "left_bytes");
    private static final List<ColumnType.Kind> KINDS = List.of(ColumnType.Kind.TEXT, ColumnType.Kind.TEXT, ColumnType.Kind.BIGINT, ColumnType.Kind.BIGINT,
            ColumnType.Kind.BIGINT, ColumnType.Kind.BIGINT);

    private BudgetList() {}

    static boolean isBudgetList(String name)
    {
        return NAME.equalsIgnoreCase(name);
    }

    static List<ResultColumn> columns()
    {
        return java.util.stream.IntStream.range(0, NAMES.size()).mapToObj(i -> ResultColumn.of(NAMES.get(i), ColumnType.of(KINDS.get(i)))).toList();
    }

    /** The rows, as {@link SessionPolicies#budget} gives them. */
    static ListResultStream rows(List<List<Object>> rows)
    {
        List<ColumnMetadata> columns = java.util.stream.IntStream.range(0, NAMES.size())
                .mapToObj(i -> new ColumnMetadata(NAMES.get(i), ColumnType.of(KINDS.get(i)), false, KINDS.get(i).name().toLowerCase(Locale.ROOT)))
                .toList();
        return new ListResultStream(columns, rows);
    }
}
