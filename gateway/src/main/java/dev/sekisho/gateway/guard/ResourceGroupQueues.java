package dev.sekisho.gateway.guard;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.guard.ResourceGroup;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * The running and waiting statements of each resource group: at most {@code max_concurrent} run,
 * at most {@code max_queued} wait (more are refused at once with 53400), and one that waits longer
 * than {@code queue_timeout} fails with 57014. A waiting statement is a future, not a thread. The
 * limits are read from the group as the policy says now, so a reload applies to the next
 * statement. Thread-safe.
 */
final class ResourceGroupQueues
{
    private final ScheduledExecutorService timer;
    private final Map<String, GroupState> groups = new ConcurrentHashMap<>();

    ResourceGroupQueues(ScheduledExecutorService timer)
    {
        this.timer = requireNonNull(timer, "timer is null");
    }

    /** A slot of a group, held while the statement runs; {@link #close()} gives it to the next in line. */
    final class Slot
            implements AutoCloseable
    {
        private final GroupState state;
        private final Duration queueWait;
        private boolean closed;

        private Slot(GroupState state, Duration queueWait)
        {
            this.state = state;
            this.queueWait = queueWait;
        }

        /** How long the statement waited in the queue. */
        Duration queueWait()
        {
            return queueWait;
        }

        @Override
        public void close()
        {
            synchronized (state) {
                if (closed) {
                    return;
                }
                closed = true;
                state.running--;
                state.grantLocked();
            }
        }
    }

    /** Enters {@code group}: a slot now, a slot later, or a refusal when its queue is full or the wait times out. */
    CompletableFuture<Slot> enter(ResourceGroup group)
    {
        GroupState state = groups.computeIfAbsent(group.name(), name -> new GroupState());
        synchronized (state) {
            state.group = group;
            state.queue.removeIf(waiter -> waiter.future.isDone());
            if (state.running < group.maxConcurrent() && state.queue.isEmpty()) {
                state.running++;
                return CompletableFuture.completedFuture(new Slot(state, Duration.ZERO));
            }
            if (state.queue.size() >= group.maxQueued()) {
                return CompletableFuture.failedFuture(new QueryException(SqlStates.CONFIGURATION_LIMIT_EXCEEDED,
                        "resource group \"%s\" is full: %d statements running (max_concurrent %d) and %d waiting (max_queued %d)"
                                .formatted(group.name(), state.running, group.maxConcurrent(), state.queue.size(), group.maxQueued()),
                        "Run the statement again later.", null));
            }
            Waiter waiter = new Waiter(new CompletableFuture<>(), System.nanoTime());
            state.queue.add(waiter);
            waiter.timeout = timer.schedule(() -> timeOut(state, waiter, group), group.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
            waiter.future.whenComplete((slot, failure) -> waiter.timeout.cancel(false));
            return waiter.future;
        }
    }

    /** Statements running and waiting in {@code group} now. */
    int[] load(String group)
    {
        GroupState state = groups.get(group);
        if (state == null) {
            return new int[] {0, 0};
        }
        synchronized (state) {
            state.queue.removeIf(waiter -> waiter.future.isDone());
            return new int[] {state.running, state.queue.size()};
        }
    }

    private void timeOut(GroupState state, Waiter waiter, ResourceGroup group)
    {
        int running;
        int waiting;
        synchronized (state) {
            if (!state.queue.remove(waiter)) {
                return;
            }
            running = state.running;
            waiting = state.queue.size();
        }
        waiter.future.completeExceptionally(new QueryException(SqlStates.QUERY_CANCELED,
                "canceling statement due to queue timeout: it waited %s in resource group \"%s\" (queue_timeout %s; %d running, %d waiting)"
                        .formatted(format(group.queueTimeout()), group.name(), format(group.queueTimeout()), running, waiting),
                "Run the statement again later, or ask an admin about the group's max_concurrent.", null));
    }

    static String format(Duration duration)
    {
        if (duration.toMillis() % 1000 != 0 || duration.isZero()) {
            return duration.toMillis() + "ms";
        }
        long seconds = duration.toSeconds();
        return seconds % 3600 == 0 ? seconds / 3600 + "h" : seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }

    private static final class Waiter
    {
        final CompletableFuture<Slot> future;
        final long enqueuedNanos;
        ScheduledFuture<?> timeout;

        Waiter(CompletableFuture<Slot> future, long enqueuedNanos)
        {
            this.future = future;
            this.enqueuedNanos = enqueuedNanos;
        }
    }

    private final class GroupState
    {
        ResourceGroup group;
        int running;
        final ArrayDeque<Waiter> queue = new ArrayDeque<>();

        /** Gives free slots to the statements waiting longest; one that was cancelled meanwhile is skipped. */
        void grantLocked()
        {
            while (running < group.maxConcurrent() && !queue.isEmpty()) {
                Waiter next = queue.poll();
                running++;
                Slot slot = new Slot(this, Duration.ofNanos(System.nanoTime() - next.enqueuedNanos));
                if (!next.future.complete(slot)) {
                    running--;
                }
            }
        }
    }
}
