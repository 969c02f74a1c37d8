package dev.sekisho.gateway.cli;

/**
 * The exit codes of every {@code sekisho} command, so that scripts and CI jobs can tell "fix the
 * file" from "start the database" without reading the text (docs/cli.md).
 */
public final class ExitCode
{
    /** Done as asked. */
    public static final int OK = 0;

    /** The command ran and failed: a port in use, a failing policy test, an unexpected error. */
    public static final int FAILED = 1;

    /** The input is wrong: an unknown command or option, a missing or invalid file, a bad password. */
    public static final int INVALID = 2;

    /** The configuration is valid, but a source it names does not answer. */
    public static final int UNREACHABLE = 3;

    private ExitCode() {}
}
