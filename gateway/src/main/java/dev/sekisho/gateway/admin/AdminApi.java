package dev.sekisho.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.sekisho.gateway.audit.AuditListener;
import dev.sekisho.gateway.execution.ClientSession;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementInfo;
import dev.sekisho.gateway.metrics.GatewayMetrics;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.policies.ReloadResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The admin endpoint's routes (docs/operations.md lists them). {@code /health} and {@code /ready}
 * answer anyone (load balancers and orchestrators probe them; they say nothing about data);
 * everything else, the page included, is for admins only. Requests that change something, and
 * refused ones, are recorded in the audit trail. Called on the endpoint's own threads, never on a
 * network event loop.
 */
final class AdminApi
{
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();
    private static final Pattern CANCEL = Pattern.compile("/api/sessions/(\\d+)/cancel");
    private static final Map<String, String> PAGE_FILES = Map.of(
            "/", "admin/index.html",
            "/index.html", "admin/index.html",
            "/admin.js", "admin/admin.js",
            "/admin.css", "admin/admin.css");
    private static final String NOT_CONFIGURED_BUDGETS = "budgets are not configured: per-team budgets arrive with the cost guard;"
            + " until then the chart shows each team's statements today";
    private static final String NOT_CONFIGURED_CACHES = "caches are not configured: result and plan cache statistics arrive with the caches";

    private final AdminAuthenticator authenticator;
    private final Sessions sessions;
    private final SessionActivity activity;
    private final RecentStatements recent;
    private final ReplicaHistory replicaHistory;
    private final List<Connector> connectors;
    private final Optional<GatewayPolicies> policies;
    private final GatewayMetrics metrics;
    private final Optional<AuditListener> audit;
    private final Clock clock;
    private final String uplotVersion;

    AdminApi(AdminAuthenticator authenticator, Sessions sessions, SessionActivity activity, RecentStatements recent, ReplicaHistory replicaHistory,
            List<Connector> connectors, Optional<GatewayPolicies> policies, GatewayMetrics metrics, Optional<AuditListener> audit, Clock clock)
    {
        this.authenticator = requireNonNull(authenticator, "authenticator is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.activity = requireNonNull(activity, "activity is null");
        this.recent = requireNonNull(recent, "recent is null");
        this.replicaHistory = requireNonNull(replicaHistory, "replicaHistory is null");
        this.connectors = List.copyOf(connectors);
        this.policies = requireNonNull(policies, "policies is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.audit = requireNonNull(audit, "audit is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.uplotVersion = webJarVersion("uplot");
    }

    AdminResponse handle(AdminRequest request)
    {
        String path = request.path();
        if (path.equals("/health")) {
            return json(200, Map.of("status", "up"));
        }
        if (path.equals("/ready")) {
            return ready();
        }
        AdminAuthenticator.Result auth = authenticator.check(request.authorization());
        if (auth instanceof AdminAuthenticator.Unauthenticated unauthenticated) {
            unauthenticated.user().ifPresent(user -> recordAdmin(user, request, "login", "denied"));
            return new AdminResponse(401, "application/json", bytes(Map.of("error", "admin credentials required (HTTP Basic, a users-file user in an admin group)")),
                    Map.of("WWW-Authenticate", "Basic realm=\"sekisho admin\", charset=\"UTF-8\""));
        }
        if (auth instanceof AdminAuthenticator.Forbidden forbidden) {
            recordAdmin(forbidden.user(), request, request.method() + " " + path, "denied");
            return json(403, Map.of("error", "user " + forbidden.user() + " is not in an admin group"));
        }
        String user = ((AdminAuthenticator.Admitted) auth).principal().name();
        boolean post = request.method().equals("POST");
        if (!post && !request.method().equals("GET")) {
            return json(405, Map.of("error", "only GET and POST"));
        }
        Matcher cancel = CANCEL.matcher(path);
        if (post && cancel.matches()) {
            return cancel(user, request, cancel.group(1));
        }
        if (post && path.equals("/api/policy/reload")) {
            return reload(user, request);
        }
        if (post && path.equals("/api/caches/flush")) {
            recordAdmin(user, request, "cache_flush", "not_configured");
            return json(409, Map.of("configured", false, "message", NOT_CONFIGURED_CACHES));
        }
        if (post) {
            return json(404, Map.of("error", "no such action: POST " + path));
        }
        return switch (path) {
            case "/metrics" -> AdminResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape());
            case "/api/policy" -> json(200, policy());
            case "/api/sessions" -> json(200, Map.of("sessions", sessionList()));
            case "/api/replicas" -> json(200, replicas());
            case "/api/statements" -> json(200, Map.of("statements", recent.latest()));
            case "/api/budgets" -> json(200, budgets());
            case "/api/caches" -> json(200, Map.of("configured", false, "message", NOT_CONFIGURED_CACHES));
            default -> staticFile(path);
        };
    }

    private AdminResponse ready()
    {
        List<String> reasons = new ArrayList<>();
        if (policies.isPresent() && !policies.get().store().isLoaded()) {
            reasons.add("the policy has not loaded");
        }
        boolean anySource = false;
        for (Connector connector : connectors) {
            try {
                anySource |= connector.servers().stream().anyMatch(server -> server.state().equalsIgnoreCase("up") || server.state().equalsIgnoreCase("lagging"));
            }
            catch (RuntimeException e) {
                // a source that cannot say counts as unreachable
            }
        }
        if (!anySource) {
            reasons.add("no source has a reachable server");
        }
        return json(reasons.isEmpty() ? 200 : 503, Map.of("ready", reasons.isEmpty(), "reasons", reasons));
    }

    private AdminResponse cancel(String user, AdminRequest request, String id)
    {
        int sessionId;
        try {
            sessionId = Integer.parseInt(id);
        }
        catch (NumberFormatException e) {
            return json(404, Map.of("error", "no session " + id));
        }
        boolean known = sessions.live().stream().anyMatch(session -> session.info().id() == sessionId);
        if (!known) {
            recordAdmin(user, request, "cancel", "not_found");
            return json(404, Map.of("error", "no session " + id));
        }
        boolean cancelled = sessions.cancelById(sessionId);
        recordAdmin(user, request, "cancel session " + sessionId, cancelled ? "ok" : "nothing_running");
        return json(200, Map.of("session_id", sessionId, "cancelled", cancelled));
    }

    private AdminResponse reload(String user, AdminRequest request)
    {
        if (policies.isEmpty()) {
            recordAdmin(user, request, "policy_reload", "not_configured");
            return json(409, Map.of("error", "no policies are configured"));
        }
        ReloadResult result = policies.get().reload();
        recordAdmin(user, request, "policy_reload", result.outcome().name().toLowerCase(Locale.ROOT));
        return json(result.isRejected() ? 422 : 200, reloadResult(result));
    }

    private Map<String, Object> policy()
    {
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("configured", policies.isPresent());
        policies.ifPresent(live -> {
            policy.put("version", live.store().current().version());
            policy.put("files", live.store().current().files());
            policy.put("last_reload", live.store().lastResult().map(AdminApi::reloadResult).orElse(null));
            policy.put("last_error", live.store().lastResult().filter(ReloadResult::isRejected)
                    .map(result -> result.problems().stream().map(Object::toString).toList()).orElse(null));
        });
        return policy;
    }

    private static Map<String, Object> reloadResult(ReloadResult result)
    {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        map.put("version", result.version());
        map.put("rejected_version", result.rejectedVersion().orElse(null));
        map.put("problems", result.problems().stream().map(Object::toString).toList());
        map.put("at", result.at());
        return map;
    }

    private List<Map<String, Object>> sessionList()
    {
        List<Map<String, Object>> list = new ArrayList<>();
        Instant now = clock.instant();
        for (ClientSession session : sessions.live()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", session.info().id());
            row.put("user", session.info().principal().name());
            row.put("groups", session.info().principal().groups().stream().sorted().toList());
            row.put("front_door", session.info().origin().frontDoor());
            row.put("client_address", session.info().origin().address().orElse(null));
            row.put("application", session.settings().show("application_name").filter(name -> !name.isEmpty()).orElse(null));
            row.put("connected", session.info().connected());
            Optional<StatementInfo> running = activity.running(session.info().id());
            row.put("state", running.isPresent() ? "active" : "idle");
            row.put("statement", running.map(statement -> statement.statement().sql()).orElse(null));
            row.put("running_millis", running.map(statement -> Duration.between(statement.started(), now).toMillis()).orElse(null));
            list.add(row);
        }
        list.sort((a, b) -> Integer.compare((int) a.get("id"), (int) b.get("id")));
        return list;
    }

    private Map<String, Object> replicas()
    {
        Map<String, Object> sources = new LinkedHashMap<>();
        for (Connector connector : connectors) {
            List<Map<String, Object>> servers = new ArrayList<>();
            for (ServerStatus server : connector.servers()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("server", server.name());
                row.put("role", server.role());
                row.put("state", server.state());
                row.put("lag_seconds", server.lagSeconds().isPresent() && Double.isFinite(server.lagSeconds().getAsDouble())
                        ? server.lagSeconds().getAsDouble() : null);
                row.put("active_connections", server.activeConnections());
                row.put("idle_connections", server.idleConnections());
                row.put("waiting_statements", server.waitingStatements());
                row.put("last_error", server.lastError().orElse(null));
                servers.add(row);
            }
            sources.put(connector.name(), servers);
        }
        return Map.of("sources", sources, "lag_history", replicaHistory.samples());
    }

    private Map<String, Object> budgets()
    {
        Map<String, Object> budgets = new LinkedHashMap<>();
        budgets.put("configured", false);
        budgets.put("message", NOT_CONFIGURED_BUDGETS);
        budgets.put("teams", recent.today());
        return budgets;
    }

    private AdminResponse staticFile(String path)
    {
        String resource = PAGE_FILES.get(path);
        String contentType = null;
        if (resource != null) {
            contentType = path.endsWith(".js") ? "text/javascript; charset=utf-8" : path.endsWith(".css") ? "text/css; charset=utf-8" : "text/html; charset=utf-8";
        }
        else if (path.equals("/vendor/uPlot.iife.min.js") || path.equals("/vendor/uPlot.min.css")) {
            resource = "META-INF/resources/webjars/uplot/" + uplotVersion + "/dist/" + path.substring("/vendor/".length());
            contentType = path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
        }
        if (resource == null) {
            return json(404, Map.of("error", "no such page: " + path));
        }
        try (InputStream in = AdminApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return json(404, Map.of("error", "no such page: " + path));
            }
            return new AdminResponse(200, contentType, in.readAllBytes(), Map.of("Cache-Control", "no-cache"));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void recordAdmin(String user, AdminRequest request, String action, String outcome)
    {
        audit.ifPresent(listener -> listener.admin(user, request.clientAddress(), action, request.method() + " " + request.path(), outcome));
    }

    private static AdminResponse json(int status, Object body)
    {
        return new AdminResponse(status, "application/json", bytes(body), Map.of("Cache-Control", "no-store"));
    }

    private static byte[] bytes(Object body)
    {
        try {
            return JSON.writeValueAsBytes(body);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("an admin response did not serialise", e);
        }
    }

    private static String webJarVersion(String artifact)
    {
        String resource = "META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = AdminApi.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the " + artifact + " WebJar is missing from the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
