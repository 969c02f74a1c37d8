package dev.sekisho.gateway.audit;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestRotatingAuditFile
{
    /** A clock the test moves. */
    private static final class MovingClock
            extends Clock
    {
        Instant now = Instant.parse("2026-12-05T23:59:00Z");

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }
    }

    @Test
    void rotatesBySizeAndByDayAndKeepsTheNewestFiles()
            throws IOException
    {
        Path dir = Files.createTempDirectory("sekisho-rotation-test");
        Path file = dir.resolve("audit.jsonl");
        MovingClock clock = new MovingClock();
        RotatingAuditFile audit = new RotatingAuditFile(file, 25, 3, clock);
        audit.write("0123456789");   // 11 bytes
        audit.write("0123456789");   // 22 bytes
        audit.write("abcdefghij");   // would be 33: rotated first
        clock.now = Instant.parse("2026-12-06T00:01:00Z");
        audit.write("next day");     // a new day: rotated although small
        audit.flush();
        assertThat(RotatingAuditFile.files(file)).extracting(path -> path.getFileName().toString())
                .containsExactly("audit-2026-12-05-1.jsonl", "audit-2026-12-05-2.jsonl", "audit.jsonl");
        assertThat(Files.readAllLines(dir.resolve("audit-2026-12-05-2.jsonl"))).containsExactly("abcdefghij");
        assertThat(Files.readAllLines(file)).containsExactly("next day");

        for (int i = 0; i < 20; i++) {
            audit.write("line number " + i + "....");
        }
        audit.close();
        List<Path> files = RotatingAuditFile.files(file);
        assertThat(files).hasSize(4);
        assertThat(files.get(files.size() - 1)).isEqualTo(file.toAbsolutePath());
        assertThat(files.get(0).getFileName().toString()).startsWith("audit-2026-12-06-");
    }

    @Test
    void appendsToAnExistingFileAfterARestart()
            throws IOException
    {
        Path file = Files.createTempDirectory("sekisho-rotation-test").resolve("audit.jsonl");
        MovingClock clock = new MovingClock();
        try (RotatingAuditFile audit = new RotatingAuditFile(file, 1000, 0, clock)) {
            audit.write("before");
        }
        // the file was written on the clock's day, whatever day the machine's clock says it is
        Files.setLastModifiedTime(file, FileTime.from(clock.now));
        try (RotatingAuditFile audit = new RotatingAuditFile(file, 1000, 0, clock)) {
            audit.write("after");
        }
        assertThat(Files.readAllLines(file)).containsExactly("before", "after");
    }
}
