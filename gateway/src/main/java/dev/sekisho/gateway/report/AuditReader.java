package dev.sekisho.gateway.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sekisho.gateway.audit.RotatingAuditFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the statement events of an audit trail: the current file and its rotated siblings. A line
 * that is not JSON (a crash mid-write) is counted and skipped, not fatal.
 */
public final class AuditReader
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One statement as the report needs it.
     *
     * @param kind the statement's kind as the audit trail names it ({@code query}, {@code set}, ...; empty in lines that lack it)
     * @param serverRoles the role of the server each routed source chose ({@code primary}, {@code replica}; empty when
     *        the line does not say, as lines written before roles were recorded)
     */
    public record StatementRecord(Instant time, String user, String team, String kind, String digest, String normalizedSql, List<String> tables,
            List<String> serverRoles, Long actualBytes, Long estimatedBytes, Boolean cacheHit, long durationMillis, long rows, String outcome)
    {
    }

    /** What was read: the statements and how many lines could not be read. */
    public record Contents(List<StatementRecord> statements, int unreadableLines, List<Path> files) {}

    private AuditReader() {}

    public static Contents read(Path auditFile)
    {
        List<Path> files = RotatingAuditFile.files(auditFile);
        List<StatementRecord> statements = new ArrayList<>();
        int unreadable = 0;
        for (Path file : files) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isBlank()) {
                        continue;
                    }
                    try {
                        JsonNode event = JSON.readTree(line);
                        if (event.path("type").asText().equals("statement")) {
                            statements.add(statement(event));
                        }
                    }
                    catch (IOException | DateTimeParseException e) {
                        unreadable++;
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot read the audit file " + file + ": " + e.getMessage(), e);
            }
        }
        return new Contents(statements, unreadable, files);
    }

    private static StatementRecord statement(JsonNode event)
    {
        List<String> tables = new ArrayList<>();
        event.path("tables").forEach(table -> tables.add(table.asText()));
        List<String> roles = new ArrayList<>();
        event.path("sources").forEach(source -> {
            if (source.hasNonNull("server")) {
                roles.add(source.path("role").asText(""));
            }
        });
        return new StatementRecord(Instant.parse(event.get("time").asText()), event.path("user").asText(), event.path("team").asText(event.path("user").asText()),
                event.path("kind").asText(""), event.path("digest").asText(""), event.path("normalized_sql").asText(""), tables, roles, longOrNull(event, "actual_bytes"),
                longOrNull(event, "estimated_bytes"), event.hasNonNull("cache_hit") ? event.get("cache_hit").asBoolean() : null,
                event.path("duration_millis").asLong(), event.path("rows").asLong(), event.path("outcome").asText("ok"));
    }

    private static Long longOrNull(JsonNode event, String field)
    {
        return event.hasNonNull(field) ? event.get(field).asLong() : null;
    }
}
