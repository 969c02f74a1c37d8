package dev.sekisho.gateway.report;

import dev.sekisho.gateway.report.AuditReader.StatementRecord;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * Usage over a period, from the audit trail's statements: per group (team, user, table or
 * digest) the statements, distinct users, refused ones, rows, time, bytes billed and bytes avoided
 * (cache hits and refused statements, by their estimate), and the share read from replicas; then
 * the costliest digests and the tables not read within the period. Bytes are "unknown" while no
 * source reports them (BigQuery and the cost guard fill them).
 *
 * <p>Session housekeeping (SET, RESET, SHOW, DISCARD, DEALLOCATE, BEGIN/COMMIT/ROLLBACK and
 * savepoints, empty statements) is left out unless asked for: drivers and pools send it on their
 * own (pgjdbc's {@code SET application_name}, a pool's {@code DISCARD ALL}), it never reaches a
 * source, and counting it would make a team that reconnects often look busier than one that
 * queries more.
 */
public final class UsageReport
{
    /** What the report groups by. */
    public enum By
    {
        TEAM, USER, TABLE, DIGEST
    }

    /** One group's figures. */
    public record Row(String key, long statements, long users, long refused, long failed, long rows, long durationMillis, Long bytesBilled,
            Long bytesAvoided, Double replicaShare)
    {
    }

    /** A costly statement shape. */
    public record Digest(String digest, String normalizedSql, long statements, long durationMillis, Long bytesBilled) {}

    /** The whole report. */
    /**
     * The whole report.
     *
     * @param sessionStatementsLeftOut session housekeeping statements in the period that the figures leave out (0 when included)
     */
    public record Report(Instant from, Instant to, By by, List<Row> rows, List<Digest> topDigests, List<String> unreadTables, int unreadableLines,
            long sessionStatementsLeftOut)
    {
    }

    /** The role the sources give their primary server; every other known role reads from a replica. */
    private static final String PRIMARY = "primary";
    /** The audit trail's kinds of session housekeeping: answered by the gateway, never sent to a source. */
    private static final Set<String> SESSION_KINDS = Set.of("set", "reset", "show", "discard", "deallocate", "begin", "commit", "rollback", "savepoint",
            "release", "rollback_to", "empty");

    private UsageReport() {}

    /** The report without session housekeeping. */
    public static Report of(AuditReader.Contents contents, Instant now, Duration since, By by, int topDigests)
    {
        return of(contents, now, since, by, topDigests, false);
    }

    /** @param sessionStatements whether to count session housekeeping (SET, SHOW, BEGIN, ...) too */
    public static Report of(AuditReader.Contents contents, Instant now, Duration since, By by, int topDigests, boolean sessionStatements)
    {
        requireNonNull(contents, "contents is null");
        Instant from = now.minus(since);
        List<StatementRecord> period = contents.statements().stream().filter(s -> !s.time().isBefore(from) && !s.time().isAfter(now)).toList();
        List<StatementRecord> inPeriod = sessionStatements ? period : period.stream().filter(s -> !isSessionStatement(s)).toList();

        Map<String, List<StatementRecord>> groups = new TreeMap<>();
        for (StatementRecord statement : inPeriod) {
            for (String key : keys(statement, by)) {
                groups.computeIfAbsent(key, ignored -> new ArrayList<>()).add(statement);
            }
        }
        List<Row> rows = new ArrayList<>();
        groups.forEach((key, statements) -> rows.add(row(key, statements)));

        Map<String, List<StatementRecord>> byDigest = new HashMap<>();
        inPeriod.stream().filter(s -> !s.digest().isEmpty()).forEach(s -> byDigest.computeIfAbsent(s.digest(), ignored -> new ArrayList<>()).add(s));
        List<Digest> digests = byDigest.values().stream()
                .map(list -> new Digest(list.get(0).digest(), list.get(0).normalizedSql(), list.size(), list.stream().mapToLong(StatementRecord::durationMillis).sum(),
                        sumKnown(list, StatementRecord::actualBytes)))
                .sorted(Comparator.comparing((Digest d) -> d.bytesBilled() == null ? -1 : d.bytesBilled()).reversed()
                        .thenComparing(Comparator.comparingLong(Digest::durationMillis).reversed())
                        .thenComparing(Digest::digest))
                .limit(topDigests)
                .toList();

        Set<String> everRead = new HashSet<>();
        contents.statements().forEach(s -> everRead.addAll(s.tables()));
        Set<String> readInPeriod = new HashSet<>();
        inPeriod.forEach(s -> readInPeriod.addAll(s.tables()));
        List<String> unread = everRead.stream().filter(table -> !readInPeriod.contains(table)).sorted().toList();
        return new Report(from, now, by, rows, digests, unread, contents.unreadableLines(), period.size() - inPeriod.size());
    }

    /** Whether a statement is session housekeeping: a setting, a transaction command, an empty statement. */
    public static boolean isSessionStatement(StatementRecord statement)
    {
        return SESSION_KINDS.contains(statement.kind());
    }

    private static List<String> keys(StatementRecord statement, By by)
    {
        return switch (by) {
            case TEAM -> List.of(statement.team());
            case USER -> List.of(statement.user());
            case DIGEST -> List.of(statement.digest().isEmpty() ? "(none)" : statement.digest());
            case TABLE -> statement.tables().isEmpty() ? List.of("(no table)") : statement.tables();
        };
    }

    private static Row row(String key, List<StatementRecord> statements)
    {
        long users = statements.stream().map(StatementRecord::user).distinct().count();
        long refused = statements.stream().filter(s -> s.outcome().equals("refused")).count();
        long failed = statements.stream().filter(s -> s.outcome().equals("failed") || s.outcome().equals("cancelled")).count();
        long rows = statements.stream().mapToLong(StatementRecord::rows).sum();
        long duration = statements.stream().mapToLong(StatementRecord::durationMillis).sum();
        Long billed = sumKnown(statements, StatementRecord::actualBytes);
        Long avoided = sumKnown(statements.stream()
                .filter(s -> s.outcome().equals("refused") || Boolean.TRUE.equals(s.cacheHit()))
                .toList(), StatementRecord::estimatedBytes);
        // statements whose every routed source says which role its server has; lines that do not say are left out of the share
        List<StatementRecord> routedStatements = statements.stream()
                .filter(s -> !s.serverRoles().isEmpty() && s.serverRoles().stream().noneMatch(String::isEmpty))
                .toList();
        long routed = routedStatements.size();
        long onReplicas = routedStatements.stream().filter(s -> s.serverRoles().stream().noneMatch(PRIMARY::equals)).count();
        Double replicaShare = routed == 0 ? null : (double) onReplicas / routed;
        return new Row(key, statements.size(), users, refused, failed, rows, duration, billed, avoided, replicaShare);
    }

    /** The sum of the known values; null when none is known (not zero: unknown is not free). */
    private static Long sumKnown(List<StatementRecord> statements, Function<StatementRecord, Long> value)
    {
        Long sum = null;
        for (StatementRecord statement : statements) {
            Long v = value.apply(statement);
            if (v != null) {
                sum = (sum == null ? 0 : sum) + v;
            }
        }
        return sum;
    }
}
