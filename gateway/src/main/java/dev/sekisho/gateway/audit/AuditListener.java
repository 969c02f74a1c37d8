package dev.sekisho.gateway.audit;

import dev.sekisho.gateway.execution.Admission;
import dev.sekisho.gateway.execution.ClientOrigin;
import dev.sekisho.gateway.execution.LoginRefusal;
import dev.sekisho.gateway.execution.SessionInfo;
import dev.sekisho.gateway.execution.SessionListener;
import dev.sekisho.gateway.execution.StatementFailures;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.execution.StatementListener;
import dev.sekisho.gateway.session.PreparedStatement;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SourceStatement;
import dev.sekisho.planner.spi.RouteExplanation;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.ReloadResult;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.StatementAnnotation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Turns what the execution layer hears into audit events: one per statement that ran (a portal
 * run that stops at its row limit is not an event; the run that ends the portal is, with the rows
 * and time of all its runs, and so is the portal's close when the client stops reading early or its
 * session ends), one per statement that failed before it could run, one per login, failed ones
 * too. Never blocks, as long as its sink does not.
 */
public final class AuditListener
        implements StatementListener, SessionListener
{
    /** SQLSTATEs of statements the gateway refused rather than failed: privileges, read-only, resources, limits. */
    private static final Set<String> REFUSALS = Set.of("42501", "25006", "53000", "53100", "53200", "53300", "53400", "54000", "54001");
    private static final String CANCELLED = "57014";

    private final Consumer<AuditEvent> sink;
    private final Clock clock;
    private final Supplier<Optional<String>> policyVersion;
    private final boolean resultCache;
    private final ServerRoles roles;
    /** Portals paused at their row limit (cursors, fetch sizes): the rows and start of their earlier runs, by session and portal. */
    private final Map<String, Suspended> suspended = new ConcurrentHashMap<>();

    /** The first run of a paused statement, and the rows and accounting of all its runs so far. */
    private record Suspended(StatementInfo first, long rows, Admission.Accounting accounting) {}

    /**
     * @param sink where events go: {@link AuditLog#record} (which never blocks), and the admin page's recent statements
     * @param policyVersion the policy version statements run under now, empty when policies are off
     */
    public AuditListener(Consumer<AuditEvent> sink, Clock clock, Supplier<Optional<String>> policyVersion)
    {
        this(sink, clock, policyVersion, false, ServerRoles.NONE);
    }

    /** @see #AuditListener(Consumer, Clock, Supplier, boolean, ServerRoles) */
    public AuditListener(Consumer<AuditEvent> sink, Clock clock, Supplier<Optional<String>> policyVersion, boolean resultCache)
    {
        this(sink, clock, policyVersion, resultCache, ServerRoles.NONE);
    }

    /** @see #AuditListener(Consumer, Clock, Supplier, boolean, ServerRoles) */
    public AuditListener(Consumer<AuditEvent> sink, Clock clock, Supplier<Optional<String>> policyVersion, ServerRoles roles)
    {
        this(sink, clock, policyVersion, false, roles);
    }

    /**
     * @param resultCache whether the gateway has a result cache: then each statement's
     *         {@code cache_hit} says whether it answered the statement (else it stays null)
     * @param roles the role of each source's servers, recorded with the server a statement went to
     */
    public AuditListener(Consumer<AuditEvent> sink, Clock clock, Supplier<Optional<String>> policyVersion, boolean resultCache, ServerRoles roles)
    {
        this.resultCache = resultCache;
        this.sink = requireNonNull(sink, "sink is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.policyVersion = requireNonNull(policyVersion, "policyVersion is null");
        this.roles = requireNonNull(roles, "roles is null");
    }

    @Override
    public void prepareFailed(SessionInfo session, String sql, Throwable failure)
    {
        Instant now = clock.instant();
        sink.accept(statement(session, Optional.empty(), sql, lexed(sql), "invalid", Optional.empty(), null, now, now, 0,
                Optional.of(failure), Admission.Accounting.NONE, Optional.empty()));
    }

    @Override
    public void suspended(StatementInfo statement, Admission.Accounting accounting, long rows)
    {
        suspended.merge(portalKey(statement), new Suspended(statement, rows, accounting),
                (earlier, now) -> new Suspended(earlier.first(), earlier.rows() + now.rows(), combined(earlier.accounting(), now.accounting())));
    }

    @Override
    public void closedEarly(StatementInfo statement)
    {
        Suspended earlier = suspended.remove(portalKey(statement));
        if (earlier != null) {
            ended(statement, earlier, Admission.Accounting.NONE, 0, Optional.empty());
        }
    }

    @Override
    public void finished(StatementInfo statement, Admission.Accounting accounting, long rows, Optional<Throwable> failure)
    {
        ended(statement, suspended.remove(portalKey(statement)), accounting, rows, failure);
    }

    /** The event of a statement that ended in {@code statement}'s run, after the runs of {@code earlier} (null: it had none). */
    private void ended(StatementInfo statement, Suspended earlier, Admission.Accounting accounting, long rows, Optional<Throwable> failure)
    {
        PreparedStatement prepared = statement.statement();
        Instant started = earlier == null ? statement.started() : earlier.first().started();
        long allRows = earlier == null ? rows : earlier.rows() + rows;
        Admission.Accounting all = earlier == null ? accounting : combined(earlier.accounting(), accounting);
        // the text as the client sent it: the session strips Redash's annotation before planning
        String text = prepared.clientSql();
        Optional<SqlStatement> lexed = text.equals(prepared.sql()) ? Optional.of(prepared.statement()) : lexed(text);
        sink.accept(statement(statement.session(), statement.applicationName(), text, lexed, prepared.kind().name().toLowerCase(Locale.ROOT),
                prepared.query(), resultCache ? statement.answeredFromCache() : null, started, clock.instant(), allRows, failure, all,
                statement.principal().equals(statement.account()) ? Optional.empty() : Optional.of(statement.principal().name())));
    }

    /**
     * The runs of one portal as one statement: the first run's estimate and group (later runs read
     * on from the source's results), the bytes billed and the queue waits of all runs.
     */
    private static Admission.Accounting combined(Admission.Accounting first, Admission.Accounting next)
    {
        OptionalLong billed = first.billedBytes().isEmpty() ? next.billedBytes() : next.billedBytes().isEmpty() ? first.billedBytes()
                : OptionalLong.of(first.billedBytes().getAsLong() + next.billedBytes().getAsLong());
        Optional<Duration> wait = first.queueWait().isEmpty() ? next.queueWait() : next.queueWait().isEmpty() ? first.queueWait()
                : Optional.of(first.queueWait().get().plus(next.queueWait().get()));
        return new Admission.Accounting(first.estimatedBytes().isPresent() ? first.estimatedBytes() : next.estimatedBytes(), billed,
                first.resourceGroup().or(next::resourceGroup), wait);
    }

    private static String portalKey(StatementInfo statement)
    {
        return statement.session().id() + "/" + statement.portal();
    }

    @Override
    public void opened(SessionInfo session)
    {
        sink.accept(new AuditEvent.Login("login", session.connected(), session.principal().name(), session.origin().frontDoor(),
                session.origin().address().orElse(null), true, session.id(), null, null));
    }

    @Override
    public void closed(SessionInfo session)
    {
        // statements still paused end with the session (their portals' close may come after this)
        String prefix = session.id() + "/";
        for (String key : List.copyOf(suspended.keySet())) {
            if (key.startsWith(prefix)) {
                Suspended earlier = suspended.remove(key);
                if (earlier != null) {
                    ended(earlier.first(), earlier, Admission.Accounting.NONE, 0, Optional.empty());
                }
            }
        }
    }

    @Override
    public void loginFailed(String user, ClientOrigin origin, String sqlState, LoginRefusal reason)
    {
        sink.accept(new AuditEvent.Login("login", clock.instant(), user, origin.frontDoor(), origin.address().orElse(null), false, null, sqlState,
                reason.code()));
    }

    /** A policy reload, applied or rejected; {@code trigger} says who asked ({@code watch} or {@code admin}). */
    public void policyReloaded(ReloadResult result, String trigger)
    {
        if (result.outcome() == ReloadResult.Outcome.UNCHANGED) {
            return;
        }
        String error = result.isRejected() ? result.problems().stream().map(Object::toString).collect(Collectors.joining("; ")) : null;
        sink.accept(new AuditEvent.PolicyReload("policy_reload", result.at(), !result.isRejected(),
                result.isRejected() ? result.rejectedVersion().orElse(null) : result.version(), error, trigger));
    }

    /** An admin endpoint request that acted or was refused. */
    public void admin(String user, Optional<String> clientAddress, String action, String target, String outcome)
    {
        sink.accept(new AuditEvent.Admin("admin", clock.instant(), user, clientAddress.orElse(null), action, target, outcome));
    }

    /** The statement lexed; empty when the lexer refuses it (an unterminated string). */
    private static Optional<SqlStatement> lexed(String text)
    {
        try {
            return Optional.of(SqlStatement.of(text));
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * @param cacheHit whether the result cache answered it; null without a result cache or a run
     * @param lexed {@code text} as the session lexed it (the digest and the annotation come from
     *         those tokens); empty when it could not be lexed
     * @param endUser the end user the session applied (a trusted shared account named one); empty:
     *         the annotation's user name, if any, is recorded
     */
    private AuditEvent.Statement statement(SessionInfo session, Optional<String> application, String text, Optional<SqlStatement> lexed, String kind,
            Optional<PreparedQuery> query, Boolean cacheHit, Instant started, Instant ended, long rows, Optional<Throwable> failure,
            Admission.Accounting accounting, Optional<String> endUser)
    {
        StatementDigest digest = lexed.map(StatementDigest::of).orElseGet(() -> StatementDigest.of(text));
        // Redash runs every query as its one account and names the person in its annotation
        Optional<StatementAnnotation> redash = lexed.flatMap(StatementAnnotation::of).filter(annotation -> annotation.username().isPresent());
        String redashQueryId = redash.flatMap(StatementAnnotation::queryId).filter(id -> !id.equalsIgnoreCase("adhoc")).orElse(null);
        Optional<String> sqlState = failure.map(StatementFailures::toQueryException).map(e -> e.sqlState());
        String outcome = sqlState.map(AuditListener::outcome).orElse("ok");
        List<AuditEvent.Source> sources = query.map(this::sources).orElse(List.of());
        return new AuditEvent.Statement("statement", started, session.id(), session.principal().name(),
                endUser.or(() -> redash.flatMap(StatementAnnotation::username)).orElse(null),
                session.principal().groups().stream().sorted().toList(), team(session.principal()), application.orElse(null), session.origin().address().orElse(null),
                session.origin().frontDoor(), redashQueryId, digest.sql(), digest.digest(), digest.normalized(), kind,
                sources, query.map(PreparedQuery::tablesRead).orElse(List.of()),
                query.map(plan -> plan.firedRules().stream().map(Object::toString).toList()).orElse(List.of()),
                policyVersion.get().orElse(null),
                boxed(accounting.estimatedBytes()), boxed(accounting.billedBytes()), cacheHit, accounting.resourceGroup().orElse(null),
                accounting.queueWait().map(Duration::toMillis).orElse(null),
                Duration.between(started, ended).toMillis(), rows, outcome, sqlState.orElse(null));
    }

    private static Long boxed(OptionalLong value)
    {
        return value.isPresent() ? value.getAsLong() : null;
    }

    /** The team usage is reported for: the {@code team} attribute, else the first group in name order, else the user. */
    public static String team(Principal principal)
    {
        String team = principal.attributes().get("team");
        if (team != null) {
            return team;
        }
        return principal.groups().stream().sorted().findFirst().orElse(principal.name());
    }

    private static String outcome(String sqlState)
    {
        if (sqlState.equals(CANCELLED)) {
            return "cancelled";
        }
        return REFUSALS.contains(sqlState) ? "refused" : "failed";
    }

    /** Each source's rewritten statement with the server its route picks now (routes are computed when asked). */
    private List<AuditEvent.Source> sources(PreparedQuery query)
    {
        Map<String, String> servers = query.routes().stream()
                .filter(route -> route.server().isPresent())
                .collect(Collectors.toMap(RouteExplanation::source, route -> route.server().orElseThrow(), (first, second) -> first));
        List<AuditEvent.Source> sources = new ArrayList<>();
        for (SourceStatement statement : query.sourceStatements()) {
            String server = servers.get(statement.source());
            sources.add(new AuditEvent.Source(statement.source(), server, role(statement.source(), server), statement.sql()));
        }
        if (sources.isEmpty()) {
            servers.forEach((source, server) -> sources.add(new AuditEvent.Source(source, server, role(source, server), null)));
        }
        return sources;
    }

    private String role(String source, String server)
    {
        return server == null ? null : roles.role(source, server).orElse(null);
    }
}
