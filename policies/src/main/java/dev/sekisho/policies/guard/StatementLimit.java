package dev.sekisho.policies.guard;

import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.SourceLocation;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * One entry of {@code budgets.statement}: what a single statement may cost, checked against the
 * sources' estimates before anything runs. Where several entries apply, each limit is the
 * smallest of theirs.
 *
 * @param grantees who it is for; empty: everyone
 * @param maxBytes BigQuery: the bytes a statement may read (its dry run's estimate)
 * @param maxRowsExamined MySQL: the rows EXPLAIN says the statement examines, all tables together
 * @param maxFullScanRows MySQL: a full scan of a table is refused when EXPLAIN estimates more rows
 * @param origin where it was written
 */
public record StatementLimit(Optional<List<Grantee>> grantees, OptionalLong maxBytes, OptionalLong maxRowsExamined, OptionalLong maxFullScanRows,
        SourceLocation origin)
{
    public StatementLimit
    {
        grantees = requireNonNull(grantees, "grantees is null").map(List::copyOf);
        requireNonNull(maxBytes, "maxBytes is null");
        requireNonNull(maxRowsExamined, "maxRowsExamined is null");
        requireNonNull(maxFullScanRows, "maxFullScanRows is null");
        requireNonNull(origin, "origin is null");
    }
}
