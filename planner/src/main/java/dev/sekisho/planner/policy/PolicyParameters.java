package dev.sekisho.planner.policy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy parameters of one statement: each distinct {@link PolicyParameter} gets one Calcite
 * dynamic-parameter index after the client's own ({@code clientCount}, {@code clientCount + 1},
 * ...). Not thread-safe; one per statement.
 */
final class PolicyParameters
{
    private final int clientCount;
    private final Map<PolicyParameter, Integer> indexes = new LinkedHashMap<>();

    PolicyParameters(int clientCount)
    {
        this.clientCount = clientCount;
    }

    /** The dynamic-parameter index of a policy parameter, allocated on first use. */
    int index(PolicyParameter parameter)
    {
        return indexes.computeIfAbsent(parameter, key -> clientCount + indexes.size());
    }

    int clientCount()
    {
        return clientCount;
    }

    /** The parameters in index order: the first has index {@link #clientCount()}. */
    List<PolicyParameter> parameters()
    {
        return new ArrayList<>(indexes.keySet());
    }
}
