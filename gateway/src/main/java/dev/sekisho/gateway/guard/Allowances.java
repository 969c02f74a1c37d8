package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.ledger.Ledger;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.guard.Allowance;

import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The ledger accounts a statement of a principal charges, with their limits: the person's own
 * ({@code user:NAME}, the smallest allowance of the {@code budgets.people} entries for them) and each
 * of their teams' ({@code team:GROUP}), per day and per month in {@code budgets.time_zone}.
 */
final class Allowances
{
    private Allowances() {}

    static List<Ledger.Charge> charges(PolicySet policies, Principal principal, Clock clock)
    {
        if (policies.budgets().people().isEmpty() && policies.budgets().teams().isEmpty()) {
            // no allowances: nothing to charge, and no date to format (asked for every statement)
            return List.of();
        }
        String day = LocalDate.now(clock.withZone(policies.budgets().timeZone())).toString();
        String month = YearMonth.now(clock.withZone(policies.budgets().timeZone())).toString();
        List<Ledger.Charge> charges = new ArrayList<>();
        List<Allowance> personal = policies.budgets().people().stream()
                .filter(allowance -> allowance.grantees().isEmpty() || policies.isAny(principal, allowance.grantees().get()))
                .toList();
        add(charges, "user:" + principal.name(), day, personal, Allowance::bytesPerDay);
        add(charges, "user:" + principal.name(), month, personal, Allowance::bytesPerMonth);
        for (Map.Entry<String, Allowance> team : policies.budgets().teams().entrySet()) {
            if (principal.groups().contains(team.getKey())) {
                add(charges, "team:" + team.getKey(), day, List.of(team.getValue()), Allowance::bytesPerDay);
                add(charges, "team:" + team.getKey(), month, List.of(team.getValue()), Allowance::bytesPerMonth);
            }
        }
        return charges;
    }

    /** Every team's accounts with their limits, today and this month: the admins' per-team view. */
    static List<Ledger.Charge> teams(PolicySet policies, Clock clock)
    {
        String day = LocalDate.now(clock.withZone(policies.budgets().timeZone())).toString();
        String month = YearMonth.now(clock.withZone(policies.budgets().timeZone())).toString();
        List<Ledger.Charge> charges = new ArrayList<>();
        for (Map.Entry<String, Allowance> team : new java.util.TreeMap<>(policies.budgets().teams()).entrySet()) {
            add(charges, "team:" + team.getKey(), day, List.of(team.getValue()), Allowance::bytesPerDay);
            add(charges, "team:" + team.getKey(), month, List.of(team.getValue()), Allowance::bytesPerMonth);
        }
        return charges;
    }

    private static void add(List<Ledger.Charge> charges, String account, String period, List<Allowance> allowances, Function<Allowance, OptionalLong> limit)
    {
        Allowance smallest = null;
        for (Allowance allowance : allowances) {
            OptionalLong value = limit.apply(allowance);
            if (value.isPresent() && (smallest == null || value.getAsLong() < limit.apply(smallest).getAsLong())) {
                smallest = allowance;
            }
        }
        if (smallest != null) {
            charges.add(new Ledger.Charge(account, period, limit.apply(smallest), "budgets at " + smallest.origin()));
        }
    }
}
