package dev.sekisho.gateway;

import dev.sekisho.gateway.auth.ClientCertificateCheck;
import dev.sekisho.gateway.auth.LiveUsers;
import dev.sekisho.gateway.auth.LoginThrottle;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UsersFile;
import dev.sekisho.gateway.avatica.AvaticaServer;
import dev.sekisho.gateway.avatica.AvaticaServerOptions;
import dev.sekisho.gateway.auth.UsersFileWatcher;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.ConfigWarning;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.dictionary.DictionaryInstaller;
import dev.sekisho.gateway.execution.Admission;
import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.ReadAheadBudget;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.SourceAnswerCounts;
import dev.sekisho.gateway.execution.SourceHolderThreads;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.execution.WorkerPool;
import dev.sekisho.gateway.guard.CostGuard;
import dev.sekisho.gateway.guard.LazyLedger;
import dev.sekisho.gateway.metrics.GatewayCaches;
import dev.sekisho.gateway.pgwire.PgServer;
import dev.sekisho.gateway.pgwire.PgIoTransport;
import dev.sekisho.gateway.pgwire.PgServerOptions;
import dev.sekisho.gateway.pgwire.PgTls;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.gateway.resultcache.CachingConnector;
import dev.sekisho.gateway.resultcache.ResultCache;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.gateway.sourceio.EventLoopGuardedConnector;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorFactory;
import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.ServerStatus;
import dev.sekisho.planner.spi.SourceConfigWarning;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The running gateway: the one place that wires connectors, the planner and the front doors
 * together (ARCHITECTURE.md, "Modules"). Start with {@link #start}; {@link #close} stops it.
 */
public final class Gateway
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** How long a source's estimate of a statement is reused for the same statement and parameters. */
    private static final Duration ESTIMATE_CACHE = Duration.ofSeconds(30);

    private final List<Connector> connectors;
    private final WorkerPool workers;
    private final PgServer pgServer;
    private final int pgPort;
    private final Optional<GatewayPolicies> policies;
    /** The Avatica front door and its port, when configured. */
    private Optional<AvaticaServer> avaticaServer = Optional.empty();
    private int avaticaPort = -1;
    private final LiveUsers users;
    private final Optional<UsersFileWatcher> usersWatcher;
    private final Sessions sessions;
    private final Optional<CostGuard> costGuard;
    private final CalciteQueryPlanner planner;
    private final GatewayOperations operations;

    private final Optional<ResultCache> resultCache;

    private Gateway(List<Connector> connectors, CalciteQueryPlanner planner, WorkerPool workers, PgServer pgServer, int pgPort,
            Optional<GatewayPolicies> policies, LiveUsers users, Optional<UsersFileWatcher> usersWatcher, Sessions sessions, Optional<CostGuard> costGuard,
            GatewayOperations operations, Optional<ResultCache> resultCache)
    {
        this.planner = requireNonNull(planner, "planner is null");
        this.costGuard = requireNonNull(costGuard, "costGuard is null");
        this.resultCache = requireNonNull(resultCache, "resultCache is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.policies = requireNonNull(policies, "policies is null");
        this.connectors = List.copyOf(connectors);
        this.workers = requireNonNull(workers, "workers is null");
        this.pgServer = requireNonNull(pgServer, "pgServer is null");
        this.pgPort = pgPort;
        this.users = requireNonNull(users, "users is null");
        this.usersWatcher = requireNonNull(usersWatcher, "usersWatcher is null");
        this.sessions = requireNonNull(sessions, "sessions is null");
    }

    /** Starts the gateway. Sources that are down do not stop it; their queries fail until they answer. */
    public static Gateway start(SekishoConfig config)
    {
        LiveUsers users = new LiveUsers(() -> UsersFile.load(config.usersFile()), config.usersFile().toString());
        warnings(config).forEach(warning -> log.warn("{}", warning));
        // every source refuses its blocking calls on a front door's event loop rather than stall the loop's sessions
        List<Connector> connectors = createConnectors(config).stream().map(connector -> (Connector) new EventLoopGuardedConnector(connector)).toList();
        WorkerPool workers = null;
        GatewayPolicies policies = null;
        CostGuard costGuard = null;
        UsersFileWatcher usersWatcher = null;
        GatewayOperations operations = null;
        // what the gateway closes: the connectors, or the result cache's wrappers around them (which close them and their checks)
        List<Connector> owned = connectors;
        try {
            PlannerOptions plannerOptions = PlannerOptions.defaults().withLocalJoinMaxRows(config.execution().localMaxRows())
                    .withReplicatedTables(config.replicatedTables());
            Optional<String> hashSalt = config.policies().flatMap(GatewayPolicies::hashSalt);
            if (hashSalt.isPresent()) {
                plannerOptions = plannerOptions.withHashSalt(hashSalt.get());
            }
            Optional<ResultCache> resultCache = config.resultCache().map(ResultCache::new);
            // the result cache sits between the planner and each source: it sees what the source would receive
            List<Connector> planned = resultCache
                    .map(cache -> connectors.stream().map(connector -> (Connector) new CachingConnector(connector, cache)).toList())
                    .orElse(connectors);
            owned = planned;
            CalciteQueryPlanner planner = new CalciteQueryPlanner(planned, plannerOptions);
            // DDL in a change feed: the catalog and every plan are read again, off the feed's thread, at once and again once
            // the replicas had the change_settle time to apply the DDL too (the catalog is read where statements are read)
            resultCache.ifPresent(cache -> planned.stream().filter(CachingConnector.class::isInstance).map(CachingConnector.class::cast)
                    .forEach(caching -> caching.onSchemaChange(() -> {
                        refreshAfterSchemaChange(planner, caching.name(), CompletableFuture.delayedExecutor(0, TimeUnit.MILLISECONDS));
                        refreshAfterSchemaChange(planner, caching.name(),
                                CompletableFuture.delayedExecutor(cache.settings().changeSettle().toMillis(), TimeUnit.MILLISECONDS));
                    })));
            SessionPolicies sessionPolicies;
            Admission admission = Admission.ADMIT_ALL;
            if (config.policies().isPresent()) {
                policies = GatewayPolicies.start(config.policies().get(), planner, config.file().toString());
                // an edited policy or users file changes what each user may see: no result read under the old one is served again
                GatewayPolicies started = policies;
                resultCache.ifPresent(cache -> started.addListener(result -> cache.invalidateAll()));
                CostGuard guard = new CostGuard(policies.store()::current, connectors, ESTIMATE_CACHE, Gateway::logAdmitted,
                        Optional.of(new LazyLedger(config.policies().get().ledger())), Clock.systemUTC(), cacheLookup(planned));
                costGuard = guard;
                sessionPolicies = SessionPolicies.of(policies.store()::current, name -> users.lookup(name).map(UserRecord::principal), guard::budget);
                admission = guard;
                DictionaryInstaller.install(planner, config.policies().get().dir(), Optional.of(policies));
            }
            else {
                log.warn("No policies are configured (no 'policies:' in {}): every user sees every exposed table unmasked", config.file());
                sessionPolicies = SessionPolicies.disabled();
            }
            workers = WorkerPool.start(config.execution().workerThreads(), config.execution().queueSize());
            PgServerOptions options = PgServerOptions.defaults()
                    .withHost(config.listen().host())
                    .withPort(config.listen().port())
                    .withMaxMessageBytes(config.protocol().maxMessageBytes())
                    .withMaxConnections(config.protocol().maxConnections())
                    .withIoTransport(PgIoTransport.valueOf(config.protocol().ioTransport().name()))
                    .withCacheHitsOnEventLoop(config.protocol().cacheHitsOnEventLoop())
                    .withStatementsOnEventLoop(config.protocol().statementsOnEventLoop())
                    .withReadAheadBytes(config.protocol().readAheadBytes())
                    .withReadAheadTotalBytes(config.protocol().readAheadTotalBytes());
            if (config.tls().isPresent()) {
                options = options.withTls(tls(config));
            }
            operations = GatewayOperations.start(config, connectors, Optional.ofNullable(policies), new GatewayCaches(planner::planCacheStats, resultCache),
                    Clock.systemUTC());
            Sessions sessions = new Sessions(planner, sessionPolicies, config.searchPath(), new StatementPipeline(admission, operations.statementListener()),
                    config.limits(), operations.sessionListener(), resultCache, planned);
            // a user removed, disabled or changed in the users file loses their open sessions
            users.addListener(reload -> sessions.terminateUsers(reload.ended()));
            if (config.auth().watchUsersFile()) {
                usersWatcher = new UsersFileWatcher(users, config.usersFile(), UsersFileWatcher.DEFAULT_DEBOUNCE, UsersFileWatcher.DEFAULT_POLL_INTERVAL).start();
            }
            SekishoConfig.FailedLogins failedLogins = config.auth().failedLogins();
            LoginThrottle throttle = new LoginThrottle(new LoginThrottle.Settings(failedLogins.delay(), failedLogins.maxDelay(), failedLogins.lockoutAfter(),
                    failedLogins.window()));
            operations.startAdmin(users, sessions, Optional.ofNullable(costGuard));
            // one limit over both front doors, and one failed-login count: a door is no way around the other's
            ClientConnections clientConnections = new ClientConnections(config.protocol().maxConnections());
            PgServer server = new PgServer(options, users, throttle, sessions, clientConnections, workers.executor(), SourceHolderThreads.shared());
            operations.metrics().bindReadAhead(server.readAheadBudget());
            operations.metrics().bindSourceAnswers(server.sourceAnswers());
            int port = server.start();
            log.info("Sekisho {} listening on {}:{} with source(s) {}", version(), config.listen().host(), port,
                    connectors.stream().map(Connector::name).toList());
            Gateway gateway = new Gateway(planned, planner, workers, server, port, Optional.ofNullable(policies), users, Optional.ofNullable(usersWatcher),
                    sessions, Optional.ofNullable(costGuard), operations, resultCache);
            if (config.avatica().isPresent()) {
                try {
                    gateway.startAvatica(config, users, throttle, sessions, clientConnections);
                }
                catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
            }
            return gateway;
        }
        catch (RuntimeException e) {
            if (operations != null) {
                operations.close();
            }
            if (costGuard != null) {
                costGuard.close();
            }
            if (usersWatcher != null) {
                usersWatcher.close();
            }
            if (workers != null) {
                workers.close();
            }
            if (policies != null) {
                policies.close();
            }
            owned.forEach(Gateway::closeQuietly);
            throw e;
        }
    }

    private static void refreshAfterSchemaChange(CalciteQueryPlanner planner, String source, Executor executor)
    {
        CompletableFuture.runAsync(planner::refresh, executor).exceptionally(failure -> {
            log.warn("Reading the catalog again after a schema change at source {} failed; plans made before stay until the next refresh", source, failure);
            return null;
        });
    }

    /** Starts the Avatica front door over the same sessions, login throttle and connection count as the PostgreSQL one. */
    private void startAvatica(SekishoConfig config, LiveUsers users, LoginThrottle throttle, Sessions sessions, ClientConnections clientConnections)
    {
        SekishoConfig.Avatica avatica = config.avatica().orElseThrow();
        AvaticaServerOptions options = new AvaticaServerOptions(avatica.host(), avatica.port(),
                avatica.json() ? AvaticaServerOptions.Serialization.JSON : AvaticaServerOptions.Serialization.PROTOBUF,
                config.tls().isPresent() ? Optional.of(tls(config)) : Optional.empty(), avatica.allowPlainHttp(), config.protocol().maxMessageBytes(),
                config.protocol().maxConnections(), Duration.ofSeconds(avatica.idleTimeoutSeconds()), avatica.maxFrameRows());
        AvaticaServer server = new AvaticaServer(options, users, throttle, sessions, clientConnections, workers.executor(), SourceHolderThreads.shared());
        avaticaPort = server.start();
        avaticaServer = Optional.of(server);
        log.info("Avatica (JDBC over HTTP{}) listening on {}:{}", options.tls().isPresent() ? "S" : ", plain HTTP for local use", avatica.host(), avaticaPort);
    }

    /** Checks everything that can be checked without serving: the users file, TLS files, each source's settings and the policy files. */
    public static void validate(SekishoConfig config)
    {
        validateFiles(config);
        List<Connector> connectors = createConnectors(config);
        try {
            if (config.policies().isPresent()) {
                PlannerOptions options = GatewayPolicies.hashSalt(config.policies().get()).map(PlannerOptions.defaults()::withHashSalt).orElse(PlannerOptions.defaults());
                GatewayPolicies.load(config.policies().get().dir(), new CalciteQueryPlanner(connectors, options), config.file().toString());
            }
        }
        finally {
            connectors.forEach(Gateway::closeQuietly);
        }
    }

    /** Checks what needs no source: the users file and the TLS certificate and key. */
    public static void validateFiles(SekishoConfig config)
    {
        UsersFile.load(config.usersFile());
        if (config.tls().isPresent()) {
            tls(config);
        }
    }

    /**
     * What works but should change: passwords written in clear text in the file, remote sources
     * without verified TLS. Never a secret's value.
     */
    public static List<ConfigWarning> warnings(SekishoConfig config)
    {
        Map<String, ConnectorFactory> factories = factories();
        List<ConfigWarning> warnings = new ArrayList<>(config.warnings());
        for (SekishoConfig.Source source : config.sources()) {
            ConnectorFactory factory = factories.get(source.config().type());
            if (factory == null) {
                continue;
            }
            for (SourceConfigWarning warning : factory.warnings(source.config())) {
                warnings.add(new ConfigWarning(config.file().toString(), source.lineOf(warning.key()), "sources." + source.config().name() + "." + warning.key(),
                        config.secrets().redact(warning.message())));
            }
        }
        return warnings;
    }

    /** Loads the TLS certificate and key named by {@code tls:}; problems are reported on that line. */
    private static PgTls tls(SekishoConfig config)
    {
        SekishoConfig.Tls tls = config.tls().orElseThrow();
        try {
            return PgTls.fromPemFiles(tls.certFile(), tls.keyFile(), tls.mode() == SekishoConfig.TlsMode.REQUIRED ? PgTls.Mode.REQUIRED : PgTls.Mode.OPTIONAL,
                    tls.clientCa(), ClientCertificateCheck.valueOf(tls.clientCertificate().name()));
        }
        catch (IllegalArgumentException e) {
            throw new ConfigException(config.file().toString(), tls.line(), "tls", e.getMessage());
        }
    }

    /** The Postgres-wire port actually bound (useful when the configuration asked for port 0). */
    public int pgPort()
    {
        return pgPort;
    }

    /** The Avatica port actually bound; empty when the Avatica front door is not configured. */
    public Optional<Integer> avaticaPort()
    {
        return avaticaServer.map(server -> avaticaPort);
    }

    /** The admin endpoint's port, when the configuration has an {@code admin:} section. */
    public Optional<Integer> adminPort()
    {
        return operations.adminPort();
    }

    /** Sekisho's version, from the jar manifest when there is one. */
    public static String version()
    {
        String version = Gateway.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    /** The servers of source {@code source} and their pools now (empty for an unknown source). */
    public List<ServerStatus> servers(String source)
    {
        return connectors.stream().filter(connector -> connector.name().equals(source)).findFirst().map(Connector::servers).orElse(List.of());
    }

    /** How many statements the planner planned (plan-cache misses) since start; for tests and metrics. */
    public long plannedStatements()
    {
        return planner.planCount();
    }

    /** Whether the result cache in front of a fragment's source would answer it now (the cost guard then skips its estimate). */
    private static CostGuard.CacheLookup cacheLookup(List<Connector> planned)
    {
        Map<String, CachingConnector> caching = planned.stream().filter(CachingConnector.class::isInstance).map(CachingConnector.class::cast)
                .collect(Collectors.toUnmodifiableMap(CachingConnector::name, Function.identity()));
        if (caching.isEmpty()) {
            return CostGuard.CacheLookup.NONE;
        }
        return (fragment, statement) -> {
            CachingConnector connector = caching.get(fragment.source());
            return connector != null && connector.wouldAnswer(fragment, statement.resultCacheSetting());
        };
    }

    /** The bytes of rows the PostgreSQL front door's sessions keep read ahead of their next Execute, together; for tests and metrics. */
    public ReadAheadBudget readAheadBudget()
    {
        return pgServer.readAheadBudget();
    }

    /** How the statements started at their sources on the PostgreSQL front door's event loops ended (answered there, or declined); for tests and metrics. */
    public SourceAnswerCounts sourceAnswers()
    {
        return pgServer.sourceAnswers();
    }

    /** The result cache, when the configuration has a {@code result_cache:} section. */
    public Optional<ResultCache> resultCache()
    {
        return resultCache;
    }

    /** The live policies, when the configuration names a policy directory. */
    public Optional<GatewayPolicies> policies()
    {
        return policies;
    }

    /** The users in force (the users file, reloaded when it changes). */
    public LiveUsers users()
    {
        return users;
    }

    /** The open sessions, of every front door. */
    public Sessions sessions()
    {
        return sessions;
    }

    @Override
    public void close()
    {
        usersWatcher.ifPresent(UsersFileWatcher::close);
        policies.ifPresent(GatewayPolicies::close);
        avaticaServer.ifPresent(AvaticaServer::close);
        pgServer.closeConnections();
        workers.close();
        operations.close();
        costGuard.ifPresent(CostGuard::close);
        // the connectors close their sockets on the front door's event loops (statements run there without a worker): the loops stop after them
        connectors.forEach(Gateway::closeQuietly);
        pgServer.close();
    }

    private static void logAdmitted(CostGuard.Admitted admitted)
    {
        if (admitted.group().isPresent() && log.isDebugEnabled()) {
            log.debug("{}{} admitted to resource group {} after {} ms in its queue", admitted.principal().name(),
                    admitted.account().equals(admitted.principal()) ? "" : " (through " + admitted.account().name() + ")", admitted.group().get(),
                    admitted.queueWait().toMillis());
        }
    }

    /** Creates the connectors the configuration names; the caller closes them. */
    public static List<Connector> createConnectors(SekishoConfig config)
    {
        Map<String, ConnectorFactory> factories = factories();
        List<Connector> connectors = new ArrayList<>();
        try {
            for (SekishoConfig.Source source : config.sources()) {
                ConnectorFactory factory = factories.get(source.config().type());
                if (factory == null) {
                    throw new ConfigException(config.file().toString(), source.lineOf("type"),
                            "sources." + source.config().name() + ".type",
                            "unknown source type '" + source.config().type() + "'; known types: " + String.join(", ", factories.keySet()));
                }
                try {
                    connectors.add(factory.create(source.config()));
                }
                catch (InvalidConfigException e) {
                    throw config.secrets().redact(source.toConfigException(config.file().toString(), e));
                }
            }
            return connectors;
        }
        catch (RuntimeException e) {
            connectors.forEach(Gateway::closeQuietly);
            throw e;
        }
    }

    private static Map<String, ConnectorFactory> factories()
    {
        Map<String, ConnectorFactory> factories = new TreeMap<>();
        ServiceLoader.load(ConnectorFactory.class).forEach(factory -> factories.put(factory.name(), factory));
        return factories;
    }

    private static void closeQuietly(Connector connector)
    {
        try {
            connector.close();
        }
        catch (RuntimeException e) {
            log.warn("Closing source {} failed", connector.name(), e);
        }
    }

}
