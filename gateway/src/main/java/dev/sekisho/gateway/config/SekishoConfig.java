package dev.sekisho.gateway.config;

import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.planner.catalog.ReplicatedTable;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.gateway.resultcache.ResultCacheSettings;
import dev.sekisho.policies.yaml.YamlNode;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The gateway's configuration, {@code sekisho.yaml}, validated. See docs/configuration.md.
 *
 * @param file where it was read from (relative paths inside are resolved against its folder)
 * @param listen where the Postgres-wire front door listens
 * @param usersFile the users file (SCRAM verifiers, groups, attributes)
 * @param policies the policy files, or empty when no policies are configured (then every user sees every table)
 * @param searchPath schemas searched for unqualified table names, for every session
 * @param execution worker pool sizes
 * @param protocol wire-protocol limits
 * @param sources the databases behind the gateway
 * @param tls TLS for the Postgres-wire front door (and the Avatica one); empty: clients connect without TLS
 * @param auth login throttling and users-file reloads
 * @param limits connections, timeouts and result sizes per user and group
 * @param warnings what check-config and the start-up log point out without refusing the file
 * @param secrets the values that came from {@code ${env:}} / {@code ${file:}} references, to be
 *         kept out of messages
 * @param replicatedTables tables that also exist as a warehouse copy (docs/bigquery.md, routing of replicated tables)
 * @param operations the audit trail and the admin endpoint
 * @param resultCache the result cache ({@code result_cache:}); empty: no result is cached
 * @param avatica the Avatica (JDBC over HTTP) front door; empty: not served
 */
public record SekishoConfig(
        Path file,
        Listen listen,
        Path usersFile,
        Optional<Policies> policies,
        List<String> searchPath,
        Execution execution,
        Protocol protocol,
        List<Source> sources,
        Optional<Tls> tls,
        Auth auth,
        Limits limits,
        List<ConfigWarning> warnings,
        ConfigSecrets secrets,
        List<ReplicatedTable> replicatedTables,
        OperationsConfig operations,
        Optional<ResultCacheSettings> resultCache,
        Optional<Avatica> avatica)
{
    public SekishoConfig
    {
        requireNonNull(file, "file is null");
        requireNonNull(listen, "listen is null");
        requireNonNull(usersFile, "usersFile is null");
        requireNonNull(policies, "policies is null");
        searchPath = List.copyOf(searchPath);
        requireNonNull(execution, "execution is null");
        requireNonNull(protocol, "protocol is null");
        sources = List.copyOf(sources);
        requireNonNull(tls, "tls is null");
        requireNonNull(auth, "auth is null");
        requireNonNull(limits, "limits is null");
        warnings = List.copyOf(warnings);
        requireNonNull(secrets, "secrets is null");
        replicatedTables = List.copyOf(replicatedTables);
        requireNonNull(operations, "operations is null");
        requireNonNull(resultCache, "resultCache is null");
        requireNonNull(avatica, "avatica is null");
    }

    /** Without the operations sections ({@code audit:}, {@code admin:}) and the Avatica front door. */
    public SekishoConfig(Path file, Listen listen, Path usersFile, Optional<Policies> policies, List<String> searchPath, Execution execution,
            Protocol protocol, List<Source> sources, Optional<Tls> tls, Auth auth, Limits limits, List<ConfigWarning> warnings, ConfigSecrets secrets,
            List<ReplicatedTable> replicatedTables)
    {
        this(file, listen, usersFile, policies, searchPath, execution, protocol, sources, tls, auth, limits, warnings, secrets, replicatedTables,
                OperationsConfig.NONE, Optional.empty(), Optional.empty());
    }

    /** This configuration with other {@code audit:} and {@code admin:} sections. */
    public SekishoConfig withOperations(OperationsConfig operations)
    {
        return new SekishoConfig(file, listen, usersFile, policies, searchPath, execution, protocol, sources, tls, auth, limits, warnings, secrets,
                replicatedTables, operations, resultCache, avatica);
    }

    /**
     * {@code auth:}.
     *
     * @param failedLogins how failed logins are delayed and locked out
     * @param watchUsersFile whether edits of the users file apply while running
     */
    public record Auth(FailedLogins failedLogins, boolean watchUsersFile)
    {
        public static final Auth DEFAULT = new Auth(FailedLogins.DEFAULT, true);

        public Auth
        {
            requireNonNull(failedLogins, "failedLogins is null");
        }
    }

    /**
     * {@code auth.failed_logins}: the answer to a failed login waits {@code delay}, doubled with
     * each further failure of the user or the address up to {@code maxDelay}; after
     * {@code lockoutAfter} failures within {@code window} (0: never) logins of that user or from
     * that address fail whatever the password.
     */
    public record FailedLogins(Duration delay, Duration maxDelay, int lockoutAfter, Duration window)
    {
        public static final FailedLogins DEFAULT = new FailedLogins(Duration.ofMillis(250), Duration.ofSeconds(10), 10, Duration.ofMinutes(15));

        public FailedLogins
        {
            requireNonNull(delay, "delay is null");
            requireNonNull(maxDelay, "maxDelay is null");
            requireNonNull(window, "window is null");
        }
    }

    /** {@code tls.clientcert} and a user's {@code clientcert}: as PostgreSQL's clientcert option. */
    public enum ClientCertificates
    {
        /** No certificate is required. */
        NONE,
        /** A certificate signed by {@code tls.client_ca}. */
        VERIFY_CA,
        /** Such a certificate whose CN is the user name. */
        VERIFY_FULL
    }

    /**
     * {@code listen:}.
     *
     * @param host address to bind, e.g. 127.0.0.1 or 0.0.0.0
     * @param port Postgres-wire port; 0 picks a free port
     */
    public record Listen(String host, int port)
    {
        public static final int DEFAULT_PORT = 5432;

        public Listen
        {
            requireNonNull(host, "host is null");
        }
    }

    /**
     * {@code policies:}.
     *
     * @param dir the folder of policy files (docs/policies.md)
     * @param hashSaltEnv the environment variable that holds the salt of the {@code hash} mask
     * @param watch whether edits are picked up while running (hot reload)
     */
    public record Policies(Path dir, String hashSaltEnv, boolean watch, LedgerDatabase ledger)
    {
        public static final String DEFAULT_HASH_SALT_ENV = "SEKISHO_HASH_SALT";

        public Policies
        {
            requireNonNull(dir, "dir is null");
            requireNonNull(hashSaltEnv, "hashSaltEnv is null");
            requireNonNull(ledger, "ledger is null");
        }

        /** Policies whose ledger is the embedded file {@code sekisho-ledger} in the policy directory's parent. */
        public Policies(Path dir, String hashSaltEnv, boolean watch)
        {
            this(dir, hashSaltEnv, watch, LedgerDatabase.embedded(dir.toAbsolutePath().normalize().resolveSibling("sekisho-ledger")));
        }
    }

    /**
     * Where the budget ledger is kept (docs/budgets.md): a JDBC URL, the user, and the environment
     * variable holding the password (never the password itself).
     */
    public record LedgerDatabase(String url, String user, Optional<String> passwordEnv)
    {
        public LedgerDatabase
        {
            requireNonNull(url, "url is null");
            requireNonNull(user, "user is null");
            requireNonNull(passwordEnv, "passwordEnv is null");
        }

        /** An embedded H2 database in the files {@code base}.mv.db. */
        public static LedgerDatabase embedded(Path base)
        {
            return new LedgerDatabase("jdbc:h2:file:" + base.toAbsolutePath(), "sa", Optional.empty());
        }

        /** The password, read from its environment variable (empty when none is named). */
        public String password()
        {
            return passwordEnv.map(System::getenv).orElse("");
        }
    }

    /**
     * {@code execution:}.
     *
     * @param workerThreads threads that plan statements and read their rows (statements running
     *         at once); more statements wait in line
     * @param queueSize statements that may wait for a worker before new ones are refused with 53300
     * @param localMaxRows the most rows a join the gateway runs over two sources may hold in memory;
     *         a statement past it fails with 53200
     */
    public record Execution(int workerThreads, int queueSize, long localMaxRows)
    {
        public Execution(int workerThreads, int queueSize)
        {
            this(workerThreads, queueSize, PlannerOptions.DEFAULT_LOCAL_JOIN_MAX_ROWS);
        }

        public static Execution defaults()
        {
            return new Execution(64, 1000);
        }
    }

    /**
     * {@code protocol:}.
     *
     * @param maxMessageBytes largest frontend message accepted; larger ones close the connection with 08P01
     * @param maxConnections connections accepted at once; more are refused with 53300
     * @param ioTransport Netty's transport under the Postgres-wire front door
     * @param cacheHitsOnEventLoop {@code protocol.cache_hits_on_event_loop}: whether a result-cache hit of a
     *         prepared statement is answered on the event loop without a worker where that cannot block
     * @param readAheadBytes {@code protocol.read_ahead_bytes}: the most bytes of a suspended portal's rows
     *         read ahead of the client's next Execute; 0 turns reading ahead off
     * @param readAheadTotalBytes {@code protocol.read_ahead_total_bytes}: the most bytes of rows read ahead
     *         that all sessions keep together; 0 turns reading ahead off
     * @param statementsOnEventLoop {@code protocol.statements_on_event_loop}: whether a prepared statement
     *         the result cache does not answer is sent to its source and answered on the event loop,
     *         without a worker, where its connector reads it without blocking
     */
    public record Protocol(int maxMessageBytes, int maxConnections, IoTransport ioTransport, boolean cacheHitsOnEventLoop, int readAheadBytes,
            long readAheadTotalBytes, boolean statementsOnEventLoop)
    {
        /** {@code protocol.read_ahead_bytes} by default: one batch of 10,000 short rows (docs/benchmarks.md, s22-readahead and s23-stream). */
        public static final int DEFAULT_READ_AHEAD_BYTES = 512 * 1024;
        /** {@code protocol.read_ahead_total_bytes} by default. */
        public static final long DEFAULT_READ_AHEAD_TOTAL_BYTES = 64L * 1024 * 1024;

        public Protocol
        {
            requireNonNull(ioTransport, "ioTransport is null");
            if (readAheadBytes < 0) {
                throw new IllegalArgumentException("readAheadBytes must not be negative: " + readAheadBytes);
            }
            if (readAheadTotalBytes < 0) {
                throw new IllegalArgumentException("readAheadTotalBytes must not be negative: " + readAheadTotalBytes);
            }
        }

        public Protocol(int maxMessageBytes, int maxConnections, IoTransport ioTransport, boolean cacheHitsOnEventLoop, int readAheadBytes,
                long readAheadTotalBytes)
        {
            this(maxMessageBytes, maxConnections, ioTransport, cacheHitsOnEventLoop, readAheadBytes, readAheadTotalBytes, true);
        }

        public Protocol(int maxMessageBytes, int maxConnections, IoTransport ioTransport, boolean cacheHitsOnEventLoop)
        {
            this(maxMessageBytes, maxConnections, ioTransport, cacheHitsOnEventLoop, DEFAULT_READ_AHEAD_BYTES, DEFAULT_READ_AHEAD_TOTAL_BYTES);
        }

        public Protocol(int maxMessageBytes, int maxConnections, IoTransport ioTransport)
        {
            this(maxMessageBytes, maxConnections, ioTransport, true);
        }

        public Protocol(int maxMessageBytes, int maxConnections)
        {
            this(maxMessageBytes, maxConnections, IoTransport.AUTO);
        }

        public static Protocol defaults()
        {
            return new Protocol(16 * 1024 * 1024, 1000);
        }
    }

    /** {@code protocol.io_transport}: Linux's epoll where Netty's native library loads ({@code auto}), or one of them by name. */
    public enum IoTransport
    {
        AUTO, EPOLL, NIO
    }

    /**
     * {@code tls:}.
     *
     * @param certFile the server certificate chain, PEM
     * @param keyFile its private key, PEM (unencrypted PKCS#8)
     * @param mode whether clients without TLS are still accepted
     * @param clientCa the CAs whose client certificates are accepted, PEM; empty: none are asked for
     * @param clientCertificate what every client's certificate must satisfy (users may require more)
     * @param line the line of the {@code tls:} key, for errors found when the files are loaded
     */
    public record Tls(Path certFile, Path keyFile, TlsMode mode, Optional<Path> clientCa, ClientCertificates clientCertificate, int line)
    {
        public Tls
        {
            requireNonNull(certFile, "certFile is null");
            requireNonNull(keyFile, "keyFile is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(clientCa, "clientCa is null");
            requireNonNull(clientCertificate, "clientCertificate is null");
            if (clientCertificate != ClientCertificates.NONE && clientCa.isEmpty()) {
                throw new IllegalArgumentException("client certificates need a client CA");
            }
        }

        /** Without client certificates. */
        public Tls(Path certFile, Path keyFile, TlsMode mode, int line)
        {
            this(certFile, keyFile, mode, Optional.empty(), ClientCertificates.NONE, line);
        }
    }

    /**
     * {@code avatica:}, the JDBC-over-HTTP front door.
     *
     * @param host address to bind
     * @param port the HTTP(S) port; 0 picks a free port
     * @param json whether requests are JSON instead of protobuf (the driver's {@code serialization=} must match)
     * @param allowPlainHttp whether HTTP Basic passwords are accepted over plain HTTP (local use only)
     * @param idleTimeoutSeconds a connection unused this long is closed
     * @param maxFrameRows most rows in one frame, whatever fetch size a client asks for
     * @param line the line of the {@code avatica:} key
     */
    public record Avatica(String host, int port, boolean json, boolean allowPlainHttp, int idleTimeoutSeconds, int maxFrameRows, int line)
    {
        public static final int DEFAULT_PORT = 8765;

        public Avatica
        {
            requireNonNull(host, "host is null");
        }
    }

    /** {@code tls.mode}. */
    public enum TlsMode
    {
        /** Clients choose (libpq's default sslmode=prefer picks TLS). */
        OPTIONAL,
        /** Connections without TLS are refused. */
        REQUIRED
    }

    /**
     * One entry under {@code sources:}.
     *
     * @param config the values handed to the connector
     * @param node the entry's YAML, to place connector errors on their line
     * @param line the line of the source's name
     */
    public record Source(SourceConfig config, YamlNode.MapNode node, int line)
    {
        private static final Pattern STEP = Pattern.compile("([^.\\[]+)|\\[(\\d+)]");

        public Source
        {
            requireNonNull(config, "config is null");
            requireNonNull(node, "node is null");
        }

        /** Turns a connector's complaint into a {@link ConfigException} on the right line. */
        public ConfigException toConfigException(String file, InvalidConfigException e)
        {
            return new ConfigException(file, lineOf(e.key()), "sources." + config.name() + "." + e.key(), e.reason());
        }

        /** The line of a dotted key path such as {@code replicas[1].port}, or the closest parent's. */
        public int lineOf(String keyPath)
        {
            YamlNode current = node;
            int line = this.line;
            Matcher matcher = STEP.matcher(keyPath);
            while (matcher.find()) {
                if (matcher.group(1) != null && current instanceof YamlNode.MapNode map) {
                    String key = matcher.group(1);
                    if (!map.entries().containsKey(key)) {
                        return line;
                    }
                    line = map.keyLine(key);
                    current = map.entries().get(key);
                }
                else if (matcher.group(2) != null && current instanceof YamlNode.ListNode list) {
                    int index = Integer.parseInt(matcher.group(2));
                    if (index >= list.items().size()) {
                        return line;
                    }
                    current = list.items().get(index);
                    line = current.location().line();
                }
                else {
                    return line;
                }
            }
            return line;
        }
    }

    /** The users file, or the policy directory, resolved against this file's folder. */
    public static Path resolve(Path configFile, String path)
    {
        Path candidate = Path.of(path);
        if (candidate.isAbsolute()) {
            return candidate;
        }
        Path parent = configFile.toAbsolutePath().getParent();
        return parent == null ? candidate : parent.resolve(candidate).normalize();
    }

    /** Finds a source by name. */
    public Optional<Source> source(String name)
    {
        return sources.stream().filter(source -> source.config().name().equals(name)).findFirst();
    }
}
