package dev.sekisho.gateway.pgwire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.gateway.audit.AuditListener;
import dev.sekisho.gateway.audit.AuditLog;
import dev.sekisho.gateway.audit.AuditWriter;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.execution.Admission;
import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.sekisho.gateway.pgwire.TestingPgWire.query;
import static dev.sekisho.gateway.pgwire.TestingPgWire.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Statements through the wire answer at full speed while the audit trail's disk hangs: the audit
 * events they make are queued while there is room, then dropped and counted, and the count is
 * written when the disk comes back.
 */
class TestStalledAuditDisk
{
    private static final ScramVerifier PASSWORD = ScramVerifier.create("pw".toCharArray(), "0123456789abcdef".getBytes(StandardCharsets.UTF_8), 4096);

    /** A disk that hangs in write() until released. */
    private static final class StalledDisk
            implements AuditWriter
    {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> lines = new ArrayList<>();

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
        public void flush() {}

        @Override
        public void close() {}
    }

    @Test
    void statementsAnswerWhileTheAuditDiskHangs()
            throws Exception
    {
        StalledDisk disk = new StalledDisk();
        AuditLog log = AuditLog.start(disk, 8, Clock.systemUTC());
        AuditListener audit = new AuditListener(log::record, Clock.systemUTC(), Optional::empty);
        Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), new StatementPipeline(Admission.ADMIT_ALL, audit),
                Limits.NONE, audit);
        PgServer server = new PgServer(PgServerOptions.defaults(),
                UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of("analysts"), Map.of()), PASSWORD))), sessions,
                new TestingDirectExecutor());
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        try {
            TestingPgWire wire = new TestingPgWire(channel);
            wire.startup(Map.of("user", "alice", "database", "shop"));
            assertThat(types(wire.authenticate("pw"))).matches("RRS+KZ");
            // the login's event is being written: the writer thread now hangs in write()
            assertThat(disk.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 200; i++) {
                    wire.sendAll(query("select n from series(3)"));
                    assertThat(types(wire.read())).isEqualTo("TDDDCZ");
                }
            });
            assertThat(log.queued()).isEqualTo(8);
            assertThat(log.dropped()).isEqualTo(200 - 8);
        }
        finally {
            disk.release.countDown();
            log.close();
            channel.finishAndReleaseAll();
        }
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : disk.lines) {
            events.add(json.readTree(line));
        }
        // the login, then the count of the dropped events (written as soon as the disk answered again) and the eight
        // statements that found room in the queue
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly(
                "login", "dropped", "statement", "statement", "statement", "statement", "statement", "statement", "statement", "statement");
        assertThat(events.get(1).get("count").asLong()).isEqualTo(192);
    }
}
