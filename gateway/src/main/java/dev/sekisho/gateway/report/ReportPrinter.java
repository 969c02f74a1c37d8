package dev.sekisho.gateway.report;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints a {@link UsageReport.Report} as aligned text for people or as CSV (the grouped figures) for spreadsheets. */
public final class ReportPrinter
{
    private static final List<String> HEADER = List.of("statements", "users", "refused", "failed", "rows", "time_s", "bytes_billed", "bytes_avoided",
            "replica_share");

    private ReportPrinter() {}

    public static void csv(UsageReport.Report report, PrintStream out)
    {
        List<String> header = new ArrayList<>();
        header.add(report.by().name().toLowerCase(Locale.ROOT));
        header.addAll(HEADER);
        out.println(String.join(",", header));
        for (UsageReport.Row row : report.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(csvCell(row.key()));
            cells.addAll(figures(row, ""));
            out.println(String.join(",", cells));
        }
    }

    public static void table(UsageReport.Report report, PrintStream out)
    {
        out.printf("Usage from %s to %s, by %s%n%n", report.from(), report.to(), report.by().name().toLowerCase(Locale.ROOT));
        List<List<String>> lines = new ArrayList<>();
        List<String> header = new ArrayList<>();
        header.add(report.by().name().toLowerCase(Locale.ROOT));
        header.addAll(HEADER);
        lines.add(header);
        for (UsageReport.Row row : report.rows()) {
            List<String> cells = new ArrayList<>();
            cells.add(row.key());
            cells.addAll(figures(row, "unknown"));
            lines.add(cells);
        }
        aligned(lines, out);
        out.println();
        out.println("Costliest statement shapes (by bytes billed, then by total time):");
        List<List<String>> digests = new ArrayList<>();
        digests.add(List.of("digest", "statements", "time_s", "bytes_billed", "statement"));
        for (UsageReport.Digest digest : report.topDigests()) {
            digests.add(List.of(digest.digest(), Long.toString(digest.statements()), seconds(digest.durationMillis()),
                    digest.bytesBilled() == null ? "unknown" : Long.toString(digest.bytesBilled()), abbreviate(digest.normalizedSql(), 80)));
        }
        aligned(digests, out);
        out.println();
        if (report.unreadTables().isEmpty()) {
            out.println("Tables not read in the period: none (of the tables the audit trail has seen).");
        }
        else {
            out.println("Tables not read in the period (read before it; cleanup candidates):");
            report.unreadTables().forEach(table -> out.println("  " + table));
        }
        if (report.sessionStatementsLeftOut() > 0) {
            out.printf("%n%d session statement(s) (SET, SHOW, BEGIN/COMMIT, DISCARD, ...) are not counted; --include-session-statements counts them.%n",
                    report.sessionStatementsLeftOut());
        }
        if (report.unreadableLines() > 0) {
            out.printf("%n%d audit line(s) could not be read and were skipped.%n", report.unreadableLines());
        }
    }

    private static List<String> figures(UsageReport.Row row, String unknown)
    {
        return List.of(Long.toString(row.statements()), Long.toString(row.users()), Long.toString(row.refused()), Long.toString(row.failed()),
                Long.toString(row.rows()), seconds(row.durationMillis()),
                row.bytesBilled() == null ? unknown : Long.toString(row.bytesBilled()),
                row.bytesAvoided() == null ? unknown : Long.toString(row.bytesAvoided()),
                row.replicaShare() == null ? unknown : String.format(Locale.ROOT, "%.2f", row.replicaShare()));
    }

    private static String seconds(long millis)
    {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    private static void aligned(List<List<String>> lines, PrintStream out)
    {
        int[] widths = new int[lines.get(0).size()];
        for (List<String> line : lines) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : lines) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(i == 0 ? "" : "  ").append(i == line.size() - 1 ? line.get(i) : String.format("%-" + widths[i] + "s", line.get(i)));
            }
            out.println(text.toString().stripTrailing());
        }
    }

    private static String abbreviate(String text, int max)
    {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static String csvCell(String value)
    {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
