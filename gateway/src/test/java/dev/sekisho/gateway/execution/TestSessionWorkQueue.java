package dev.sekisho.gateway.execution;

import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Scheduling of one session's requests, with the worker pool run by hand. */
class TestSessionWorkQueue
{
    private final Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults());
    private final ClientSession session = sessions.open(new Principal("alice", Set.of(), Map.of()), Optional.empty(), Map.of());
    private final ManualExecutor workers = new ManualExecutor();
    private final ManualExecutor holders = new ManualExecutor();
    private final RecordingWorker worker = new RecordingWorker();
    private final RecordingTransport transport = new RecordingTransport();
    private final SessionWorkQueue<String> queue = new SessionWorkQueue<>(session, workers, holders, worker, transport);

    @Test
    void requestsAreHandledInOrderByOneTaskAtATime()
    {
        queue.add("parse");
        queue.add("bind");
        queue.add("execute");
        assertThat(workers.tasks).hasSize(1);
        workers.runAll();
        assertThat(worker.handled).containsExactly("parse", "bind", "execute");
        assertThat(transport.events).containsOnly("resume reading");
    }

    @Test
    void aPipelinedBatchIsOneHandOffEvenWhenTheWorkerIsFaster()
    {
        // one at a time, a worker that finishes before the next request arrives needs a task per request
        queue.add("parse");
        workers.runAll();
        queue.add("bind");
        assertThat(workers.tasks).hasSize(1);
        workers.runAll();
        // a batch that arrived in one read is one task
        queue.addAll(List.of("parse", "bind", "describe", "execute", "sync"));
        assertThat(workers.tasks).hasSize(1);
        workers.runAll();
        assertThat(worker.handled).containsExactly("parse", "bind", "parse", "bind", "describe", "execute", "sync");
        assertThat(workers.tasks).isEmpty();
    }

    @Test
    void aPausedRequestGoesOnWhenTheClientCatchesUp()
    {
        worker.pauseOn = "execute";
        transport.writable = false;
        queue.add("execute");
        queue.add("sync");
        workers.runAll();
        assertThat(worker.handled).containsExactly("execute");
        // nothing runs while the client does not read, whatever arrives
        queue.add("parse");
        assertThat(workers.tasks).isEmpty();

        transport.writable = true;
        queue.writable();
        workers.runAll();
        assertThat(worker.handled).containsExactly("execute", "resume", "sync", "parse");
    }

    @Test
    void theSessionIsIdleOnlyWhenNothingIsQueuedRunningOrPaused()
    {
        // what lets the event loop answer a result-cache hit itself: only then can no earlier request still be on its way
        assertThat(queue.isIdle()).isTrue();
        queue.add("bind");
        assertThat(queue.isIdle()).as("queued").isFalse();
        List<Boolean> idleWhileRunning = new ArrayList<>();
        AtomicReference<SessionWorkQueue<String>> self = new AtomicReference<>();
        SessionWorkQueue<String> observed = new SessionWorkQueue<>(session, workers, holders, new SessionWorkQueue.Worker<>()
        {
            @Override
            public boolean handle(String request)
            {
                worker.handle(request);
                idleWhileRunning.add(self.get().isIdle());
                return true;
            }

            @Override
            public boolean resume()
            {
                return true;
            }
        }, transport);
        self.set(observed);
        workers.runAll();
        assertThat(queue.isIdle()).isTrue();
        observed.add("execute");
        workers.runAll();
        assertThat(idleWhileRunning).containsExactly(false);
        assertThat(observed.isIdle()).isTrue();

        worker.pauseOn = "execute";
        transport.writable = false;
        queue.add("execute");
        workers.runAll();
        assertThat(queue.isIdle()).as("paused for a client that does not read").isFalse();
        transport.writable = true;
        queue.writable();
        assertThat(queue.isIdle()).as("resuming").isFalse();
        workers.runAll();
        assertThat(queue.isIdle()).isTrue();
        queue.close();
        assertThat(queue.isIdle()).as("closed").isFalse();
    }

    @Test
    void manyWaitingRequestsStopReadingUntilFewAreLeft()
    {
        for (int i = 0; i < 256; i++) {
            queue.add("request " + i);
        }
        assertThat(transport.events).containsExactly("pause reading");
        workers.runAll();
        assertThat(worker.handled).hasSize(256);
        assertThat(transport.events).contains("resume reading");
    }

    @Test
    void aSaturatedPoolTellsTheClientAndEndsTheSession()
    {
        workers.rejecting = true;
        queue.add("query");
        assertThat(transport.events).containsExactly("rejected");
        assertThat(sessions.size()).isZero();
        workers.rejecting = false;
        queue.add("query");
        assertThat(workers.tasks).isEmpty();
        assertThat(worker.handled).isEmpty();
    }

    @Test
    void aFailureOfTheWorkerClosesTheConnectionNotTheQueue()
    {
        worker.failOn = "bad";
        queue.add("bad");
        queue.add("next");
        workers.runAll();
        assertThat(transport.events).contains("failed bad");
        assertThat(worker.handled).containsExactly("bad", "next");
    }

    @Test
    void aClosedConnectionDropsWhatWaitsAndClosesTheSessionOnAWorker()
    {
        queue.add("query");
        queue.close();
        assertThat(sessions.size()).isEqualTo(1);
        workers.runAll();
        assertThat(worker.handled).isEmpty();
        assertThat(sessions.size()).isZero();
    }

    @Test
    void anIdleSessionWhoseClientLeftIsClosedWithoutWaitingForAWorker()
    {
        queue.add("query");
        workers.runAll();
        // every worker is now busy elsewhere (say, waiting for a source connection this session holds)
        queue.close();
        assertThat(workers.tasks).isEmpty();
        assertThat(sessions.size()).isEqualTo(1);
        holders.runAll();
        assertThat(sessions.size()).isZero();
        assertThat(worker.handled).containsExactly("query");
    }

    @Test
    void aSessionPausedForAClientThatLeftIsClosedWithoutWaitingForAWorker()
    {
        worker.pauseOn = "execute";
        transport.writable = false;
        queue.add("execute");
        workers.runAll();
        queue.close();
        assertThat(workers.tasks).isEmpty();
        holders.runAll();
        assertThat(sessions.size()).isZero();
        // the paused request is not resumed for a client that is gone
        assertThat(worker.handled).containsExactly("execute");
    }

    /**
     * With nothing waiting, the session's task reads ahead while the worker says it may have
     * something to read and it keeps finding more; a worker that has nothing to read ahead is not
     * asked: its task ends after its last request.
     */
    @Test
    void aWorkerWaitingForItsSourceIsWokenAfterThePauseItAskedFor()
    {
        worker.pauseNanos = 50_000;
        queue.add("execute");
        workers.runAll();
        assertThat(worker.readAheads).as("read ahead once after the request").isEqualTo(1);
        assertThat(transport.events).filteredOn(event -> event.startsWith("timer")).containsExactly("timer 50000");
        assertThat(queue.isIdle()).as("the session waits for its source without a task").isTrue();

        transport.fireTimers();
        assertThat(workers.tasks).as("the pause is over: the task reads ahead again").hasSize(1);
        worker.pauseNanos = 0;
        workers.runAll();
        assertThat(worker.readAheads).isEqualTo(2);
        assertThat(transport.timers).as("nothing to wait for: no timer").isEmpty();

        // a request that comes before the pause is over runs the task itself; the timer then adds nothing
        worker.pauseNanos = 100_000;
        queue.add("sync");
        workers.runAll();
        queue.add("execute");
        transport.fireTimers();
        assertThat(workers.tasks).as("one task for the request, none more for the timer").hasSize(1);
        workers.runAll();
        assertThat(worker.handled).containsExactly("execute", "sync", "execute");

        // nothing to read ahead any more (the portal closed): the timer wakes nothing
        worker.mayReadAhead = false;
        transport.fireTimers();
        assertThat(workers.tasks).isEmpty();

        // a closed session is not woken
        worker.mayReadAhead = true;
        queue.add("execute");
        workers.runAll();
        queue.close();
        holders.runAll();
        transport.fireTimers();
        assertThat(workers.tasks).isEmpty();
    }

    @Test
    void theTaskReadsAheadOnlyWhileTheWorkerMayHaveSomethingToRead()
    {
        worker.readAheadChunks = 2;
        queue.addAll(List.of("bind", "execute", "sync"));
        workers.runAll();
        assertThat(worker.handled).containsExactly("bind", "execute", "sync");
        assertThat(worker.readAheads).as("twice more, then nothing more").isEqualTo(3);
        assertThat(workers.tasks).isEmpty();
        assertThat(queue.isIdle()).isTrue();

        worker.mayReadAhead = false;
        worker.readAheadChunks = 2;
        queue.addAll(List.of("bind", "execute", "sync"));
        workers.runAll();
        assertThat(worker.handled).containsExactly("bind", "execute", "sync", "bind", "execute", "sync");
        assertThat(worker.readAheads).as("nothing to read ahead: not asked").isEqualTo(3);
        assertThat(queue.isIdle()).isTrue();
        assertThat(transport.events).containsOnly("resume reading");
    }

    private static final class ManualExecutor
            implements Executor
    {
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private boolean rejecting;

        @Override
        public void execute(Runnable task)
        {
            if (rejecting) {
                throw new RejectedExecutionException("saturated");
            }
            tasks.add(task);
        }

        void runAll()
        {
            while (!tasks.isEmpty()) {
                tasks.poll().run();
            }
        }
    }

    private static final class RecordingWorker
            implements SessionWorkQueue.Worker<String>
    {
        private final List<String> handled = new ArrayList<>();
        private String pauseOn;
        private String failOn;
        /** How many more times {@link #readAhead()} finds more to read. */
        private int readAheadChunks;
        private boolean mayReadAhead = true;
        private int readAheads;
        /** What {@link #readAheadPauseNanos()} answers. */
        private long pauseNanos;

        @Override
        public boolean handle(String request)
        {
            handled.add(request);
            if (request.equals(failOn)) {
                throw new IllegalStateException(request);
            }
            return !request.equals(pauseOn);
        }

        @Override
        public boolean resume()
        {
            handled.add("resume");
            return true;
        }

        @Override
        public boolean readAhead()
        {
            readAheads++;
            return readAheadChunks-- > 0;
        }

        @Override
        public boolean mayReadAhead()
        {
            return mayReadAhead;
        }

        @Override
        public long readAheadPauseNanos()
        {
            return pauseNanos;
        }
    }

    private static final class RecordingTransport
            implements SessionWorkQueue.Transport
    {
        private final List<String> events = new ArrayList<>();
        private final List<Runnable> timers = new ArrayList<>();
        private boolean writable = true;

        void fireTimers()
        {
            List<Runnable> due = List.copyOf(timers);
            timers.clear();
            due.forEach(Runnable::run);
        }

        @Override
        public boolean isWritable()
        {
            return writable;
        }

        @Override
        public void pauseReading()
        {
            if (!events.contains("pause reading")) {
                events.add("pause reading");
            }
        }

        @Override
        public void resumeReading()
        {
            events.add("resume reading");
        }

        @Override
        public void rejected()
        {
            events.add("rejected");
        }

        @Override
        public void failed(Throwable failure)
        {
            events.add("failed " + failure.getMessage());
        }

        @Override
        public void schedule(Runnable task, long nanos)
        {
            events.add("timer " + nanos);
            timers.add(task);
        }
    }
}
