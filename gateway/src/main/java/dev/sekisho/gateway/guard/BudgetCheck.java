package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.guard.StatementEstimator.FragmentEstimate;
import dev.sekisho.gateway.ledger.ByteText;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.guard.StatementLimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The per-statement limits of {@code budgets.statement} against the sources' estimates, before
 * anything runs. Over a limit: 53400 with the estimate, the limit, where the limit was written,
 * and a hint from the table's metadata.
 */
final class BudgetCheck
{
    /** The limits that apply to one principal: for each, the smallest of the entries that are for it. */
    record Limits(Optional<Limit> maxBytes, Optional<Limit> maxRowsExamined, Optional<Limit> maxFullScanRows)
    {
        boolean isEmpty()
        {
            return maxBytes.isEmpty() && maxRowsExamined.isEmpty() && maxFullScanRows.isEmpty();
        }
    }

    private static final Limits NO_LIMITS = new Limits(Optional.empty(), Optional.empty(), Optional.empty());

    /** One limit and the entry it comes from. */
    record Limit(long value, StatementLimit origin) {}

    private BudgetCheck() {}

    static Limits limits(PolicySet policies, Principal principal)
    {
        if (policies.budgets().statement().isEmpty()) {
            return NO_LIMITS;
        }
        List<StatementLimit> applying = new ArrayList<>();
        for (StatementLimit limit : policies.budgets().statement()) {
            if (limit.grantees().isEmpty() || policies.isAny(principal, limit.grantees().get())) {
                applying.add(limit);
            }
        }
        return new Limits(smallest(applying, StatementLimit::maxBytes), smallest(applying, StatementLimit::maxRowsExamined),
                smallest(applying, StatementLimit::maxFullScanRows));
    }

    /** Refuses the statement when an estimate is over a limit. */
    static void check(Limits limits, List<FragmentEstimate> estimates, String statementSql)
    {
        long bytes = 0;
        boolean bound = false;
        for (FragmentEstimate fragment : estimates) {
            CostEstimate estimate = fragment.estimate();
            if (estimate.rowsExamined().isPresent()) {
                for (CostEstimate.TableScan scan : estimate.fullScans()) {
                    if (limits.maxFullScanRows().isPresent() && scan.rows() > limits.maxFullScanRows().get().value()) {
                        Limit limit = limits.maxFullScanRows().get();
                        throw refusal("statement would read all of %s (about %,d rows by EXPLAIN on source %s), over the limit of %,d rows for reading a table whole (max_full_scan_rows, %s)"
                                        .formatted(name(scan), scan.rows(), fragment.connector().name(), limit.value(), limit.origin().origin()),
                                CostHints.fullScan(fragment.connector(), scan.schema(), scan.table(), statementSql));
                    }
                }
                long rows = estimate.rowsExamined().getAsLong();
                if (limits.maxRowsExamined().isPresent() && rows > limits.maxRowsExamined().get().value()) {
                    Limit limit = limits.maxRowsExamined().get();
                    String hint = estimate.fullScans().isEmpty() ? "Filter on indexed columns, or join through a smaller table."
                            : CostHints.fullScan(fragment.connector(), estimate.fullScans().get(0).schema(), estimate.fullScans().get(0).table(), statementSql);
                    throw refusal("statement would examine about %,d rows by EXPLAIN on source %s, over the limit of %,d (max_rows_examined, %s)"
                            .formatted(rows, fragment.connector().name(), limit.value(), limit.origin().origin()), hint);
                }
            }
            else {
                bytes += estimate.bytesProcessed();
                bound |= estimate.accuracy() != CostEstimate.Accuracy.PRECISE;
            }
        }
        if (limits.maxBytes().isPresent() && bytes > limits.maxBytes().get().value()) {
            Limit limit = limits.maxBytes().get();
            FragmentEstimate first = estimates.stream().filter(fragment -> fragment.estimate().measuresBytes()).findFirst().orElseThrow();
            List<TableMetadata> tables = first.query().tables().stream()
                    .map(table -> CostHints.lookUp(first.connector(), table.schema(), table.table()))
                    .flatMap(Optional::stream)
                    .toList();
            throw refusal("statement would read %s%s by its dry run, over the limit of %s per statement (max_bytes, %s)"
                            .formatted(ByteText.format(bytes), bound ? " (a bound, not an exact figure)" : "", ByteText.format(limit.value()), limit.origin().origin()),
                    CostHints.bytes(first.connector(), tables, statementSql));
        }
    }

    static QueryException refusal(String message, String hint)
    {
        return new QueryException(SqlStates.CONFIGURATION_LIMIT_EXCEEDED, message, hint.isEmpty() ? null : hint, null);
    }

    private static String name(CostEstimate.TableScan scan)
    {
        return scan.schema().isEmpty() ? scan.table() : scan.schema() + "." + scan.table();
    }

    private static Optional<Limit> smallest(List<StatementLimit> limits, Function<StatementLimit, OptionalLong> value)
    {
        Limit smallest = null;
        for (StatementLimit limit : limits) {
            OptionalLong candidate = value.apply(limit);
            if (candidate.isPresent() && (smallest == null || candidate.getAsLong() < smallest.value())) {
                smallest = new Limit(candidate.getAsLong(), limit);
            }
        }
        return Optional.ofNullable(smallest);
    }
}
