package dev.sekisho.policies.guard;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The {@code budgets} section.
 *
 * @param timeZone where days and months begin for the allowances
 * @param statement per-statement limits
 * @param people each person's own daily and monthly allowance
 * @param teams each team's shared allowance, by group name
 */
public record Budgets(ZoneId timeZone, List<StatementLimit> statement, List<Allowance> people, Map<String, Allowance> teams)
{
    private static final Budgets NONE = new Budgets(ZoneOffset.UTC, List.of(), List.of(), Map.of());

    public Budgets
    {
        requireNonNull(timeZone, "timeZone is null");
        statement = List.copyOf(statement);
        people = List.copyOf(people);
        teams = Map.copyOf(teams);
    }

    /** No budgets: nothing is refused for its cost. */
    public static Budgets none()
    {
        return NONE;
    }

    public boolean isEmpty()
    {
        return statement.isEmpty() && people.isEmpty() && teams.isEmpty();
    }
}
