package dev.sekisho.gateway.execution;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * One session's work on the shared worker pool: the requests a front door receives (for the
 * Postgres wire protocol, its messages) are handled one at a time, in the order they came, so that
 * replies stay in order; the front door's I/O thread only queues them and never blocks.
 *
 * <p>Flow control both ways: while many requests wait, the front door stops reading
 * ({@link Transport#pauseReading()}); a request whose output the client does not take fast enough
 * pauses ({@link Worker} returns false) and goes on, on a worker again, once {@link #writable()}
 * says the client caught up. A statement that waits for admission in its resource group's queue
 * pauses the same way and goes on once it is admitted or refused. No thread waits in between.
 *
 * <p>When the pool refuses work the client is told ({@link Transport#rejected()}) and the session
 * ends; when the connection goes ({@link #close()}), what the session runs is cancelled and the
 * session is closed: by the worker running its request, or, when none runs, by a closer thread
 * that does not wait behind other sessions' work — never on the I/O thread.
 *
 * @param <T> a request, as the front door decoded it
 */
public final class SessionWorkQueue<T>
{
    private static final Logger log = LoggerFactory.getLogger(SessionWorkQueue.class);
    /** Requests waiting when reading stops, and when it starts again. */
    private static final int QUEUE_HIGH = 256;
    private static final int QUEUE_LOW = 32;

    /** Handles the session's requests: the front door's protocol logic. Called on a worker, one call at a time. */
    public interface Worker<T>
    {
        /** Handles one request; false when it paused because the client is not taking output ({@link #resume()} continues it). */
        boolean handle(T request);

        /** Continues the paused request; false when it paused again. */
        boolean resume();

        /** The session is closed (called once, when no request runs): drop what is held for the client and was not sent. */
        default void closed() {}

        /**
         * Nothing waits: does a little of what the client will ask for next (reads ahead a
         * suspended portal's rows, {@link PortalReadAhead}), briefly, so that a request that
         * arrives meanwhile waits little. Never called while a request is paused.
         *
         * @return whether there is more to do (it is called again unless a request arrived)
         */
        default boolean readAhead()
        {
            return false;
        }

        /**
         * Whether {@link #readAhead()} may have something to do now (false: it would return false
         * at once, doing nothing). Called with the queue locked, so it only reads the worker's state:
         * when false, the session's task ends without calling {@link #readAhead()} and locking again.
         */
        default boolean mayReadAhead()
        {
            return true;
        }

        /**
         * After {@link #readAhead()} returned false: in how many nanoseconds it may find something
         * to read again (a source that had not delivered its next row yet), so the session's task
         * is woken then if no request came meanwhile; 0 (the default) when nothing is to be read
         * until a request comes. Called with the queue locked, so it only reads the worker's state.
         */
        default long readAheadPauseNanos()
        {
            return 0;
        }
    }

    /** The connection under the session, as far as scheduling needs it. */
    public interface Transport
    {
        /** Whether the client takes output now (a paused request goes on only then). */
        boolean isWritable();

        /** Stop reading requests: many are waiting. */
        void pauseReading();

        /** Read requests again (nothing happens if reading goes on already). */
        void resumeReading();

        /** The worker pool refused the session's work: tell the client the gateway is too busy, and close. */
        void rejected();

        /** Handling a request failed in a way that is not a statement's failure: close the connection. */
        void failed(Throwable failure);

        /** Runs {@code task} once after {@code nanos}, on a timer that never blocks (the connection's I/O thread). */
        void schedule(Runnable task, long nanos);
    }

    private final ClientSession session;
    private final Executor workers;
    private final Executor holders;
    private final Worker<T> worker;
    private final Transport transport;
    /** The session's task on each pool, made once rather than per hand-off. */
    private final Runnable drainOnWorker = () -> drain(false);
    private final Runnable drainOnHolder = () -> drain(true);
    /** Wakes the session's task to read ahead again, unless it runs or has ended meanwhile. */
    private final Runnable readAheadAgain = this::readAheadAgain;

    // guarded by lock: the waiting requests and the state of the session's task
    private final Object lock = new Object();
    private final Queue<T> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean waitingForWritable;
    private boolean waitingForAdmission;
    private boolean closed;
    private boolean cleanedUp;
    /** The last request paused; written by the task, read by the next task (after the lock). */
    private boolean paused;

    /**
     * @param holders runs the session's work while it holds source connections, and its close when
     *         the client leaves while none of its requests runs or waits (see {@link SourceHolderThreads})
     */
    public SessionWorkQueue(ClientSession session, Executor workers, Executor holders, Worker<T> worker, Transport transport)
    {
        this.session = requireNonNull(session, "session is null");
        this.workers = requireNonNull(workers, "workers is null");
        this.holders = requireNonNull(holders, "holders is null");
        this.worker = requireNonNull(worker, "worker is null");
        this.transport = requireNonNull(transport, "transport is null");
    }

    /** Queues a request; a worker handles it after those before it. Cheap: call from the I/O thread. */
    public void add(T request)
    {
        synchronized (lock) {
            if (closed) {
                return;
            }
            queue.add(request);
            if (queue.size() >= QUEUE_HIGH) {
                transport.pauseReading();
            }
            scheduleLocked();
        }
    }

    /**
     * Queues requests that arrived together (a client's pipelined batch, e.g. pgjdbc's
     * Parse/Bind/Describe/Execute/Sync in one packet): one hand-off to a worker for all of them
     * rather than one per request, and no worker finishing early and waiting to be woken again.
     */
    public void addAll(List<T> requests)
    {
        synchronized (lock) {
            if (closed) {
                return;
            }
            queue.addAll(requests);
            if (queue.size() >= QUEUE_HIGH) {
                transport.pauseReading();
            }
            scheduleLocked();
        }
    }

    /**
     * Whether nothing of the session is queued, running, paused or waiting: a request handled now
     * on the calling thread (the front door's I/O thread, the only one that adds requests) comes
     * after every earlier one, and no worker touches the session meanwhile.
     */
    public boolean isIdle()
    {
        synchronized (lock) {
            return !scheduled && queue.isEmpty() && !waitingForWritable && !waitingForAdmission && !closed;
        }
    }

    /** The client takes output again: a paused request goes on. */
    public void writable()
    {
        synchronized (lock) {
            if (waitingForWritable) {
                waitingForWritable = false;
                scheduleLocked();
            }
        }
    }

    /** The admission the paused request waited for completed: it goes on. */
    private void admitted()
    {
        synchronized (lock) {
            if (waitingForAdmission) {
                waitingForAdmission = false;
                scheduleLocked();
            }
        }
    }

    /**
     * The connection is gone: waiting requests are dropped, what the session runs at its sources is
     * cancelled, and the session is closed once no request runs (on a worker: closing may wait on a
     * source).
     */
    public void close()
    {
        synchronized (lock) {
            closed = true;
            queue.clear();
            // unblocks a worker waiting on the source; the streams are closed by cleanup
            session.terminate();
            if (!scheduled) {
                // nothing of this session runs or waits for a worker (a paused request waits for the
                // client, which is gone): close now, not behind other sessions' work that may be
                // waiting for the very source connections this session holds
                waitingForWritable = false;
                waitingForAdmission = false;
                scheduled = true;
                try {
                    holders.execute(drainOnHolder);
                }
                catch (RejectedExecutionException e) {
                    scheduled = false;
                    cleanUpLocked();
                }
            }
        }
    }

    private void scheduleLocked()
    {
        if (scheduled || waitingForWritable || waitingForAdmission) {
            return;
        }
        scheduled = true;
        try {
            // a session holding source connections goes on without waiting for a worker: workers
            // may all be waiting for the connections it holds (SourceHolderThreads)
            if (session.holdsSourceConnections()) {
                holders.execute(drainOnHolder);
            }
            else {
                workers.execute(drainOnWorker);
            }
        }
        catch (RejectedExecutionException e) {
            scheduled = false;
            closed = true;
            queue.clear();
            transport.rejected();
            cleanUpLocked();
        }
    }

    /**
     * Handles waiting requests in order until none is left or one pauses for backpressure.
     *
     * @param holderThread whether this runs on a {@link SourceHolderThreads} thread: once the
     *         session holds nothing at its sources, its next request goes back to the worker pool
     */
    private void drain(boolean holderThread)
    {
        // whether the worker had nothing more to read ahead since the last request it handled
        boolean readAheadDone = false;
        while (true) {
            T request;
            boolean resume;
            synchronized (lock) {
                if (closed) {
                    scheduled = false;
                    cleanUpLocked();
                    return;
                }
                if (holderThread && !paused && !queue.isEmpty() && !session.holdsSourceConnections()) {
                    scheduled = false;
                    scheduleLocked();
                    return;
                }
                resume = paused;
                request = resume ? null : queue.poll();
                if (!resume && request == null && (readAheadDone || !worker.mayReadAhead())) {
                    scheduled = false;
                    transport.resumeReading();
                    long pause = readAheadDone ? worker.readAheadPauseNanos() : 0;
                    if (pause > 0) {
                        transport.schedule(readAheadAgain, pause);
                    }
                    return;
                }
                if (queue.size() <= QUEUE_LOW) {
                    transport.resumeReading();
                }
            }
            if (!resume && request == null) {
                // nothing waits: the session's task reads ahead a little, then looks for a request again
                // (the task stays scheduled meanwhile, so a request that arrives is queued behind it, in order)
                try {
                    readAheadDone = !worker.readAhead();
                }
                catch (RuntimeException | Error e) {
                    transport.failed(e);
                    readAheadDone = true;
                }
                continue;
            }
            readAheadDone = false;
            boolean finished;
            try {
                finished = resume ? worker.resume() : worker.handle(request);
            }
            catch (RuntimeException | Error e) {
                // the worker turns every statement's failure into an error for the client; this is a failure of the connection itself
                transport.failed(e);
                finished = true;
            }
            paused = !finished;
            if (!finished) {
                CompletableFuture<Admission.Permit> admission = session.pendingAdmission();
                synchronized (lock) {
                    scheduled = false;
                    if (closed) {
                        cleanUpLocked();
                        return;
                    }
                    if (admission != null) {
                        // waits in a resource group's queue without a thread; the session goes on when it is admitted
                        waitingForAdmission = true;
                    }
                    else if (transport.isWritable()) {
                        scheduleLocked();
                    }
                    else {
                        waitingForWritable = true;
                    }
                }
                if (admission != null) {
                    admission.whenComplete((permit, failure) -> admitted());
                }
                return;
            }
        }
    }

    /** The pause {@link Worker#readAheadPauseNanos()} asked for is over: the task runs to read ahead, if nothing else runs it already. */
    private void readAheadAgain()
    {
        synchronized (lock) {
            if (!closed && !scheduled && queue.isEmpty() && !paused && worker.mayReadAhead()) {
                scheduleLocked();
            }
        }
    }

    /** Closes the session (and with it every open result); runs once, when no request runs. */
    private void cleanUpLocked()
    {
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        try {
            worker.closed();
        }
        catch (RuntimeException e) {
            log.warn("Closing the session's output failed", e);
        }
        try {
            session.close();
        }
        catch (RuntimeException e) {
            log.warn("Closing session failed", e);
        }
    }
}
