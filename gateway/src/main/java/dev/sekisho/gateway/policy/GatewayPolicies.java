package dev.sekisho.gateway.policy;

import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.policy.SemanticPolicyCheck;
import dev.sekisho.policies.PolicyStore;
import dev.sekisho.policies.PolicyWatcher;
import dev.sekisho.policies.ReloadResult;
import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.load.PolicyException;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.validate.PolicyProblem;
import dev.sekisho.policies.validate.StructuralChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's policy files: loaded and checked (structure and, against the live catalog,
 * semantics) before the gateway serves, then watched. A broken edit never replaces a working
 * policy: the store keeps the last good snapshot and the problems are logged with file:line.
 */
public final class GatewayPolicies
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(GatewayPolicies.class);

    private final PolicyStore store;
    private final List<Consumer<ReloadResult>> listeners = new CopyOnWriteArrayList<>();
    // set once, right after construction, before the instance is handed out
    private volatile Optional<PolicyWatcher> watcher = Optional.empty();

    private GatewayPolicies(PolicyStore store)
    {
        this.store = requireNonNull(store, "store is null");
    }

    /** The salt of the {@code hash} mask, from the environment variable the configuration names. */
    public static Optional<String> hashSalt(SekishoConfig.Policies config)
    {
        return Optional.ofNullable(System.getenv(config.hashSaltEnv())).filter(salt -> !salt.isEmpty());
    }

    /**
     * Loads the policy directory. Fails with every problem listed when the files are not valid:
     * the gateway must not start on a policy it cannot enforce.
     */
    public static GatewayPolicies start(SekishoConfig.Policies config, CalciteQueryPlanner planner, String configFile)
    {
        PolicyStore store = load(config.dir(), planner, configFile);
        GatewayPolicies policies = new GatewayPolicies(store);
        if (config.watch()) {
            policies.watcher = Optional.of(new PolicyWatcher(store, config.dir()).addListener(policies::reloaded).start());
        }
        log.info("Policies {} loaded from {} ({} table rule(s)){}", store.current().version(), config.dir(), store.current().tables().size(),
                config.watch() ? ", watched for edits" : "");
        return policies;
    }

    /** Loads and checks a policy directory once, without watching it. */
    public static PolicyStore load(Path dir, CalciteQueryPlanner planner, String configFile)
    {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(configFile, 0, "policies.dir", "'" + dir + "' is not a folder of policy files");
        }
        PolicyStore store = new PolicyStore(new DirectoryPolicySource(dir), List.of(new SemanticPolicyCheck(planner)));
        ReloadResult result = store.reload();
        if (result.isRejected() || !store.isLoaded()) {
            throw new ConfigException(configFile, 0, "policies.dir", "the policy files in " + dir + " have problems:" + describe(result.problems()));
        }
        return store;
    }

    /**
     * Checks a policy directory's structure only (keys, roles, mask parameters), for when the
     * sources cannot be asked about their tables.
     */
    public static void checkStructure(Path dir, String configFile)
    {
        if (!Files.isDirectory(dir)) {
            throw new ConfigException(configFile, 0, "policies.dir", "'" + dir + "' is not a folder of policy files");
        }
        List<PolicyProblem> problems;
        try {
            problems = new StructuralChecks().check(new PolicyParser().parse(new DirectoryPolicySource(dir)));
        }
        catch (PolicyException e) {
            problems = e.problems();
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(configFile, 0, "policies.dir", "the policy files in " + dir + " have problems:" + describe(problems));
        }
    }

    public PolicyStore store()
    {
        return store;
    }

    /** Reloads now (tests and admin tools); the watcher does this on its own after edits. */
    public ReloadResult reload()
    {
        ReloadResult result = store.reload();
        reloaded(result);
        return result;
    }

    /**
     * Calls {@code listener} after every reload, the watcher's (on its thread) and
     * {@link #reload()}'s, e.g. to tell the demo's user that an edit was applied or refused.
     */
    public void addListener(Consumer<ReloadResult> listener)
    {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    // PolicyStore logs every reload (applied, or rejected with each problem); this only tells the listeners
    private void reloaded(ReloadResult result)
    {
        for (Consumer<ReloadResult> listener : listeners) {
            try {
                listener.accept(result);
            }
            catch (RuntimeException e) {
                log.warn("A policy reload listener failed", e);
            }
        }
    }

    @Override
    public void close()
    {
        watcher.ifPresent(PolicyWatcher::close);
    }

    private static String describe(List<PolicyProblem> problems)
    {
        StringBuilder text = new StringBuilder();
        problems.forEach(problem -> text.append(System.lineSeparator()).append("  ").append(problem));
        return text.toString();
    }
}
