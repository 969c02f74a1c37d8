package dev.sekisho.connectors.mysql;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Checks every server of one source in the background, every {@code check_interval_ms}, and feeds
 * the results to each server's {@link ServerHealth}. Never on a query thread and never on the event
 * loop: one small scheduler thread per source starts the checks and enforces their timeouts, and
 * each check runs on a thread of its own, at most one at a time per server. A check that outlives
 * {@code check_timeout_ms} is counted as failed (or, if the server answered its trivial statement,
 * as a lag of unknown size) and its connection is aborted, so a hanging server blocks nothing:
 * not the other servers' checks, not the statements.
 */
final class ReplicaMonitor
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(ReplicaMonitor.class);

    private final String source;
    private final List<Target> targets;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService checks;
    private final CountDownLatch firstRound;

    /**
     * A server to check.
     *
     * @param name its name
     * @param health where its results go
     * @param check how to check it
     */
    record Target(String name, ServerHealth health, ServerCheck check, Progress progress)
    {
        Target(String name, ServerHealth health, ServerCheck check)
        {
            this(name, health, check, new Progress());
        }
    }

    /** The check in flight for one server, if any. */
    static final class Progress
    {
        private final AtomicLong generation = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean();
        private final AtomicBoolean firstCounted = new AtomicBoolean();
        private volatile boolean timedOut;
    }

    ReplicaMonitor(String source, List<Target> targets, RoutingSettings routing)
    {
        this.source = requireNonNull(source, "source is null");
        this.targets = List.copyOf(targets);
        this.intervalMillis = routing.checkIntervalMillis();
        this.timeoutMillis = routing.checkTimeoutMillis();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("sekisho-monitor-" + source));
        this.checks = Executors.newCachedThreadPool(daemon("sekisho-check-" + source));
        this.firstRound = new CountDownLatch(this.targets.size());
    }

    /** Starts checking: the first round at once, then every interval. */
    void start()
    {
        scheduler.scheduleWithFixedDelay(this::round, 0, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits until every server has a first result (or its first check timed out), at most {@code millis}. */
    void awaitFirstRound(long millis)
    {
        try {
            firstRound.await(millis, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How long {@link #awaitFirstRound} may be worth waiting: a check's timeout and a margin. */
    long firstRoundWaitMillis()
    {
        return timeoutMillis + 500;
    }

    private void round()
    {
        for (Target target : targets) {
            try {
                start(target);
            }
            catch (RuntimeException e) {
                // the schedule must survive anything: a dead monitor would freeze every state
                log.warn("source {}: could not start the check of {}: {}", source, target.name(), e.toString());
            }
        }
    }

    private void start(Target target)
    {
        Progress progress = target.progress();
        if (!progress.running.compareAndSet(false, true)) {
            // the previous check still runs (it hangs, or it was aborted and is unwinding)
            return;
        }
        long generation = progress.generation.incrementAndGet();
        progress.timedOut = false;
        try {
            checks.execute(() -> run(target, generation));
            scheduler.schedule(() -> timeout(target, generation), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException e) {
            progress.running.set(false);
        }
    }

    private void run(Target target, long generation)
    {
        Progress progress = target.progress();
        ServerHealth.Snapshot before = target.health().snapshot(System.nanoTime());
        try {
            ReplicationLag lag = target.check().run();
            if (!progress.timedOut && progress.generation.get() == generation) {
                target.health().recordCheck(lag, System.nanoTime());
            }
        }
        catch (SQLException | RuntimeException e) {
            target.check().reset();
            if (!progress.timedOut && progress.generation.get() == generation) {
                target.health().recordFailedCheck(ServerCheck.describe(e), System.nanoTime());
                log.debug("source {}: check of {} failed", source, target.name(), e);
            }
        }
        finally {
            progress.running.set(false);
            countFirst(target);
            logChange(target, before);
        }
    }

    /** Runs on the scheduler when a check's time is up: if it still runs, it counts as failed and its connection is aborted. */
    private void timeout(Target target, long generation)
    {
        Progress progress = target.progress();
        if (!progress.running.get() || progress.generation.get() != generation) {
            return;
        }
        ServerHealth.Snapshot before = target.health().snapshot(System.nanoTime());
        progress.timedOut = true;
        if (target.check().healthPassed()) {
            target.health().recordCheck(ReplicationLag.stale("the lag check did not finish within " + timeoutMillis + " ms"), System.nanoTime());
        }
        else {
            target.health().recordFailedCheck("the health check did not finish within " + timeoutMillis + " ms", System.nanoTime());
        }
        countFirst(target);
        logChange(target, before);
        // unblocks the check's thread; its result, if any, is ignored
        target.check().abort();
    }

    private void countFirst(Target target)
    {
        if (target.progress().firstCounted.compareAndSet(false, true)) {
            firstRound.countDown();
        }
    }

    private void logChange(Target target, ServerHealth.Snapshot before)
    {
        ServerHealth.Snapshot now = target.health().snapshot(System.nanoTime());
        if (now.state() != before.state() || !before.checked()) {
            String reason = now.reason().map(r -> " (" + r + ")").orElse("");
            if (now.state() == ServerHealth.State.UP) {
                log.info("source {}: read server {} is up{}, lag {}", source, target.name(), before.checked() ? " again" : "", now.lagText());
            }
            else {
                log.warn("source {}: read server {} is {}{}; it takes no new statements", source, target.name(), now.state().label(), reason);
            }
        }
    }

    @Override
    public void close()
    {
        scheduler.shutdownNow();
        checks.shutdownNow();
        targets.forEach(target -> target.check().abort());
    }

    private static ThreadFactory daemon(String prefix)
    {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
