package dev.sekisho.gateway.cli;

import static java.util.Objects.requireNonNull;

/**
 * A failure the user caused and can fix. The command line prints it as two lines, what happened
 * and what to do, and exits with its code; the stack trace only with {@code --verbose}.
 */
public final class CliFailure
        extends RuntimeException
{
    private final int exitCode;
    private final String remedy;

    /**
     * @param exitCode one of {@link ExitCode}
     * @param problem what happened, one line
     * @param remedy what to do about it, one line
     */
    public CliFailure(int exitCode, String problem, String remedy)
    {
        this(exitCode, problem, remedy, null);
    }

    public CliFailure(int exitCode, String problem, String remedy, Throwable cause)
    {
        super(requireNonNull(problem, "problem is null"), cause);
        if (exitCode == ExitCode.OK) {
            throw new IllegalArgumentException("a failure needs a non-zero exit code");
        }
        this.exitCode = exitCode;
        this.remedy = requireNonNull(remedy, "remedy is null");
    }

    public int exitCode()
    {
        return exitCode;
    }

    /** What happened. */
    public String problem()
    {
        return getMessage();
    }

    /** What to do about it. */
    public String remedy()
    {
        return remedy;
    }
}
