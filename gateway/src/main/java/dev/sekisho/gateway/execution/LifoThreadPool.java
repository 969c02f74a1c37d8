package dev.sekisho.gateway.execution;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * A bounded thread pool that hands a task to the thread that went idle last. A
 * {@link java.util.concurrent.ThreadPoolExecutor}'s idle threads wait on its queue's condition,
 * which wakes the one that has waited longest: with a few busy sessions on a pool of 64 threads
 * every statement ran on a thread whose caches, and whose thread-local state (Hikari's per-thread
 * list of recently used connections), had gone cold. Here idle threads form a stack, each parked
 * on its own; a task goes straight into the top thread's slot and only that thread is woken, so
 * the same few threads stay hot and the others time out.
 *
 * <p>The contract is {@code ThreadPoolExecutor}'s with core = max threads, core threads timing
 * out, a bounded queue and the abort policy: at most {@code maxThreads} tasks run; when all
 * threads are busy at most {@code queueSize} tasks wait (0: none); beyond that {@link #execute}
 * throws {@link RejectedExecutionException}, as it does after shutdown. Queued tasks run in the
 * order they came.
 *
 * <p>No hand-off is lost: {@link #execute} queues a task only when, under the lock, no thread is
 * idle and no thread can be started, and a thread looks at the queue under the same lock before
 * it pushes itself onto the idle stack. A task handed to an idle thread is set in its slot under
 * the lock and the thread unparked after; a thread checks its slot before every park, and an
 * unpark that comes before the park makes the park return at once.
 */
final class LifoThreadPool
        extends AbstractExecutorService
{
    private final int maxThreads;
    private final int queueSize;
    private final long keepAliveNanos;
    private final ThreadFactory threadFactory;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = lock.newCondition();
    /** Idle workers, the one that went idle last first. */
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private final Set<Worker> workers = new HashSet<>();
    private volatile boolean shutdown;

    LifoThreadPool(int maxThreads, int queueSize, Duration keepAlive, ThreadFactory threadFactory)
    {
        if (maxThreads < 1) {
            throw new IllegalArgumentException("maxThreads must be at least 1: " + maxThreads);
        }
        if (queueSize < 0) {
            throw new IllegalArgumentException("queueSize must not be negative: " + queueSize);
        }
        requireNonNull(keepAlive, "keepAlive is null");
        if (keepAlive.isNegative() || keepAlive.isZero()) {
            throw new IllegalArgumentException("keepAlive must be positive: " + keepAlive);
        }
        this.maxThreads = maxThreads;
        this.queueSize = queueSize;
        this.keepAliveNanos = keepAlive.toNanos();
        this.threadFactory = requireNonNull(threadFactory, "threadFactory is null");
    }

    @Override
    public void execute(Runnable task)
    {
        requireNonNull(task, "task is null");
        Worker handedTo;
        Worker started;
        lock.lock();
        try {
            if (shutdown) {
                throw new RejectedExecutionException("the worker pool is shut down");
            }
            handedTo = idle.pollFirst();
            started = null;
            if (handedTo != null) {
                handedTo.handOff = task;
            }
            else if (workers.size() < maxThreads) {
                started = new Worker(task);
                Thread thread = threadFactory.newThread(started);
                if (thread == null) {
                    throw new RejectedExecutionException("the thread factory made no thread");
                }
                started.thread = thread;
                workers.add(started);
            }
            else if (queue.size() < queueSize) {
                queue.addLast(task);
            }
            else {
                throw new RejectedExecutionException("all " + maxThreads + " workers are busy and " + queueSize + " tasks wait");
            }
        }
        finally {
            lock.unlock();
        }
        if (handedTo != null) {
            LockSupport.unpark(handedTo.thread);
        }
        else if (started != null) {
            try {
                started.thread.start();
            }
            catch (Throwable e) {
                lock.lock();
                try {
                    workers.remove(started);
                    terminateIfDoneLocked();
                }
                finally {
                    lock.unlock();
                }
                throw new RejectedExecutionException("no worker thread could be started", e);
            }
        }
    }

    /** How many worker threads live now (busy or idle). */
    int threadCount()
    {
        lock.lock();
        try {
            return workers.size();
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public void shutdown()
    {
        lock.lock();
        try {
            shutdown = true;
            wakeIdleLocked();
            terminateIfDoneLocked();
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public List<Runnable> shutdownNow()
    {
        lock.lock();
        try {
            shutdown = true;
            List<Runnable> waiting = new ArrayList<>(queue);
            queue.clear();
            wakeIdleLocked();
            for (Worker worker : workers) {
                worker.thread.interrupt();
            }
            terminateIfDoneLocked();
            return waiting;
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isShutdown()
    {
        return shutdown;
    }

    @Override
    public boolean isTerminated()
    {
        lock.lock();
        try {
            return shutdown && workers.isEmpty();
        }
        finally {
            lock.unlock();
        }
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit)
            throws InterruptedException
    {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!(shutdown && workers.isEmpty())) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = terminated.awaitNanos(nanos);
            }
            return true;
        }
        finally {
            lock.unlock();
        }
    }

    private void wakeIdleLocked()
    {
        // idle workers see the shutdown when they wake; they leave the stack themselves
        for (Worker worker : idle) {
            LockSupport.unpark(worker.thread);
        }
    }

    private void terminateIfDoneLocked()
    {
        if (shutdown && workers.isEmpty()) {
            terminated.signalAll();
        }
    }

    /** The next task for a worker that finished one: a queued task, one handed to it while idle, or none (the worker ends). */
    private Runnable nextTask(Worker worker)
    {
        lock.lock();
        try {
            Runnable queued = queue.pollFirst();
            if (queued != null) {
                return queued;
            }
            if (shutdown) {
                return exitLocked(worker);
            }
            worker.handOff = null;
            idle.addFirst(worker);
        }
        finally {
            lock.unlock();
        }
        long deadline = System.nanoTime() + keepAliveNanos;
        while (true) {
            Runnable task = worker.handOff;
            if (task != null) {
                return task;
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0 || shutdown) {
                lock.lock();
                try {
                    // a hand-off may have come in since the check above: it is taken, not dropped
                    task = worker.handOff;
                    if (task != null) {
                        return task;
                    }
                    idle.remove(worker);
                    return exitLocked(worker);
                }
                finally {
                    lock.unlock();
                }
            }
            LockSupport.parkNanos(this, remaining);
            // an interrupt left from a task or from shutdownNow must not make the park spin
            Thread.interrupted();
        }
    }

    private Runnable exitLocked(Worker worker)
    {
        workers.remove(worker);
        terminateIfDoneLocked();
        return null;
    }

    private final class Worker
            implements Runnable
    {
        private final Runnable firstTask;
        private Thread thread;
        /** The task handed to this worker while it was idle; written under the lock, read by the worker. */
        private volatile Runnable handOff;

        private Worker(Runnable firstTask)
        {
            this.firstTask = firstTask;
        }

        @Override
        public void run()
        {
            Runnable task = firstTask;
            while (task != null) {
                // as ThreadPoolExecutor does: a task starts uninterrupted unless the pool is stopping
                if (!shutdown) {
                    Thread.interrupted();
                }
                try {
                    task.run();
                }
                catch (Throwable e) {
                    Thread current = Thread.currentThread();
                    current.getUncaughtExceptionHandler().uncaughtException(current, e);
                }
                task = nextTask(this);
            }
        }
    }
}
