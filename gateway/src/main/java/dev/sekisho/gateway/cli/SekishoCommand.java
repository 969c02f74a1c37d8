package dev.sekisho.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sekisho}: the gateway's command line. */
@Command(
        name = "sekisho",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Sekisho, a federated SQL gateway: Postgres wire protocol in front of MySQL read replicas.",
        subcommands = {
                ServeCommand.class,
                DemoCommand.class,
                HashPasswordCommand.class,
                CheckConfigCommand.class,
                PolicyCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class SekishoCommand
        implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: serve, demo, hash-password or check-config");
    }

    /** Runs the command line and returns the process exit code. */
    public static int execute(String... args)
    {
        return new CommandLine(new SekishoCommand()).execute(args);
    }

    public static void main(String[] args)
    {
        int exitCode = execute(args);
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }
}
