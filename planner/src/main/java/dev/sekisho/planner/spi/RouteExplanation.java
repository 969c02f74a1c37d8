package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a source would run a statement if it ran now, and why: the server it would choose (or that
 * it would refuse), the freshness limit that applied, and every server's state and lag. Routes
 * change with the servers' health, so this is computed when asked, never cached with a plan.
 *
 * @param source the source's name
 * @param server the server chosen first, or empty when the statement would be refused
 * @param decision one line: the choice and the reason for it, or the refusal
 * @param servers one line per server of the source: its state, lag, statements and eligibility
 */
public record RouteExplanation(String source, Optional<String> server, String decision, List<String> servers)
{
    public RouteExplanation
    {
        requireNonNull(source, "source is null");
        requireNonNull(server, "server is null");
        requireNonNull(decision, "decision is null");
        servers = List.copyOf(servers);
    }

    /** The explanation as EXPLAIN shows it: {@code Route (source s): decision} and an indented line per server. */
    public String text()
    {
        StringBuilder text = new StringBuilder("Route (source ").append(source).append("): ").append(decision).append('\n');
        for (String line : servers) {
            text.append("  ").append(line).append('\n');
        }
        return text.toString();
    }
}
