package dev.sekisho.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.Arrays;

/**
 * {@code sekisho}: the gateway's command line. A failure the user can fix prints what happened and
 * what to do and exits with a code of {@link ExitCode} ({@link FailureReport}); stack traces only
 * with {@code --verbose}.
 */
@Command(
        name = "sekisho",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sekisho, a federated SQL gateway: Postgres wire protocol in front of MySQL read replicas.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done",
                "1:failed (a port in use, a failing policy test, an unexpected error)",
                "2:invalid input (unknown command or option, a missing or invalid file, a bad password)",
                "3:the configuration is valid but a source does not answer",
        },
        subcommands = {
                ServeCommand.class,
                DemoCommand.class,
                HashPasswordCommand.class,
                CheckConfigCommand.class,
                PolicyCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class SekishoCommand
        implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "When a command fails, also print the stack trace (for bug reports).")
    private boolean verbose;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: demo, serve, check-config, hash-password or policy");
    }

    /** Runs the command line and returns the process exit code. */
    public static int execute(String... args)
    {
        FailureReport failures = new FailureReport(Arrays.asList(args).contains("--verbose"));
        return new CommandLine(new SekishoCommand())
                .setParameterExceptionHandler(failures)
                .setExecutionExceptionHandler(failures)
                .execute(args);
    }

    /** Whether {@code --verbose} was given, on any command, in the run {@code spec} belongs to. */
    static boolean isVerbose(CommandLine.Model.CommandSpec spec)
    {
        return isVerbose(spec.root().commandLine().getParseResult());
    }

    static boolean isVerbose(CommandLine.ParseResult parseResult)
    {
        for (CommandLine.ParseResult result = parseResult; result != null; result = result.subcommand()) {
            if (result.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    public static void main(String[] args)
    {
        int exitCode = execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
