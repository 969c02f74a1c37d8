package dev.sekisho.gateway.guard;

import dev.sekisho.gateway.execution.Admission;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.guard.StatementEstimator.FragmentEstimate;
import dev.sekisho.gateway.ledger.ByteText;
import dev.sekisho.gateway.ledger.Ledger;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.gateway.sql.RedashAnnotation;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.CostEstimate;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.guard.ResourceGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * The cost guard, as the pipeline's {@link Admission}: for a statement that reads sources it
 * estimates each source fragment and refuses it (53400, with a hint) over a per-statement limit,
 * reserves its estimated bytes in the ledger against the person's and teams' allowances (or
 * refuses it, naming what is left), then queues it in its resource group. When it ends the ledger
 * is charged the bytes its sources billed. Session commands (SET, SHOW, ...) pass untouched. Budgets
 * and groups come from the policy snapshot current when the statement runs. A statement its source
 * runs whole whose result the result cache holds costs its source nothing: it is neither estimated
 * nor reserved, and is charged nothing (the cache key is the policy-applied fragment, so the hit is
 * one the statement's own policy made).
 */
public final class CostGuard
        implements Admission, AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(CostGuard.class);

    /** What was decided for a statement that was admitted: its group and how long it waited (for logs and tests). */
    public record Admitted(Principal principal, Principal account, Optional<String> group, Duration queueWait, String sql)
    {
        public Admitted
        {
            requireNonNull(principal, "principal is null");
            requireNonNull(account, "account is null");
            requireNonNull(group, "group is null");
            requireNonNull(queueWait, "queueWait is null");
            requireNonNull(sql, "sql is null");
        }
    }

    private final Supplier<PolicySet> policies;
    private final StatementEstimator estimator;
    private final ScheduledExecutorService timer;
    private final ResourceGroupQueues queues;
    private final Consumer<Admitted> admitted;
    private final Optional<LazyLedger> ledger;
    private final Clock clock;
    private final CacheLookup cache;

    /** Whether the result cache would answer a source read of a statement now, without reaching the source. */
    @FunctionalInterface
    public interface CacheLookup
    {
        /** No result cache: every read reaches its source. */
        CacheLookup NONE = (fragment, statement) -> false;

        boolean answers(BackendQuery fragment, StatementInfo statement);
    }

    /**
     * @param policies the current policy snapshot
     * @param connectors the sources, whose estimates are asked
     * @param estimateCache how long an estimate is reused for the same fragment and parameters
     * @param admitted hears every admitted statement
     */
    public CostGuard(Supplier<PolicySet> policies, List<Connector> connectors, Duration estimateCache, Consumer<Admitted> admitted)
    {
        this(policies, connectors, estimateCache, admitted, Optional.empty(), Clock.systemUTC());
    }

    /**
     * @param ledger where allowances are reserved and charged; empty: allowances are not enforced
     * @param clock tells the day and month of a charge
     */
    public CostGuard(Supplier<PolicySet> policies, List<Connector> connectors, Duration estimateCache, Consumer<Admitted> admitted,
            Optional<LazyLedger> ledger, Clock clock)
    {
        this(policies, connectors, estimateCache, admitted, ledger, clock, CacheLookup.NONE);
    }

    /**
     * @param cache tells whether the result cache answers a source read now: a statement all of
     *         whose reads it answers is not estimated
     */
    public CostGuard(Supplier<PolicySet> policies, List<Connector> connectors, Duration estimateCache, Consumer<Admitted> admitted,
            Optional<LazyLedger> ledger, Clock clock, CacheLookup cache)
    {
        this.cache = requireNonNull(cache, "cache is null");
        this.ledger = requireNonNull(ledger, "ledger is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.estimator = new StatementEstimator(connectors, estimateCache);
        this.admitted = requireNonNull(admitted, "admitted is null");
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sekisho-cost-guard-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.queues = new ResourceGroupQueues(timer);
    }

    @Override
    public Permit admit(StatementInfo statement)
    {
        return request(statement).join();
    }

    /**
     * Estimates (blocking on the sources, as executing would) and checks the budget on the calling
     * worker; waiting for a slot of the resource group holds no thread.
     */
    @Override
    public CompletableFuture<Permit> request(StatementInfo statement)
    {
        PreparedStatement prepared = statement.statement();
        if (prepared.query().isEmpty()) {
            return CompletableFuture.completedFuture(Permit.NONE);
        }
        Optional<Ledger.Reservation> reservation = Optional.empty();
        OptionalLong estimated = OptionalLong.empty();
        OptionalLong cap = OptionalLong.empty();
        try {
            PolicySet current = policies.get();
            Principal principal = statement.principal();
            BudgetCheck.Limits limits = BudgetCheck.limits(current, principal);
            List<Ledger.Charge> charges = ledger.isPresent() ? Allowances.charges(current, principal, clock) : List.of();
            boolean cacheHit = false;
            List<BackendQuery> fragments = List.of();
            if (!limits.isEmpty() || !charges.isEmpty()) {
                fragments = prepared.query().get().fragments(statement.parameters());
                // answered from the result cache: the source is not asked, so there is nothing to estimate, limit or charge. Only a
                // statement its source runs whole, as one read, is known to send the very fragment looked up: a join the gateway
                // runs binds the keys it read into the other side's statement (a dynamic filter), another statement than the one here
                cacheHit = prepared.query().get().isFullyPushedDown() && fragments.size() == 1 && cache.answers(fragments.get(0), statement);
                if (cacheHit) {
                    estimated = OptionalLong.of(0);
                }
            }
            if (!cacheHit && (!limits.isEmpty() || !charges.isEmpty())) {
                List<FragmentEstimate> estimates = estimator.estimate(fragments, principal.name());
                BudgetCheck.check(limits, estimates, prepared.sql());
                List<FragmentEstimate> billed = estimates.stream().filter(fragment -> fragment.estimate().measuresBytes()).toList();
                if (!billed.isEmpty()) {
                    long bytes = billed.stream().mapToLong(fragment -> fragment.estimate().bytesProcessed()).sum();
                    boolean bounded = billed.stream().allMatch(fragment -> isBound(fragment.estimate().accuracy()));
                    OptionalLong statementLimit = limits.maxBytes().map(limit -> OptionalLong.of(limit.value())).orElse(OptionalLong.empty());
                    estimated = OptionalLong.of(bytes);
                    // an estimate that bounds what the statement reads was checked against the limit; any other runs capped at it
                    cap = bounded ? OptionalLong.empty() : statementLimit;
                    if (!charges.isEmpty()) {
                        // at least one byte: an allowance that is used up refuses even a statement estimated at 0 bytes
                        long atLeast = Math.max(bytes, 1);
                        Ledger.Reservation held = bounded
                                ? ledger.get().get().reserve(charges, atLeast, atLeast, ByteText.format(bytes) + " by its dry run")
                                : ledger.get().get().reserve(charges, atLeast, statementLimit.orElse(Long.MAX_VALUE), unboundedEstimate(billed, bytes));
                        reservation = Optional.of(held);
                        // a bound estimate may use the whole remaining allowance as its hard stop (BigQuery bills at least 10 MB a
                        // table, more than many estimates); any other only what it reserved, at most the per-statement limit
                        cap = bounded ? held.remaining() : smaller(held.remaining().isPresent() ? OptionalLong.of(held.bytes()) : OptionalLong.empty(),
                                statementLimit);
                    }
                }
            }
            // only a resource-group selector reads it
            Optional<Boolean> scheduled = current.resourceGroups().selectors().isEmpty() ? Optional.empty()
                    : prepared.annotation().flatMap(RedashAnnotation::scheduled);
            Optional<ResourceGroup> group = GroupSelection.select(current, principal, statement.applicationName().orElse(""), scheduled);
            Optional<Ledger.Reservation> reserved = reservation;
            OptionalLong estimate = estimated;
            OptionalLong maximumBytesBilled = cap;
            boolean admittedAsCacheHit = cacheHit;
            if (group.isEmpty()) {
                admitted.accept(new Admitted(principal, statement.account(), Optional.empty(), Duration.ZERO, prepared.sql()));
                return CompletableFuture.completedFuture(new GuardPermit(Optional.empty(), Optional.empty(), reserved, estimate, maximumBytesBilled,
                        admittedAsCacheHit));
            }
            CompletableFuture<ResourceGroupQueues.Slot> entered = queues.enter(group.get());
            CompletableFuture<Permit> permit = entered.thenApply(slot -> {
                admitted.accept(new Admitted(principal, statement.account(), Optional.of(group.get().name()), slot.queueWait(), prepared.sql()));
                return new GuardPermit(group, Optional.of(slot), reserved, estimate, maximumBytesBilled, admittedAsCacheHit);
            });
            // a statement cancelled while it waits leaves the queue; a slot granted as it was cancelled goes back
            permit.whenComplete((granted, failure) -> {
                if (failure != null) {
                    reserved.ifPresent(held -> settleQuietly(held, 0));
                    if (!entered.completeExceptionally(failure)) {
                        entered.thenAccept(ResourceGroupQueues.Slot::close);
                    }
                }
            });
            return permit;
        }
        catch (RuntimeException e) {
            reservation.ifPresent(held -> settleQuietly(held, 0));
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * A statement of a principal without statement limits, allowances or a resource group is
     * admitted as {@link #request} would admit it (nothing estimated, reserved or queued); any other
     * is left to {@link #request} on a worker.
     */
    @Override
    public Optional<Permit> admitAtOnce(StatementInfo statement)
    {
        PreparedStatement prepared = statement.statement();
        PolicySet current = policies.get();
        Principal principal = statement.principal();
        if (prepared.query().isEmpty() || !BudgetCheck.limits(current, principal).isEmpty()
                || ledger.isPresent() && !Allowances.charges(current, principal, clock).isEmpty()) {
            return Optional.empty();
        }
        Optional<Boolean> scheduled = current.resourceGroups().selectors().isEmpty() ? Optional.empty()
                : prepared.annotation().flatMap(RedashAnnotation::scheduled);
        if (GroupSelection.select(current, principal, statement.applicationName().orElse(""), scheduled).isPresent()) {
            return Optional.empty();
        }
        admitted.accept(new Admitted(principal, statement.account(), Optional.empty(), Duration.ZERO, prepared.sql()));
        return Optional.of(new GuardPermit(Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), false));
    }

    /** Whether BigQuery's accuracy makes the figure an upper bound of what the statement reads (PRECISE, UPPER_BOUND). */
    private static boolean isBound(CostEstimate.Accuracy accuracy)
    {
        return accuracy == CostEstimate.Accuracy.PRECISE || accuracy == CostEstimate.Accuracy.UPPER_BOUND;
    }

    private static String unboundedEstimate(List<FragmentEstimate> billed, long bytes)
    {
        CostEstimate.Accuracy accuracy = billed.stream().map(fragment -> fragment.estimate().accuracy()).filter(value -> !isBound(value)).findFirst().orElseThrow();
        return "at least %s by its dry run (BigQuery calls the figure %s: it could read more), so it needs the whole allowance it may be billed"
                .formatted(ByteText.format(bytes), accuracy);
    }

    private static OptionalLong smaller(OptionalLong first, OptionalLong second)
    {
        if (first.isEmpty()) {
            return second;
        }
        return second.isEmpty() ? first : OptionalLong.of(Math.min(first.getAsLong(), second.getAsLong()));
    }

    private static void settleQuietly(Ledger.Reservation reservation, long billed)
    {
        try {
            reservation.settle(billed);
        }
        catch (RuntimeException e) {
            log.warn("Settling a budget reservation failed; it is given back after {}", Ledger.STALE_AFTER, e);
        }
    }

    /**
     * {@code SHOW sekisho.budget}: each allowance that applies to {@code principal} today and this
     * month, with what is spent, reserved and left (no rows without allowances).
     */
    public List<List<Object>> budget(Principal principal)
    {
        PolicySet current = policies.get();
        List<Ledger.Charge> charges = ledger.isPresent() ? Allowances.charges(current, principal, clock) : List.of();
        List<List<Object>> rows = new java.util.ArrayList<>();
        for (Ledger.Charge charge : charges) {
            Ledger.Usage usage = ledger.get().get().usage(charge.account(), charge.period());
            long limit = charge.limit().orElse(Long.MAX_VALUE);
            rows.add(List.of(charge.account(), charge.period(), limit, usage.spent(), usage.reserved(), Math.max(0, limit - usage.spent() - usage.reserved())));
        }
        return rows;
    }

    /**
     * The admins' per-team view: each team allowance of the current policy today and this month,
     * with what is spent, reserved and left; empty when no ledger is configured.
     */
    public List<TeamUsage> teamUsage()
    {
        if (ledger.isEmpty()) {
            return List.of();
        }
        PolicySet current = policies.get();
        List<TeamUsage> teams = new java.util.ArrayList<>();
        for (Ledger.Charge charge : Allowances.teams(current, clock)) {
            Ledger.Usage usage = ledger.get().get().usage(charge.account(), charge.period());
            long limit = charge.limit().orElse(Long.MAX_VALUE);
            teams.add(new TeamUsage(charge.account().substring("team:".length()), charge.period(), limit, usage.spent(), usage.reserved(),
                    Math.max(0, limit - usage.spent() - usage.reserved())));
        }
        return teams;
    }

    /** One team's allowance in one period (a day {@code 2026-12-05} or a month {@code 2026-12}), in bytes. */
    public record TeamUsage(String team, String period, long limitBytes, long spentBytes, long reservedBytes, long leftBytes)
    {
        public TeamUsage
        {
            requireNonNull(team, "team is null");
            requireNonNull(period, "period is null");
        }
    }

    /** Statements running and waiting in resource group {@code group} now: {@code [running, waiting]}. */
    public int[] load(String group)
    {
        return queues.load(group);
    }

    @Override
    public void close()
    {
        ledger.ifPresent(LazyLedger::close);
        timer.shutdownNow();
    }

    /** What an admitted statement holds: a slot of its resource group, and its reservation in the ledger. */
    private final class GuardPermit
            implements Permit
    {
        private final Optional<ResourceGroup> group;
        private final Optional<ResourceGroupQueues.Slot> slot;
        private final Optional<Ledger.Reservation> reservation;
        private final OptionalLong estimated;
        private final OptionalLong cap;
        private final boolean admittedAsCacheHit;
        private final AtomicLong billed = new AtomicLong();
        private volatile boolean reported;
        private ScheduledFuture<?> timeout;

        GuardPermit(Optional<ResourceGroup> group, Optional<ResourceGroupQueues.Slot> slot, Optional<Ledger.Reservation> reservation, OptionalLong estimated,
                OptionalLong cap, boolean admittedAsCacheHit)
        {
            this.group = group;
            this.admittedAsCacheHit = admittedAsCacheHit;
            // a cache hit costs nothing: its audit event says 0 bytes billed
            this.reported = admittedAsCacheHit;
            this.slot = slot;
            this.reservation = reservation;
            this.estimated = estimated;
            this.cap = cap;
        }

        @Override
        public OptionalLong maxRows()
        {
            return group.map(ResourceGroup::maxRows).orElse(OptionalLong.empty());
        }

        @Override
        public String maxRowsMessage()
        {
            return "statement returned more than %,d rows, the limit of resource group \"%s\" (max_rows; it waited %s in the group's queue)"
                    .formatted(maxRows().orElse(0), group.map(ResourceGroup::name).orElse(""), queueWait());
        }

        @Override
        public OptionalLong maximumBytesBilled()
        {
            return cap;
        }

        @Override
        public boolean admittedAsCacheHit()
        {
            return admittedAsCacheHit;
        }

        @Override
        public Accounting accounting()
        {
            return new Accounting(estimated, reported ? OptionalLong.of(billed.get()) : OptionalLong.empty(), group.map(ResourceGroup::name),
                    slot.map(ResourceGroupQueues.Slot::queueWait));
        }

        @Override
        public void billed(long bytes)
        {
            billed.addAndGet(bytes);
            reported = true;
        }

        @Override
        public void started(Consumer<String> cancel)
        {
            if (group.isPresent() && group.get().statementTimeout().isPresent()) {
                Duration limit = group.get().statementTimeout().get();
                timeout = timer.schedule(() -> cancel.accept(
                        "canceling statement due to statement timeout: resource group \"%s\" allows %s (statement_timeout; it waited %s in the group's queue)"
                                .formatted(group.get().name(), ResourceGroupQueues.format(limit), queueWait())),
                        limit.toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        private String queueWait()
        {
            return ResourceGroupQueues.format(slot.map(ResourceGroupQueues.Slot::queueWait).orElse(Duration.ZERO));
        }

        @Override
        public void close()
        {
            if (timeout != null) {
                timeout.cancel(false);
            }
            // the bytes the source billed; a source that reports none is charged the estimate it reserved
            reservation.ifPresent(held -> settleQuietly(held, reported ? billed.get() : held.bytes()));
            slot.ifPresent(ResourceGroupQueues.Slot::close);
        }
    }
}
