package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.guard.AdmissionExplanation;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.PolicyStore;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.load.PolicyException;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.testcase.PolicyTestCase;
import dev.sekisho.policies.testcase.PolicyTestParser;
import dev.sekisho.policies.validate.PolicyProblem;
import dev.sekisho.policies.validate.StructuralChecks;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code sekisho policy}: check, explain and test policy files (docs/policies.md). */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check, explain and test policy files.",
        subcommands = {PolicyCommand.Check.class, PolicyCommand.Explain.class, PolicyCommand.Test.class})
public final class PolicyCommand
        implements Runnable
{
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a policy command: check, explain or test");
    }

    /** Where the tables and users come from: a configuration file, or the embedded demo. */
    static final class Target
    {
        @Option(names = {"-c", "--config"}, description = "sekisho.yaml whose sources and users to use.")
        Path config;

        @Option(names = "--demo", description = "Use the embedded demo database and users (starts an in-process MariaDB).")
        boolean demo;

        PolicyWorkbench open()
        {
            if (demo) {
                return PolicyWorkbench.forDemo();
            }
            InputFiles.requireFile(config, "configuration file", "Give the path of sekisho.yaml with --config FILE, or use --demo.");
            return PolicyWorkbench.forConfig(config);
        }
    }

    /** {@code sekisho policy check DIR [--config F | --demo]}. */
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Validate a policy folder: structure always; with --config or --demo also against the live tables (columns exist, masks fit their types, expressions compile).")
    static final class Check
            implements Callable<Integer>
    {
        @Parameters(index = "0", description = "The policy folder.")
        Path dir;

        @ArgGroup(exclusive = true)
        Target target;

        @Override
        public Integer call()
        {
            requirePolicyFolder(dir);
            try {
                if (target == null) {
                    PolicySet policies = new PolicyParser().parse(new DirectoryPolicySource(dir));
                    List<PolicyProblem> problems = new StructuralChecks().check(policies);
                    problems.forEach(problem -> System.err.println(problem));
                    if (!problems.isEmpty()) {
                        return 1;
                    }
                    System.out.printf("%s: OK (%d table rule(s), %d role(s); structure only, give --config to check against the tables)%n",
                            dir, policies.tables().size(), policies.roles().size());
                    return 0;
                }
                try (PolicyWorkbench workbench = target.open()) {
                    PolicyStore store = workbench.load(dir);
                    System.out.printf("%s: OK (%d table rule(s), %d role(s), version %s)%n",
                            dir, store.current().tables().size(), store.current().roles().size(), store.current().version());
                    return 0;
                }
            }
            catch (PolicyException | ConfigException e) {
                System.err.println(e.getMessage());
                return 1;
            }
        }
    }

    /** {@code sekisho policy explain --user U [--config F | --demo] SQL}. */
    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Show how a statement runs for a user: the SQL sent to each source after policies, the rules that fired (file:line), the route,"
                    + " and the cost guard's resource group, limits and allowances for the user.")
    static final class Explain
            implements Callable<Integer>
    {
        @Option(names = {"-u", "--user"}, required = true, description = "The user, from the users file.")
        String user;

        @Option(names = "--group", description = "Groups, for a user that is not in the users file.")
        Set<String> groups;

        @Option(names = "--attr", description = "Attributes (name=value), for a user that is not in the users file.")
        Map<String, String> attributes;

        @Option(names = {"-p", "--policies"}, description = "Policy folder (default: the configuration's policies.dir; with --demo: the checkout's examples/policies).")
        Path dir;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--application", description = "The application_name the statement comes with (resource groups may select on it).")
        String application = "";

        @Parameters(index = "0", description = "The SQL statement.")
        String sql;

        @Override
        public Integer call()
        {
            if (dir != null) {
                requirePolicyFolder(dir);
            }
            try (PolicyWorkbench workbench = target.open()) {
                Path policyDir = policyDir(dir, workbench, target);
                PolicySet policies = workbench.load(policyDir).current();
                Optional<Principal> principal = groups != null || attributes != null
                        ? Optional.of(new Principal(user, groups == null ? Set.of() : groups, attributes == null ? Map.of() : attributes))
                        : workbench.user(user);
                if (principal.isEmpty()) {
                    System.err.println("sekisho: user '" + user + "' is not in the users file; give --group and --attr to describe one");
                    return 2;
                }
                PreparedQuery query = workbench.prepareAsWritten(principal.get(), policies, sql);
                System.out.println(query.explain());
                System.out.println(AdmissionExplanation.explain(policies, principal.get(), application, Optional.empty(), Clock.systemUTC()));
                return 0;
            }
            catch (QueryException e) {
                System.err.println("ERROR " + e.sqlState() + ": " + e.getMessage() + (e.hint() == null ? "" : System.lineSeparator() + "HINT: " + e.hint()));
                return 1;
            }
            catch (PolicyException | ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    /** {@code sekisho policy test DIR [--config F | --demo]}. */
    @Command(name = "test", mixinStandardHelpOptions = true,
            description = "Run the policy tests (*.test.yaml) of a policy folder against real data: as user U, query Q, expect masked columns / N rows / an error.")
    static final class Test
            implements Callable<Integer>
    {
        @Parameters(index = "0", description = "The policy folder (its *.test.yaml files hold the tests).")
        Path dir;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Override
        public Integer call()
        {
            requirePolicyFolder(dir);
            try (PolicyWorkbench workbench = target.open()) {
                PolicySet policies = workbench.load(dir).current();
                List<PolicyTestCase> cases = new PolicyTestParser().parseDirectory(dir);
                if (cases.isEmpty()) {
                    System.err.println(dir + ": no policy tests (*.test.yaml)");
                    return 1;
                }
                List<PolicyTestRunner.Outcome> outcomes = new PolicyTestRunner(workbench, policies).run(cases);
                long failed = 0;
                for (PolicyTestRunner.Outcome outcome : outcomes) {
                    if (outcome.passed()) {
                        System.out.println("PASS " + outcome.testCase().name());
                    }
                    else {
                        failed++;
                        System.out.println("FAIL " + outcome.testCase().name() + " (" + outcome.testCase().origin() + ")");
                        outcome.failures().forEach(failure -> System.out.println("     " + failure));
                    }
                }
                System.out.printf("%d passed, %d failed%n", outcomes.size() - failed, failed);
                return failed == 0 ? 0 : 1;
            }
            catch (PolicyException | ConfigException e) {
                System.err.println(e.getMessage());
                return 2;
            }
        }
    }

    private static void requirePolicyFolder(Path dir)
    {
        InputFiles.requireFolder(dir, "policy folder", "Give the folder of policy files, for example examples/policies.");
    }

    private static Path policyDir(Path explicit, PolicyWorkbench workbench, Target target)
    {
        if (explicit != null) {
            return explicit;
        }
        if (target.demo) {
            return workbench.demoPolicyDir();
        }
        return workbench.configuredPolicyDir()
                .orElseThrow(() -> new ConfigException(target.config.toString(), 0, "policies.dir", "is not set: give --policies DIR"));
    }
}
