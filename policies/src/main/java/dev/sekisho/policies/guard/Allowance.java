package dev.sekisho.policies.guard;

import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.SourceLocation;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * BigQuery bytes a principal may spend per day and per month: each person's own allowance
 * ({@code budgets.people}, {@code grantees} say whose), or a team's shared one
 * ({@code budgets.teams}, keyed by the group).
 *
 * @param grantees for people, who it is for (empty: everyone); empty for a team
 * @param bytesPerDay bytes per day (days start at midnight in {@code budgets.time_zone})
 * @param bytesPerMonth bytes per calendar month
 * @param origin where it was written
 */
public record Allowance(Optional<List<Grantee>> grantees, OptionalLong bytesPerDay, OptionalLong bytesPerMonth, SourceLocation origin)
{
    public Allowance
    {
        grantees = requireNonNull(grantees, "grantees is null").map(List::copyOf);
        requireNonNull(bytesPerDay, "bytesPerDay is null");
        requireNonNull(bytesPerMonth, "bytesPerMonth is null");
        requireNonNull(origin, "origin is null");
    }
}
