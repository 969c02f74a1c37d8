package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.load.PolicyException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * How a failed command reads in the terminal: what happened and what to do, in one or two lines,
 * and an exit code from {@link ExitCode}. The stack trace is printed only with {@code --verbose}:
 * a newcomer who mistyped a path should not have to read Java.
 */
final class FailureReport
        implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler
{
    private final boolean verboseInArguments;

    /**
     * @param verboseInArguments whether {@code --verbose} is among the arguments (a usage error
     *         happens before the options are bound)
     */
    FailureReport(boolean verboseInArguments)
    {
        this.verboseInArguments = verboseInArguments;
    }

    /** A command failed while running. */
    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult)
    {
        CliFailure failure = describe(e);
        print("sekisho", failure, verboseInArguments || SekishoCommand.isVerbose(parseResult));
        return failure.exitCode();
    }

    /** The arguments do not form a command: an unknown command or option, a missing or bad value. */
    @Override
    public int handleParseException(ParameterException e, String[] args)
    {
        CommandLine commandLine = e.getCommandLine();
        String command = "./" + commandLine.getCommandSpec().qualifiedName();
        String problem;
        String remedy;
        if (e instanceof UnmatchedArgumentException unmatched && isUnknownCommand(unmatched)) {
            List<String> suggestions = unmatched.getSuggestions();
            problem = "unknown command '" + unmatched.getUnmatched().get(0) + "'"
                    + (suggestions.isEmpty() ? "" : " (did you mean '" + suggestions.get(0) + "'?)");
            remedy = "Run " + command + " --help to list the commands.";
        }
        else {
            if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
                problem = (unmatched.isUnknownOption() ? "unknown option '" : "unexpected argument '") + unmatched.getUnmatched().get(0) + "'";
                if (!unmatched.getSuggestions().isEmpty()) {
                    problem += " (did you mean '" + unmatched.getSuggestions().get(0) + "'?)";
                }
            }
            else {
                problem = lowerFirst(e.getMessage());
            }
            remedy = "Run " + command + " --help for " + (commandLine.getSubcommands().isEmpty() ? "its options." : "the commands.");
        }
        CliFailure failure = new CliFailure(ExitCode.INVALID, problem, remedy, e);
        print(commandLine.getCommandSpec().qualifiedName(), failure, verboseInArguments);
        return failure.exitCode();
    }

    /** Turns what a command threw into what the user reads. */
    static CliFailure describe(Throwable e)
    {
        if (e instanceof CliFailure failure) {
            return failure;
        }
        if (e instanceof ConfigException) {
            return new CliFailure(ExitCode.INVALID, e.getMessage(),
                    "Correct it and run the command again; ./sekisho check-config FILE checks a configuration without starting anything.", e);
        }
        if (e instanceof PolicyException) {
            return new CliFailure(ExitCode.INVALID, e.getMessage(),
                    "Correct the policy files and run the command again; ./sekisho policy check DIR lists every problem.", e);
        }
        if (e instanceof QueryException query && isSourceUnreachable(query)) {
            return new CliFailure(ExitCode.UNREACHABLE, query.getMessage(),
                    "Start the source's servers or correct their address; ./sekisho check-config FILE shows each server's address and why it does not answer.",
                    e);
        }
        return new CliFailure(ExitCode.FAILED, "unexpected error: " + e,
                "This is a bug: run the command again with --verbose and report what it prints.", e);
    }

    /** Whether a source's failure means its servers do not answer (08xxx) or none may serve now (57P03). */
    static boolean isSourceUnreachable(QueryException failure)
    {
        return failure.sqlState().startsWith("08") || failure.sqlState().equals(SqlStates.CANNOT_CONNECT_NOW);
    }

    /**
     * Prints the failure on standard error.
     *
     * @param command who speaks: {@code sekisho}, or the command whose arguments were wrong
     */
    static void print(String command, CliFailure failure, boolean verbose)
    {
        PrintStream err = System.err;
        err.println(command + ": " + failure.problem());
        err.println(failure.remedy());
        if (verbose) {
            (failure.getCause() == null ? failure : failure.getCause()).printStackTrace(err);
        }
    }

    private static boolean isUnknownCommand(UnmatchedArgumentException e)
    {
        return !e.isUnknownOption()
                && !e.getCommandLine().getSubcommands().isEmpty()
                && e.getCommandLine().getCommandSpec().positionalParameters().isEmpty()
                && !e.getUnmatched().isEmpty();
    }

    private static String lowerFirst(String text)
    {
        if (text == null || text.isEmpty()) {
            return "invalid arguments";
        }
        // picocli's messages start with a capital ("Missing required parameter"); ours continue a sentence
        if (text.length() > 1 && Character.isUpperCase(text.charAt(1))) {
            return text;
        }
        return text.substring(0, 1).toLowerCase(Locale.ROOT) + text.substring(1);
    }
}
