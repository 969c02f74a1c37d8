package dev.sekisho.gateway.execution;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The worker pool's contract: every accepted task runs, the last idle thread takes the next task, refusal, timeout and close. */
class TestLifoThreadPool
{
    private static final ThreadFactory DAEMONS = runnable -> {
        Thread thread = new Thread(runnable, "test-lifo-worker");
        thread.setDaemon(true);
        return thread;
    };

    @Test
    void everyAcceptedTaskRunsUnderManySubmitters()
            throws Exception
    {
        // queue large enough that nothing is refused: tasks race with workers going idle
        assertEveryAcceptedTaskRuns(new LifoThreadPool(4, 200_000, Duration.ofSeconds(60), DAEMONS), 20_000);
    }

    @Test
    void everyAcceptedTaskRunsWithoutAQueueAndWithWorkersTimingOut()
            throws Exception
    {
        // no queue and a keep-alive of 50 µs: hand-offs race with idle workers ending (taking the
        // hand-off that came in as the keep-alive ran out is what keeps a task from being lost here)
        assertEveryAcceptedTaskRuns(new LifoThreadPool(3, 0, Duration.ofNanos(50_000), DAEMONS), 10_000);
    }

    private static void assertEveryAcceptedTaskRuns(LifoThreadPool pool, int tasksEach)
            throws Exception
    {
        int submitters = 8;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger ran = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(submitters);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < submitters; i++) {
            Thread submitter = new Thread(() -> {
                try {
                    start.await();
                }
                catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int task = 0; task < tasksEach; task++) {
                    while (true) {
                        try {
                            pool.execute(ran::incrementAndGet);
                            accepted.incrementAndGet();
                            break;
                        }
                        catch (RejectedExecutionException e) {
                            // leave the two cores to the workers rather than spin against them
                            LockSupport.parkNanos(20_000);
                        }
                    }
                }
            });
            submitter.setDaemon(true);
            submitter.start();
            threads.add(submitter);
        }
        for (Thread submitter : threads) {
            submitter.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(submitter.isAlive()).as("submitter finished").isFalse();
        }
        assertThat(accepted.get()).isEqualTo(submitters * tasksEach);
        // a lost wake-up leaves a task in a parked worker's slot or in the queue with every worker idle
        waitUntil(() -> ran.get() == accepted.get(), Duration.ofSeconds(30));
        assertThat(ran.get()).isEqualTo(accepted.get());
        pool.shutdownNow();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theThreadThatWentIdleLastTakesTheNextTask()
            throws Exception
    {
        LifoThreadPool pool = new LifoThreadPool(3, 0, Duration.ofSeconds(60), DAEMONS);
        try {
            List<CountDownLatch> releases = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
            List<AtomicReference<Thread>> ranOn = List.of(new AtomicReference<>(), new AtomicReference<>(), new AtomicReference<>());
            for (int i = 0; i < 3; i++) {
                CountDownLatch release = releases.get(i);
                AtomicReference<Thread> thread = ranOn.get(i);
                pool.execute(() -> {
                    thread.set(Thread.currentThread());
                    awaitQuietly(release);
                });
            }
            waitUntil(() -> ranOn.stream().allMatch(thread -> thread.get() != null), Duration.ofSeconds(10));
            // the threads go idle in the order first, second, third
            for (int i = 0; i < 3; i++) {
                releases.get(i).countDown();
                Thread thread = ranOn.get(i).get();
                waitUntil(() -> isIdleIn(pool, thread), Duration.ofSeconds(10));
            }
            Thread lastIdle = ranOn.get(2).get();
            for (int round = 0; round < 5; round++) {
                AtomicReference<Thread> next = new AtomicReference<>();
                CountDownLatch done = new CountDownLatch(1);
                pool.execute(() -> {
                    next.set(Thread.currentThread());
                    done.countDown();
                });
                assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(next.get()).isSameAs(lastIdle);
                waitUntil(() -> isIdleIn(pool, lastIdle), Duration.ofSeconds(10));
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesWhenEveryThreadIsBusyAndTheQueueIsFull()
            throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        LifoThreadPool pool = new LifoThreadPool(2, 1, Duration.ofSeconds(60), DAEMONS);
        try {
            CountDownLatch started = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                pool.execute(() -> {
                    started.countDown();
                    awaitQuietly(release);
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            CountDownLatch queuedRan = new CountDownLatch(1);
            pool.execute(queuedRan::countDown);
            assertThatThrownBy(() -> pool.execute(() -> {}))
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("busy");
            release.countDown();
            assertThat(queuedRan.await(10, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aQueueOfZeroRefusesAsSoonAsEveryThreadIsBusy()
            throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        LifoThreadPool pool = new LifoThreadPool(1, 0, Duration.ofSeconds(60), DAEMONS);
        try {
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(() -> {
                started.countDown();
                awaitQuietly(release);
            });
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void queuedTasksRunInTheOrderTheyCame()
            throws Exception
    {
        CountDownLatch release = new CountDownLatch(1);
        LifoThreadPool pool = new LifoThreadPool(1, 10, Duration.ofSeconds(60), DAEMONS);
        try {
            pool.execute(() -> awaitQuietly(release));
            List<Integer> order = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(5);
            for (int i = 0; i < 5; i++) {
                int number = i;
                pool.execute(() -> {
                    synchronized (order) {
                        order.add(number);
                    }
                    done.countDown();
                });
            }
            release.countDown();
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            synchronized (order) {
                assertThat(order).containsExactly(0, 1, 2, 3, 4);
            }
        }
        finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void idleThreadsEndAfterTheKeepAliveAndNewOnesStartWhenNeeded()
            throws Exception
    {
        WorkerPool pool = WorkerPool.start(3, 0, Duration.ofMillis(50));
        try {
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                pool.executor().execute(() -> {
                    started.countDown();
                    awaitQuietly(release);
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pool.threadCount()).isEqualTo(3);
            release.countDown();
            waitUntil(() -> pool.threadCount() == 0, Duration.ofSeconds(10));
            assertThat(pool.threadCount()).isZero();
            CountDownLatch ran = new CountDownLatch(1);
            pool.executor().execute(ran::countDown);
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        }
        finally {
            pool.close();
        }
    }

    @Test
    void aTaskStartsUninterruptedAfterOneThatLeftItsThreadInterrupted()
            throws Exception
    {
        LifoThreadPool pool = new LifoThreadPool(1, 10, Duration.ofSeconds(60), DAEMONS);
        try {
            CountDownLatch done = new CountDownLatch(1);
            AtomicBoolean interrupted = new AtomicBoolean(true);
            pool.execute(() -> Thread.currentThread().interrupt());
            pool.execute(() -> {
                interrupted.set(Thread.currentThread().isInterrupted());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(interrupted.get()).isFalse();
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeInterruptsRunningTasksWaitsForThemAndRefusesNewWork()
            throws Exception
    {
        WorkerPool pool = WorkerPool.start(2, 5);
        CountDownLatch started = new CountDownLatch(2);
        CountDownLatch interrupted = new CountDownLatch(2);
        AtomicInteger queuedRan = new AtomicInteger();
        for (int i = 0; i < 2; i++) {
            pool.executor().execute(() -> {
                started.countDown();
                try {
                    Thread.sleep(TimeUnit.MINUTES.toMillis(5));
                }
                catch (InterruptedException e) {
                    interrupted.countDown();
                }
            });
        }
        pool.executor().execute(queuedRan::incrementAndGet);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        pool.close();
        assertThat(interrupted.await(0, TimeUnit.SECONDS)).isTrue();
        assertThat(pool.executor().isTerminated()).isTrue();
        assertThat(pool.threadCount()).isZero();
        assertThat(queuedRan.get()).as("a queued task is dropped on close").isZero();
        assertThatThrownBy(() -> pool.executor().execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void closeEndsIdleThreads()
            throws Exception
    {
        WorkerPool pool = WorkerPool.start(4, 0);
        CountDownLatch ran = new CountDownLatch(1);
        pool.executor().execute(ran::countDown);
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
        pool.close();
        assertThat(pool.executor().isTerminated()).isTrue();
        assertThat(pool.threadCount()).isZero();
    }

    private static boolean isIdleIn(LifoThreadPool pool, Thread thread)
    {
        return thread.getState() == Thread.State.TIMED_WAITING && LockSupport.getBlocker(thread) == pool;
    }

    private static void awaitQuietly(CountDownLatch latch)
    {
        try {
            latch.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(BooleanSupplier condition, Duration limit)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
    }
}
