package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.report.AuditReader;
import dev.sekisho.gateway.report.ReportPrinter;
import dev.sekisho.gateway.report.UsageReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code sekisho report}: reports from the audit trail (docs/operations.md). */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Reports from the audit trail.",
        subcommands = {ReportCommand.Usage.class})
public final class ReportCommand
        implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a report: usage");
    }

    /** {@code sekisho report usage --since 30d [--by team|user|table|digest] [--format table|csv] [--include-session-statements] (--config F | --audit F)}. */
    @Command(name = "usage", mixinStandardHelpOptions = true,
            description = "Statements, users, refusals, rows, time, bytes billed and avoided, and replica share per team, user, table or digest;"
                    + " the costliest statement shapes; tables not read in the period.")
    static final class Usage
            implements Callable<Integer>
    {
        private static final Pattern PERIOD = Pattern.compile("(\\d+)([dh])");

        @Option(names = "--since", defaultValue = "30d", description = "The period, back from now: Nd (days) or Nh (hours). Default: ${DEFAULT-VALUE}.")
        String since;

        @Option(names = "--by", defaultValue = "team", description = "Group by team, user, table or digest. Default: ${DEFAULT-VALUE}.")
        String by;

        @Option(names = "--format", defaultValue = "table", description = "table (aligned text) or csv. Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--top", defaultValue = "10", description = "How many of the costliest statement shapes to list. Default: ${DEFAULT-VALUE}.")
        int top;

        @Option(names = "--include-session-statements", description = "Count session housekeeping (SET, SHOW, DISCARD, BEGIN/COMMIT, ...) that"
                + " drivers and pools send on their own; left out by default.")
        boolean sessionStatements;

        @Option(names = {"-c", "--config"}, description = "sekisho.yaml whose audit.file to read.")
        Path config;

        @Option(names = "--audit", description = "The audit file to read (its rotated files beside it are read too).")
        Path audit;

        @Override
        public Integer call()
        {
            Duration period = period(since);
            UsageReport.By grouping = choice(UsageReport.By.class, "--by", by);
            if (!format.equals("table") && !format.equals("csv")) {
                throw new CliFailure(ExitCode.INVALID, "--format must be table or csv, not '" + format + "'", "Use --format table or --format csv.");
            }
            Path file = auditFile();
            UsageReport.Report report = UsageReport.of(AuditReader.read(file), Instant.now(), period, grouping, top, sessionStatements);
            if (format.equals("csv")) {
                ReportPrinter.csv(report, System.out);
            }
            else {
                ReportPrinter.table(report, System.out);
            }
            return ExitCode.OK;
        }

        private Path auditFile()
        {
            if (audit != null) {
                if (!Files.exists(audit)) {
                    throw new CliFailure(ExitCode.INVALID, "the audit file " + audit + " does not exist",
                            "Give the audit file the gateway writes (audit.file in sekisho.yaml), or --config sekisho.yaml.");
                }
                return audit;
            }
            InputFiles.requireFile(config, "configuration file", "Give --audit FILE, or --config sekisho.yaml whose audit.file to read.");
            SekishoConfig loaded = SekishoConfigLoader.load(config);
            return loaded.operations().audit()
                    .orElseThrow(() -> new CliFailure(ExitCode.INVALID, config + " has no audit: section, so there is no audit trail to read",
                            "Add audit: {file: ...} to " + config + " (docs/operations.md), or give --audit FILE."))
                    .file();
        }

        private static Duration period(String text)
        {
            Matcher matcher = PERIOD.matcher(text);
            if (!matcher.matches()) {
                throw new CliFailure(ExitCode.INVALID, "--since must be a number of days or hours such as 30d or 12h, not '" + text + "'",
                        "Use e.g. --since 30d.");
            }
            long amount = Long.parseLong(matcher.group(1));
            return matcher.group(2).equals("d") ? Duration.ofDays(amount) : Duration.ofHours(amount);
        }

        private static <E extends Enum<E>> E choice(Class<E> type, String option, String value)
        {
            try {
                return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCode.INVALID, option + " must be one of team, user, table, digest, not '" + value + "'",
                        "Use e.g. " + option + " team.");
            }
        }
    }
}
