package dev.sekisho.planner.plan;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.catalog.CopyFreshness;
import dev.sekisho.planner.catalog.ReplicatedTable;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.RouteExplanation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A statement over replicated tables ({@link ReplicatedTable}), planned twice: for the MySQL source
 * and for the warehouse copy, with the same result columns. Each execution chooses: the replicas
 * when the copy is older than the statement accepts, or when MySQL's EXPLAIN expects at most
 * {@code replica_max_rows} rows (a point lookup); the copy otherwise (a heavy scan the copy's
 * freshness allows). The choice depends on the time of day and the parameters' values, so it is
 * made when the statement runs, never cached with the plan.
 *
 * <p>A statement asks for fresher data than the tables' {@code max_staleness} with a comment:
 * {@code /* sekisho: max_staleness=10m *}{@code /}.
 */
final class ReplicatedRoute
        implements PreparedQuery
{
    private static final Logger log = LoggerFactory.getLogger(ReplicatedRoute.class);
    private static final Pattern HINT = Pattern.compile("sekisho:\\s*max_staleness\\s*=\\s*(\\w+)", Pattern.CASE_INSENSITIVE);

    private final PushedDownQuery replicas;
    private final PushedDownQuery copy;
    private final List<ReplicatedTable> tables;
    private final Optional<Duration> asked;
    private final Clock clock;

    /**
     * @param replicas the statement on the MySQL source
     * @param copy the same statement on the copies, with the same result columns
     * @param tables the replicated tables the statement reads
     * @throws QueryException 22023 when the statement's {@code max_staleness} comment is not a duration
     */
    ReplicatedRoute(PushedDownQuery replicas, PushedDownQuery copy, List<ReplicatedTable> tables, Clock clock)
    {
        this.replicas = requireNonNull(replicas, "replicas is null");
        this.copy = requireNonNull(copy, "copy is null");
        this.tables = List.copyOf(tables);
        if (this.tables.isEmpty()) {
            throw new IllegalArgumentException("tables is empty");
        }
        this.clock = requireNonNull(clock, "clock is null");
        this.asked = askedStaleness(replicas.sql());
    }

    private static Optional<Duration> askedStaleness(String sql)
    {
        Matcher matcher = HINT.matcher(sql);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(CopyFreshness.parseDuration(matcher.group(1)));
        }
        catch (IllegalArgumentException e) {
            throw new QueryException("22023", "the statement's sekisho: max_staleness comment is not a duration: " + e.getMessage(),
                    "Write e.g. /* sekisho: max_staleness=10m */ (ms, s, m, h or d).", null);
        }
    }

    /**
     * Where the statement runs now and why.
     *
     * @param parameters the client's values, or empty when there are none yet (EXPLAIN of a statement with parameters)
     */
    private Choice choose(Optional<List<Object>> parameters, ExecutionContext context)
    {
        Instant now = clock.instant();
        Duration age = Duration.ZERO;
        Duration accepted = null;
        long maxRows = Long.MAX_VALUE;
        List<String> lines = new ArrayList<>();
        for (ReplicatedTable table : tables) {
            Duration tableAge = table.freshness().ageAt(now);
            age = tableAge.compareTo(age) > 0 ? tableAge : age;
            accepted = accepted == null || table.maxStaleness().compareTo(accepted) < 0 ? table.maxStaleness() : accepted;
            maxRows = Math.min(maxRows, table.replicaMaxRows());
            lines.add(table.table() + ": copy " + table.copy() + " on source " + copy.connector().name() + ", " + table.freshness().describe() + ", "
                    + CopyFreshness.format(tableAge) + " old now; max_staleness " + CopyFreshness.format(table.maxStaleness())
                    + ", replica_max_rows " + table.replicaMaxRows());
        }
        String acceptedFrom = asked.isPresent() ? "the statement's max_staleness comment" : "max_staleness";
        accepted = asked.orElse(accepted);
        String replicaSource = replicas.connector().name();
        String copySource = copy.connector().name();
        if (age.compareTo(accepted) > 0) {
            return new Choice(false, replicaSource + ": the copy is " + CopyFreshness.format(age) + " old, older than " + CopyFreshness.format(accepted)
                    + " (" + acceptedFrom + ")", lines);
        }
        if (parameters.isEmpty() && !replicas.parameterTypes().isEmpty()) {
            lines.add("EXPLAIN on " + replicaSource + " needs the parameters' values: each execution asks it");
            return new Choice(false, replicaSource + " or " + copySource + ", chosen at each execution by MySQL's EXPLAIN rows (replica_max_rows "
                    + maxRows + "); the copy is fresh enough (" + CopyFreshness.format(age) + " old, " + acceptedFrom + " " + CopyFreshness.format(accepted) + ")",
                    lines);
        }
        OptionalLong rows;
        try {
            rows = replicas.connector().estimateRows(replicas.backendQuery(parameters.orElse(List.of())), context);
        }
        catch (QueryException e) {
            // the statement itself runs on the replicas and reports its error there
            log.debug("EXPLAIN on {} failed: {}", replicaSource, e.getMessage());
            rows = OptionalLong.empty();
        }
        if (rows.isEmpty()) {
            return new Choice(false, replicaSource + ": it gave no EXPLAIN estimate", lines);
        }
        lines.add("EXPLAIN on " + replicaSource + ": " + rows.getAsLong() + " rows");
        if (rows.getAsLong() <= maxRows) {
            return new Choice(false, replicaSource + ": EXPLAIN expects " + rows.getAsLong() + " rows, at most replica_max_rows " + maxRows, lines);
        }
        return new Choice(true, copySource + ": EXPLAIN on " + replicaSource + " expects " + rows.getAsLong() + " rows, over replica_max_rows " + maxRows
                + ", and the copy is " + CopyFreshness.format(age) + " old, within " + CopyFreshness.format(accepted) + " (" + acceptedFrom + ")", lines);
    }

    @Override
    public ResultStream execute(List<Object> parameters, ExecutionContext context)
    {
        Choice choice = choose(Optional.of(parameters), context);
        log.debug("replicated tables {}: {}", tables, choice.decision());
        return (choice.onCopy() ? copy : replicas).execute(parameters, context);
    }

    @Override
    public String explain()
    {
        return "Replicated tables, run on source " + replicas.connector().name() + " or on their copy in source " + copy.connector().name() + ":\n"
                + ExplainText.pushedDown(replicas.connector(), replicas.sourceSql()) + "\n"
                + ExplainText.pushedDown(copy.connector(), copy.sourceSql()) + "\n"
                + ExplainText.routes(routes());
    }

    /** The choice between the source and the copy, then the chosen source's own route (its replica). */
    @Override
    public List<RouteExplanation> routes()
    {
        Choice choice = choose(Optional.empty(), ExecutionContext.uncancellable("explain"));
        PushedDownQuery chosen = choice.onCopy() ? copy : replicas;
        List<RouteExplanation> routes = new ArrayList<>();
        routes.add(new RouteExplanation(replicas.connector().name() + " or copy " + copy.connector().name(), Optional.of(chosen.connector().name()),
                choice.decision(), choice.lines()));
        routes.addAll(chosen.routes());
        return routes;
    }

    @Override
    public String sql()
    {
        return replicas.sql();
    }

    @Override
    public List<ResultColumn> columns()
    {
        return replicas.columns();
    }

    @Override
    public List<ColumnType> parameterTypes()
    {
        return replicas.parameterTypes();
    }

    @Override
    public boolean isFullyPushedDown()
    {
        return true;
    }

    /**
     * @param onCopy whether the copy runs the statement
     * @param decision the choice and its reason, one line
     * @param lines the inputs: each table's copy and age, the EXPLAIN estimate
     */
    private record Choice(boolean onCopy, String decision, List<String> lines)
    {
        Choice
        {
            requireNonNull(decision, "decision is null");
            lines = List.copyOf(lines);
        }
    }
}
