package dev.sekisho.gateway.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static java.util.Objects.requireNonNull;

/**
 * The audit trail's writer: {@link #record} puts an event in a bounded queue and returns at once,
 * on any thread (a worker, or a network event loop for logins); one daemon thread serialises the
 * events as JSON lines and writes them, flushing whenever the queue runs empty. Woken by an event,
 * the writer first lets the events of the statements running at the same time gather for
 * {@link #BATCH_WINDOW} and writes them together: under load it wakes once per window instead of
 * once per statement (a thread wake-up and a flush each). When the disk
 * cannot keep up and the queue is full, the event is dropped and counted ({@link #dropped()},
 * a metric, a warning, and a {@code dropped} line as soon as there is room): a statement never
 * waits for the audit trail, and nothing is lost silently. {@link #close} writes what is queued
 * and flushes (a clean shutdown loses nothing).
 */
public final class AuditLog
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            .build();

    /** How long the writer, woken by an event, waits for more before it writes: how much later a line reaches the disk at most. */
    static final Duration BATCH_WINDOW = Duration.ofMillis(5);

    private final BlockingQueue<AuditEvent> queue;
    private final long batchWindowNanos;
    private final AuditWriter writer;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private long droppedReported;
    private volatile boolean closed;

    private AuditLog(AuditWriter writer, int queueSize, Clock clock, Duration batchWindow)
    {
        this.batchWindowNanos = batchWindow.toNanos();
        this.writer = requireNonNull(writer, "writer is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.thread = new Thread(this::run, "sekisho-audit-writer");
        thread.setDaemon(true);
    }

    /** Starts the writer thread. */
    public static AuditLog start(AuditWriter writer, int queueSize, Clock clock)
    {
        return start(writer, queueSize, clock, BATCH_WINDOW);
    }

    /** Starts the writer thread, gathering events for {@code batchWindow} after each wake-up. */
    static AuditLog start(AuditWriter writer, int queueSize, Clock clock, Duration batchWindow)
    {
        AuditLog auditLog = new AuditLog(writer, queueSize, clock, requireNonNull(batchWindow, "batchWindow is null"));
        auditLog.thread.start();
        return auditLog;
    }

    /** Queues an event; never blocks. A full queue (or a closed log) drops it and counts the drop. */
    public void record(AuditEvent event)
    {
        if (closed || !queue.offer(event)) {
            long count = dropped.incrementAndGet();
            if (Long.bitCount(count) == 1) {
                // 1, 2, 4, 8, ...: enough to be seen in the log without flooding it
                log.warn("Audit events dropped: {} so far (the audit file's disk is not keeping up, or the queue is too small)", count);
            }
        }
    }

    /** Events dropped since the start. */
    public long dropped()
    {
        return dropped.get();
    }

    /** Events written since the start. */
    public long written()
    {
        return written.get();
    }

    /** Events waiting to be written. */
    public int queued()
    {
        return queue.size();
    }

    /** Events the writer could not write (the disk failed); they are counted as dropped too. */
    public long writeFailures()
    {
        return failures.get();
    }

    /** The JSON line of an event, as it is written. */
    public static String toJson(AuditEvent event)
    {
        try {
            return JSON.writeValueAsString(event);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("an audit event did not serialise", e);
        }
    }

    /** Reads back the JSON mapper's view of a line (for the usage report). */
    static ObjectMapper json()
    {
        return JSON;
    }

    private void run()
    {
        while (!closed || !queue.isEmpty()) {
            try {
                AuditEvent event = queue.poll(200, TimeUnit.MILLISECONDS);
                if (event != null) {
                    if (batchWindowNanos > 0 && !closed) {
                        // not waiting on the queue meanwhile, the writer is not woken by each event that arrives;
                        // an interrupt ends the wait early and stays set for the next poll
                        LockSupport.parkNanos(this, batchWindowNanos);
                    }
                    write(event);
                    reportDrops();
                    // what gathered meanwhile, one at a time: an event stays queued (and counted) until it is written
                    AuditEvent next;
                    while ((next = queue.poll()) != null) {
                        write(next);
                        reportDrops();
                    }
                }
                reportDrops();
                if (queue.isEmpty()) {
                    flush();
                }
            }
            catch (InterruptedException e) {
                // close() interrupts only to end a wait; the loop drains what is left
                Thread.currentThread().interrupt();
                drain();
                return;
            }
        }
        flush();
    }

    private void drain()
    {
        Thread.interrupted();
        AuditEvent event;
        while ((event = queue.poll()) != null) {
            write(event);
        }
        reportDrops();
        flush();
    }

    private void reportDrops()
    {
        long now = dropped.get();
        if (now > droppedReported) {
            long count = now - droppedReported;
            droppedReported = now;
            write(new AuditEvent.Dropped("dropped", clock.instant(), count));
        }
    }

    private void write(AuditEvent event)
    {
        try {
            writer.write(toJson(event));
            written.incrementAndGet();
        }
        catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            if (!(event instanceof AuditEvent.Dropped)) {
                dropped.incrementAndGet();
            }
            log.error("Writing the audit trail failed: {}", e.toString());
        }
    }

    private void flush()
    {
        try {
            writer.flush();
        }
        catch (IOException | RuntimeException e) {
            log.error("Flushing the audit trail failed: {}", e.toString());
        }
    }

    /** Stops accepting events, writes the queued ones, flushes and closes the writer. */
    @Override
    public void close()
    {
        closed = true;
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("The audit writer did not finish within 30 s; {} queued events are lost", queue.size());
        }
        try {
            writer.close();
        }
        catch (IOException e) {
            log.error("Closing the audit trail failed: {}", e.toString());
        }
    }
}
