package dev.sekisho.connectors.mysql;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Decides in which order the servers that may serve a statement (healthy and fresh enough) are
 * tried for its connection. {@link LeastBusySelector} by default.
 */
public interface ReadServerSelector
{
    /**
     * @param candidates the servers that may serve the statement, in configured order; never empty
     * @return their names, in the order to try them
     */
    List<String> choose(List<Candidate> candidates);

    /**
     * A server that may serve the statement.
     *
     * @param name its name
     * @param weight its configured weight (at least 1)
     * @param activeStatements statements that hold one of its connections now
     */
    record Candidate(String name, int weight, int activeStatements)
    {
        public Candidate
        {
            requireNonNull(name, "name is null");
            if (weight < 1 || activeStatements < 0) {
                throw new IllegalArgumentException("weight must be positive and activeStatements not negative");
            }
        }
    }
}
