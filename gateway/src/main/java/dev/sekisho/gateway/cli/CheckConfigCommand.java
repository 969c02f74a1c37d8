package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.ConfigWarning;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.planner.spi.QueryException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code sekisho check-config FILE}: validates a configuration without starting anything, and
 * asks each source's servers whether they answer. "The file is wrong" (exit 2) and "the file is
 * right but a server does not answer" (exit 3) are told apart, because they call for different
 * people: whoever edits the file, and whoever runs the databases.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = {
                "Validate a configuration file, its users file and its policies, and ask each source's servers whether they answer.",
                "Exit 0: valid and every server answers; 2: invalid (file:line and the key for each problem); 3: valid, but a server does not answer (one line per server: host:port and the driver's reason).",
                "A valid configuration's warnings (passwords written in clear text, remote sources without verified TLS) follow the OK on standard output; the exit code stays 0.",
        })
public final class CheckConfigCommand
        implements Callable<Integer>
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", defaultValue = "sekisho.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Override
    public Integer call()
    {
        InputFiles.requireFile(config, "configuration file",
                "Give the path of sekisho.yaml: ./sekisho check-config FILE (examples/sekisho.yaml is a commented example).");
        SekishoConfig loaded;
        List<SourceProbe.Answer> answers;
        try {
            loaded = SekishoConfigLoader.load(config);
            Gateway.validateFiles(loaded);
            answers = SourceProbe.probe(loaded);
        }
        catch (ConfigException e) {
            return invalid(e);
        }
        List<SourceProbe.Answer> silent = answers.stream().filter(answer -> !answer.answered()).toList();
        if (!silent.isEmpty()) {
            return unreachable(loaded, answers, silent);
        }
        try {
            Gateway.validate(loaded);
        }
        catch (ConfigException e) {
            return invalid(e);
        }
        catch (QueryException e) {
            if (!e.sqlState().startsWith("08")) {
                throw e;
            }
            // a source without servers of its own to ask (not mysql) fails here, when its schemas are listed
            FailureReport.print("sekisho", FailureReport.describe(e), SekishoCommand.isVerbose(spec));
            return ExitCode.UNREACHABLE;
        }
        System.out.printf("%s: OK (%d source(s), %s, users file %s)%n", config, loaded.sources().size(),
                answers.isEmpty() ? "their schemas read" : answers.size() + " server(s) answer", loaded.usersFile());
        // once nothing is wrong: what works but should change (the exit code stays 0)
        for (ConfigWarning warning : Gateway.warnings(loaded)) {
            System.out.println("warning: " + warning);
        }
        return ExitCode.OK;
    }

    private int invalid(ConfigException e)
    {
        FailureReport.print("sekisho", new CliFailure(ExitCode.INVALID, e.getMessage(), "Correct it and run ./sekisho check-config " + config + " again.", e),
                SekishoCommand.isVerbose(spec));
        return ExitCode.INVALID;
    }

    private int unreachable(SekishoConfig loaded, List<SourceProbe.Answer> answers, List<SourceProbe.Answer> silent)
    {
        boolean verbose = SekishoCommand.isVerbose(spec);
        // what can still be checked without the sources: the policies' structure
        ConfigException policyProblems = null;
        if (loaded.policies().isPresent()) {
            try {
                GatewayPolicies.checkStructure(loaded.policies().get().dir(), config.toString());
            }
            catch (ConfigException e) {
                policyProblems = e;
            }
        }
        System.err.printf("%s: %s, but %d of %d server(s) do not answer:%n", config, policyProblems == null ? "valid" : "invalid", silent.size(), answers.size());
        for (SourceProbe.Answer answer : silent) {
            System.err.println("  " + answer.describe());
            if (verbose) {
                answer.cause().ifPresent(cause -> cause.printStackTrace(System.err));
            }
        }
        if (policyProblems != null) {
            return invalid(policyProblems);
        }
        System.err.printf("Start them or correct their address in %s, then run ./sekisho check-config %s again%s.%n", config, config,
                loaded.policies().isPresent() ? " (the policies were checked for structure only: their tables are checked once the sources answer)" : "");
        return ExitCode.UNREACHABLE;
    }
}
