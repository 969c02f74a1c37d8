package dev.sekisho.gateway.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class TestAuditLog
{
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T10:00:00Z"), ZoneOffset.UTC);

    /** A disk that does not answer until the test lets it: the writer thread hangs in write(). */
    private static final class StalledWriter
            implements AuditWriter
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> lines = new ArrayList<>();
        boolean flushed;

        @Override
        public void write(String line)
        {
            entered.countDown();
            try {
                release.await();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (lines) {
                lines.add(line);
            }
        }

        @Override
        public void flush()
        {
            flushed = true;
        }

        @Override
        public void close() {}
    }

    @Test
    void stalledDiskNeverBlocksRecordingAndDropsAreCountedAndReported()
            throws Exception
    {
        StalledWriter writer = new StalledWriter();
        AuditLog log = AuditLog.start(writer, 10, CLOCK);
        log.record(login("first"));
        writer.entered.await();
        // the writer thread is stuck in write(); 1,000 more events must not wait for it
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            for (int i = 0; i < 1000; i++) {
                log.record(login("user" + i));
            }
        });
        assertThat(log.queued()).isEqualTo(10);
        assertThat(log.dropped()).isEqualTo(990);

        writer.release.countDown();
        log.close();
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : writer.lines) {
            events.add(json.readTree(line));
        }
        assertThat(events).hasSize(1 + 10 + 1);
        assertThat(events.get(0).get("user").asText()).isEqualTo("first");
        JsonNode dropped = events.stream().filter(event -> event.get("type").asText().equals("dropped")).findFirst().orElseThrow();
        assertThat(dropped.get("count").asLong()).isEqualTo(990);
        assertThat(writer.flushed).isTrue();
    }

    /** A disk that records how many lines it held at each flush. */
    private static final class CountingWriter
            implements AuditWriter
    {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Integer> linesAtFlush = new CopyOnWriteArrayList<>();

        @Override
        public void write(String line)
        {
            lines.add(line);
        }

        @Override
        public void flush()
        {
            linesAtFlush.add(lines.size());
        }

        @Override
        public void close() {}
    }

    @Test
    void eventsOfStatementsRunningTogetherAreWrittenWithOneWakeUpAndOneFlush()
            throws Exception
    {
        CountingWriter writer = new CountingWriter();
        // a long window, so that the test does not depend on the machine's speed
        AuditLog log = AuditLog.start(writer, 100, CLOCK, Duration.ofSeconds(2));
        try {
            for (int i = 0; i < 5; i++) {
                log.record(login("user" + i));
                Thread.sleep(20);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!writer.linesAtFlush.contains(5) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(writer.lines).hasSize(5);
            assertThat(writer.lines.get(4)).contains("\"user\":\"user4\"");
            // woken by the first, the writer waited for the others: they went out together, with no flush in between
            assertThat(writer.linesAtFlush).contains(5).isSubsetOf(0, 5);
        }
        finally {
            log.close();
        }
    }

    @Test
    void closeWritesEverythingQueuedAndEventsAfterCloseAreCounted()
            throws IOException
    {
        Path dir = Files.createTempDirectory("sekisho-audit-test");
        Path file = dir.resolve("audit.jsonl");
        AuditLog log = AuditLog.start(new RotatingAuditFile(file, 1 << 20, 0, CLOCK), 10_000, CLOCK);
        for (int i = 0; i < 500; i++) {
            log.record(login("user" + i));
        }
        log.close();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(500);
        assertThat(lines.get(499)).contains("\"user\":\"user499\"");
        log.record(login("late"));
        assertThat(log.dropped()).isEqualTo(1);
    }

    @Test
    void fieldsNotYetKnownAreWrittenAsNull()
    {
        AuditEvent.Statement statement = new AuditEvent.Statement("ignored", CLOCK.instant(), 7, "alice", null, List.of("analysts"), "analysts",
                "psql", "127.0.0.1:5000", "postgres", null, "SELECT 1", "0123456789abcdef", "select ?", "query", List.of(), List.of(), List.of(),
                null, null, null, null, null, null, 3, 1, "ok", null);
        String line = AuditLog.toJson(statement);
        assertThat(line).startsWith("{\"type\":\"statement\",\"time\":\"2026-12-05T10:00:00Z\"")
                .contains("\"estimated_bytes\":null", "\"cache_hit\":null", "\"resource_group\":null", "\"queue_wait_millis\":null",
                        "\"session_id\":7", "\"duration_millis\":3", "\"sql_state\":null");
    }

    private static AuditEvent login(String user)
    {
        return new AuditEvent.Login("login", CLOCK.instant(), user, "postgres", "127.0.0.1:1", true, 1, null, null);
    }
}
