package dev.sekisho.planner.plan;

import dev.sekisho.planner.spi.ColumnType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The plan cache's key: everything a plan depends on. Plans hold no identity today; when policies
 * rewrite plans, {@code policyFingerprint} carries the applied policy's fingerprint so that two
 * sessions share a plan only when the same rules apply to them.
 *
 * @param sql the statement's text as the client sent it
 * @param declaredParameterTypes the client's declared parameter types (null entries allowed)
 * @param searchPath the session's search path
 * @param catalogVersion the catalog generation the plan was made against
 * @param policyFingerprint the applied policy's fingerprint; empty while no policies exist
 */
public record PlanKey(String sql, List<ColumnType> declaredParameterTypes, List<String> searchPath, long catalogVersion, String policyFingerprint)
{
    /** No policy: every session shares the plan. */
    static final String NO_POLICY = "";

    public PlanKey
    {
        requireNonNull(sql, "sql is null");
        declaredParameterTypes = Collections.unmodifiableList(new ArrayList<>(declaredParameterTypes));
        searchPath = List.copyOf(searchPath);
        requireNonNull(policyFingerprint, "policyFingerprint is null");
    }
}
