package dev.sekisho.gateway.policy;

import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.policy.SemanticPolicyCheck;
import dev.sekisho.policies.PolicyStore;
import dev.sekisho.policies.PolicyWatcher;
import dev.sekisho.policies.ReloadResult;
import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.validate.PolicyProblem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
    private final Optional<PolicyWatcher> watcher;

    private GatewayPolicies(PolicyStore store, Optional<PolicyWatcher> watcher)
    {
        this.store = requireNonNull(store, "store is null");
        this.watcher = requireNonNull(watcher, "watcher is null");
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
        Optional<PolicyWatcher> watcher = Optional.empty();
        if (config.watch()) {
            watcher = Optional.of(new PolicyWatcher(store, config.dir()).addListener(GatewayPolicies::logReload).start());
        }
        log.info("Policies {} loaded from {} ({} table rule(s))", store.current().version(), config.dir(), store.current().tables().size());
        return new GatewayPolicies(store, watcher);
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

    public PolicyStore store()
    {
        return store;
    }

    /** Reloads now (tests and admin tools); the watcher does this on its own after edits. */
    public ReloadResult reload()
    {
        ReloadResult result = store.reload();
        logReload(result);
        return result;
    }

    @Override
    public void close()
    {
        watcher.ifPresent(PolicyWatcher::close);
    }

    private static void logReload(ReloadResult result)
    {
        switch (result.outcome()) {
            case APPLIED -> log.info("Policies {} applied", result.version());
            case UNCHANGED -> log.debug("Policies unchanged ({})", result.version());
            case REJECTED -> log.error("Policy change rejected; still enforcing {}:{}", result.version(), describe(result.problems()));
        }
    }

    private static String describe(List<PolicyProblem> problems)
    {
        StringBuilder text = new StringBuilder();
        problems.forEach(problem -> text.append(System.lineSeparator()).append("  ").append(problem));
        return text.toString();
    }
}
