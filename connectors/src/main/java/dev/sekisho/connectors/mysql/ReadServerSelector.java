package dev.sekisho.connectors.mysql;

import java.util.List;

/**
 * Decides in which order the read servers that are up are tried for the next connection. The seam
 * where lag- and health-aware routing plugs in later; {@link RoundRobinSelector} for now.
 */
public interface ReadServerSelector
{
    /**
     * @param candidates the servers currently believed up, in configured order; never empty
     * @return the same servers, in the order to try them
     */
    List<String> order(List<String> candidates);
}
