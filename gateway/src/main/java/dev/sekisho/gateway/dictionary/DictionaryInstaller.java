package dev.sekisho.gateway.dictionary;

import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Gives the planner the data dictionary of the policy folder at start-up (a broken dictionary
 * stops the start, naming file:line) and again after every policy reload (a broken edit is logged
 * and the previous dictionary stays, as with policies).
 */
public final class DictionaryInstaller
{
    private static final Logger log = LoggerFactory.getLogger(DictionaryInstaller.class);

    private DictionaryInstaller() {}

    public static void install(CalciteQueryPlanner planner, Path policyDir, Optional<GatewayPolicies> policies)
    {
        planner.setDescriptions(DataDictionary.load(policyDir));
        policies.ifPresent(live -> live.addListener(result -> {
            try {
                planner.setDescriptions(DataDictionary.load(policyDir));
            }
            catch (RuntimeException e) {
                log.error("The data dictionary in {} was not reloaded (the previous one stays): {}", policyDir.resolve(DataDictionary.FOLDER), e.getMessage());
            }
        }));
    }
}
