package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.planner.spi.SourceTable;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Decides which servers may run a statement, in which order, from the tables it reads and what is
 * known of each server now. Fails closed: when no server is fresh enough for the tightest
 * {@code max_lag} of the statement's tables, the statement is refused with 57P03, naming every
 * server's state and lag and the limit; only {@code read_from_primary: fallback} sends it to the
 * primary instead. Holds no state of its own besides the selector's turn and, for a source with
 * one server, the route of the last limit asked about ({@link #onlyServer}).
 */
final class ReadRouter
{
    private final String source;
    private final FreshnessLimits limits;
    private final MySqlConfig.PrimaryReads primaryReads;
    private final ReadServerSelector selector;
    /** {@link #onlyServer}'s route for the last limit asked about. */
    private volatile Route lastOnlyServer;

    ReadRouter(String source, FreshnessLimits limits, MySqlConfig.PrimaryReads primaryReads, ReadServerSelector selector)
    {
        this.source = requireNonNull(source, "source is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.primaryReads = requireNonNull(primaryReads, "primaryReads is null");
        this.selector = requireNonNull(selector, "selector is null");
    }

    /**
     * A server as the router sees it at one moment.
     *
     * @param name its name
     * @param primary whether it is the primary
     * @param fallbackOnly whether it is read only when no other server qualifies ({@code read_from_primary: fallback})
     * @param weight its weight
     * @param activeStatements statements holding one of its connections
     * @param health its health now
     */
    record View(String name, boolean primary, boolean fallbackOnly, int weight, int activeStatements, ServerHealth.Snapshot health)
    {
        /** Its state for people: {@code draining} when it left {@code up} but statements still run on it. */
        String stateLabel()
        {
            return health.state() != ServerHealth.State.UP && activeStatements > 0 ? "draining" : health.state().label();
        }

        String describe()
        {
            return name + (primary ? " (primary)" : "") + ": " + stateLabel() + ", lag " + health.lagText() + ", " + activeStatements + " active";
        }
    }

    /**
     * Where a statement goes.
     *
     * @param order the servers to try, best first; empty when refused
     * @param fallback whether the order is the primary standing in for the replicas
     * @param limit the freshness limit that applied
     * @param decisionText the choice (or refusal) and why, in one line
     * @param lineTexts one line per server
     * @param refusal the 57P03 error when no server may serve the statement
     */
    record Route(List<String> order, boolean fallback, FreshnessLimits.Limit limit, Supplier<String> decisionText, Supplier<List<String>> lineTexts,
            Optional<QueryException> refusal)
    {
        Route
        {
            order = List.copyOf(order);
            requireNonNull(decisionText, "decisionText is null");
            requireNonNull(lineTexts, "lineTexts is null");
        }

        /**
         * The choice and why. Written when asked (explain, a fallback's log line), not for every
         * statement: formatting it cost a point lookup about 5 % of its CPU (docs/benchmarks.md).
         */
        String decision()
        {
            return decisionText.get();
        }

        /** One line per server, as the servers are when asked. */
        List<String> lines()
        {
            return List.copyOf(lineTexts.get());
        }

        RouteExplanation explanation(String source)
        {
            return new RouteExplanation(source, order.stream().findFirst(), decision(), lines());
        }
    }

    /**
     * The route of a statement reading {@code tables}.
     *
     * @param exclude servers the statement already failed on
     */
    Route route(List<SourceTable> tables, List<View> servers, Set<String> exclude)
    {
        FreshnessLimits.Limit limit = limits.forTables(tables);
        List<ReadServerSelector.Candidate> eligible = new ArrayList<>();
        View fallback = null;
        for (View server : servers) {
            if (server.fallbackOnly()) {
                fallback = server;
            }
            else if (!exclude.contains(server.name()) && server.health().serves(limit.seconds())) {
                eligible.add(new ReadServerSelector.Candidate(server.name(), server.weight(), server.activeStatements()));
            }
        }
        if (!eligible.isEmpty()) {
            List<String> order = selector.choose(eligible);
            int qualifying = eligible.size();
            return new Route(order, false, limit,
                    () -> order.get(0) + " under " + limit.describe() + ": "
                            + (qualifying == 1 ? "the only server that qualifies" : "fewest active statements per weight among " + qualifying + " that qualify"),
                    () -> lines(servers, limit, exclude, order.get(0)), Optional.empty());
        }
        String summary = summary(servers, limit, exclude);
        if (fallback != null && fallback.health().alive() && !exclude.contains(fallback.name())) {
            String decision = fallback.name() + " (read_from_primary: fallback): no replica qualifies under " + limit.describe();
            List<String> lines = lines(servers, limit, exclude, fallback.name());
            return new Route(List.of(fallback.name()), true, limit, () -> decision, () -> lines, Optional.empty());
        }
        QueryException refusal = new QueryException(SqlStates.CANNOT_CONNECT_NOW,
                "no server of source '" + source + "' may serve this statement now: it needs " + limit.describe() + "; " + summary + "; " + primaryNote(fallback),
                "run it again when a replica has caught up or is back; or raise the limit (routing.max_lag, routing.max_lag_for) or set "
                        + "read_from_primary: fallback for source '" + source + "'",
                null);
        String decision = "refused (57P03): no server qualifies under " + limit.describe();
        List<String> lines = lines(servers, limit, exclude, null);
        return new Route(List.of(), false, limit, () -> decision, () -> lines, Optional.of(refusal));
    }

    /**
     * {@link #route} of a statement on a source whose only server is {@code name} (not fallback-only),
     * nothing excluded, when that server serves the statement's limit now; null when it does not
     * (then {@link #route} decides, and words the refusal). The route is the one {@link #route}
     * would return, made once per limit rather than per statement: its lines describe the servers
     * as they are when asked ({@code views}).
     */
    Route onlyServer(List<SourceTable> tables, String name, ServerHealth health, Supplier<List<View>> views)
    {
        FreshnessLimits.Limit limit = limits.forTables(tables);
        if (!health.serves(limit.seconds(), System.nanoTime())) {
            return null;
        }
        Route last = lastOnlyServer;
        if (last != null && last.limit().equals(limit) && last.order().get(0).equals(name)) {
            return last;
        }
        Route route = new Route(List.of(name), false, limit, () -> name + " under " + limit.describe() + ": the only server that qualifies",
                () -> lines(views.get(), limit, Set.of(), name), Optional.empty());
        lastOnlyServer = route;
        return route;
    }

    /** The servers for reading metadata: any that answers, lagging or not (schemas do not need fresh rows), in the selector's order. */
    List<String> metadataOrder(List<View> servers)
    {
        List<ReadServerSelector.Candidate> alive = new ArrayList<>();
        for (View server : servers) {
            if (!server.fallbackOnly() && server.health().alive()) {
                alive.add(new ReadServerSelector.Candidate(server.name(), server.weight(), server.activeStatements()));
            }
        }
        if (alive.isEmpty()) {
            servers.stream().filter(View::fallbackOnly).filter(server -> server.health().alive()).findFirst()
                    .ifPresent(primary -> alive.add(new ReadServerSelector.Candidate(primary.name(), 1, primary.activeStatements())));
        }
        return alive.isEmpty() ? List.of() : selector.choose(alive);
    }

    /** The 57P03 error for metadata reads when no server answers. */
    QueryException noServerAnswers(List<View> servers)
    {
        List<String> states = servers.stream().map(server -> server.name() + " " + stateWithReason(server)).toList();
        return new QueryException(SqlStates.CANNOT_CONNECT_NOW, "no server of source '" + source + "' answers: " + String.join("; ", states),
                "check that the replicas are running and reachable from the gateway", null);
    }

    private String primaryNote(View fallback)
    {
        return switch (primaryReads) {
            case NEVER -> "the primary is never read (read_from_primary: false)";
            case ALWAYS -> "the primary is one of the servers above (read_from_primary: true)";
            case FALLBACK -> "the fallback primary " + (fallback == null ? "is not configured" : fallback.name() + " is " + stateWithReason(fallback));
        };
    }

    private static String summary(List<View> servers, FreshnessLimits.Limit limit, Set<String> exclude)
    {
        List<String> parts = new ArrayList<>();
        for (View server : servers) {
            if (!server.fallbackOnly()) {
                parts.add(server.name() + " is " + stateWithReason(server) + (exclude.contains(server.name()) ? ", and failed this statement" : ""));
            }
        }
        return parts.isEmpty() ? "no replica is configured" : String.join("; ", parts);
    }

    /** {@code up, lag 8.2 s} or {@code down (connection refused)} or {@code lagging, lag ∞ (replication SQL thread not running (No))}. */
    private static String stateWithReason(View server)
    {
        ServerHealth.Snapshot health = server.health();
        String text = server.stateLabel();
        if (health.state() != ServerHealth.State.DOWN) {
            text += ", lag " + health.lagText();
            // a server serves a limit only once its last few readings are all within it: say so when one was not
            if (!Double.isNaN(health.worstRecentLag()) && (Double.isNaN(health.lagSeconds()) || health.worstRecentLag() > health.lagSeconds())) {
                text += " (" + ReplicationLag.formatSeconds(health.worstRecentLag()) + " in a recent check)";
            }
        }
        if (server.activeStatements() > 0) {
            text += ", " + server.activeStatements() + " statement(s) still running";
        }
        return text + health.reason().map(reason -> " (" + reason + ")").orElse("");
    }

    private static List<String> lines(List<View> servers, FreshnessLimits.Limit limit, Set<String> exclude, String chosen)
    {
        List<String> lines = new ArrayList<>();
        for (View server : servers) {
            String verdict;
            ServerHealth.Snapshot health = server.health();
            if (server.name().equals(chosen)) {
                verdict = "chosen";
            }
            else if (server.fallbackOnly()) {
                verdict = "read only when no replica qualifies (read_from_primary: fallback)";
            }
            else if (exclude.contains(server.name())) {
                verdict = "failed this statement before its first row";
            }
            else if (health.state() != ServerHealth.State.UP) {
                verdict = "not eligible: " + health.state().label() + health.reason().map(reason -> " (" + reason + ")").orElse("");
            }
            else if (!(health.lagSeconds() <= limit.seconds())) {
                verdict = "not eligible: lag over " + limit.describe();
            }
            else if (!(health.worstRecentLag() <= limit.seconds())) {
                verdict = "not eligible: lag " + ReplicationLag.formatSeconds(health.worstRecentLag()) + " in a recent check, over " + limit.describe();
            }
            else {
                verdict = "eligible";
            }
            lines.add(server.describe() + ": " + verdict);
        }
        return lines;
    }
}
