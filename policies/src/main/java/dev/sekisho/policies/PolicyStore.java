package dev.sekisho.policies;

import dev.sekisho.policies.load.PolicyException;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.load.PolicySource;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.validate.PolicyCheck;
import dev.sekisho.policies.validate.PolicyProblem;
import dev.sekisho.policies.validate.StructuralChecks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * The live policy: one immutable {@link PolicySet} swapped whole. {@link #reload()} parses the
 * source, runs {@link StructuralChecks} and then the given checks, and replaces the snapshot only
 * if there is no problem at all; otherwise the previous snapshot stays and the result lists every
 * problem with file:line. Never partially applied.
 *
 * <p>Fail closed: until a reload has succeeded, {@link #current()} is {@link PolicySet#denyAll()},
 * under which no table is visible. A gateway should refuse to start when the first reload fails
 * ({@link #isLoaded()}).
 */
public final class PolicyStore
{
    private static final Logger log = LoggerFactory.getLogger(PolicyStore.class);

    private final PolicySource source;
    private final PolicyParser parser = new PolicyParser();
    private final List<PolicyCheck> checks;
    private final Clock clock;
    private final AtomicReference<PolicySet> current = new AtomicReference<>(PolicySet.denyAll());
    private volatile boolean loaded;
    private volatile ReloadResult lastResult;

    /**
     * @param source where the files are read from
     * @param checks checks run after the structural ones (the planner's semantic check); a
     *         {@link StructuralChecks} in the list is not run twice
     */
    public PolicyStore(PolicySource source, List<PolicyCheck> checks)
    {
        this(source, checks, Clock.systemUTC());
    }

    public PolicyStore(PolicySource source, List<PolicyCheck> checks, Clock clock)
    {
        this.source = requireNonNull(source, "source is null");
        List<PolicyCheck> all = new ArrayList<>();
        all.add(new StructuralChecks());
        checks.stream().filter(check -> !(check instanceof StructuralChecks)).forEach(all::add);
        this.checks = List.copyOf(all);
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** The live snapshot; {@link PolicySet#denyAll()} until the first successful reload. Never null. */
    public PolicySet current()
    {
        return current.get();
    }

    /** Whether a snapshot has ever been applied. */
    public boolean isLoaded()
    {
        return loaded;
    }

    /** The result of the latest reload, if any. */
    public Optional<ReloadResult> lastResult()
    {
        return Optional.ofNullable(lastResult);
    }

    public PolicySource source()
    {
        return source;
    }

    /**
     * Reads, parses and checks the files; swaps the snapshot if all is well. Never throws for bad
     * files: they are reported in the result. Reloads run one at a time.
     */
    public synchronized ReloadResult reload()
    {
        ReloadResult result = load();
        switch (result.outcome()) {
            case APPLIED:
                log.info("Policy {} applied from {} ({} files)", result.version(), source.describe(), current().files().size());
                break;
            case UNCHANGED:
                log.debug("Policy {} unchanged", result.version());
                break;
            case REJECTED:
                log.error("Policy change in {} rejected, {} stays live; {} problem(s):\n{}", source.describe(), result.version(), result.problems().size(),
                        String.join("\n", result.problems().stream().map(problem -> "  " + problem).toList()));
                break;
        }
        // published after it is logged: whoever sees the result finds its log line written
        lastResult = result;
        return result;
    }

    private ReloadResult load()
    {
        PolicySet live = current.get();
        PolicySet candidate;
        try {
            candidate = parser.parse(source);
        }
        catch (PolicyException e) {
            return rejected(live, Optional.empty(), e.problems());
        }
        catch (RuntimeException e) {
            return rejected(live, Optional.empty(), List.of(new PolicyProblem(new SourceLocation(source.describe(), 0), "",
                    "cannot be loaded: " + e)));
        }
        if (loaded && candidate.version().equals(live.version())) {
            return new ReloadResult(ReloadResult.Outcome.UNCHANGED, live.version(), Optional.empty(), List.of(), clock.instant());
        }
        List<PolicyProblem> problems = new ArrayList<>();
        for (PolicyCheck check : checks) {
            try {
                problems.addAll(check.check(candidate));
            }
            catch (RuntimeException e) {
                // A check that fails is a failed check: never apply what could not be verified.
                problems.add(new PolicyProblem(new SourceLocation(source.describe(), 0), "",
                        "check %s failed: %s".formatted(check.getClass().getSimpleName(), e)));
            }
        }
        if (!problems.isEmpty()) {
            return rejected(live, Optional.of(candidate.version()), problems);
        }
        current.set(candidate);
        loaded = true;
        return new ReloadResult(ReloadResult.Outcome.APPLIED, candidate.version(), Optional.empty(), List.of(), clock.instant());
    }

    private ReloadResult rejected(PolicySet live, Optional<String> version, List<PolicyProblem> problems)
    {
        return new ReloadResult(ReloadResult.Outcome.REJECTED, live.version(), version, problems, clock.instant());
    }
}
