package dev.sekisho.gateway.config;

import dev.sekisho.gateway.resultcache.ResultCacheSettings;
import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.execution.RoleLimits;
import dev.sekisho.planner.catalog.CopyFreshness;
import dev.sekisho.planner.catalog.ReplicatedTable;
import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.policies.yaml.YamlNode;

import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code sekisho.yaml}. Every problem is a {@link ConfigException} naming the
 * file, the line and the key. Connector-specific keys are checked by the connector when the
 * gateway creates it ({@link SekishoConfig.Source#toConfigException}). Any string value may be a
 * {@code ${env:NAME}} or {@code ${file:/path}} reference ({@link ConfigReferences}); the values
 * they bring never appear in an error. Keys of a source that end in {@code _file} are paths,
 * relative to the folder of this file.
 */
public final class SekishoConfigLoader
{
    private static final Set<String> TOP_LEVEL = union(
            Set.of("listen", "users_file", "policies", "search_path", "execution", "protocol", "sources", "tls", "auth", "limits", "replicated_tables",
                    "result_cache", "avatica"),
            OperationsConfigLoader.SECTIONS);
    private static final Set<String> ROLE_LIMIT_KEYS = Set.of("max_connections", "statement_timeout", "max_statement_timeout", "idle_session_timeout",
            "idle_in_transaction_session_timeout", "max_result_rows", "max_result_bytes");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final Pattern SECRET_KEY = Pattern.compile("(?i).*(password|secret|token).*");

    private SekishoConfigLoader() {}

    public static SekishoConfig load(Path file)
    {
        return load(file, System::getenv);
    }

    /** Reads a configuration file; {@code environment} answers {@code ${env:NAME}} references. */
    public static SekishoConfig load(Path file, Function<String, String> environment)
    {
        return load(ConfigYaml.read(file), file, file.toString(), environment);
    }

    /** Reads a configuration held in memory; relative paths resolve against {@code file}'s folder. */
    public static SekishoConfig load(String yaml, Path file)
    {
        return load(yaml, file, System::getenv);
    }

    /** Reads a configuration held in memory; {@code environment} answers {@code ${env:NAME}} references. */
    public static SekishoConfig load(String yaml, Path file, Function<String, String> environment)
    {
        try (Reader reader = new StringReader(yaml)) {
            return load(ConfigYaml.read(reader, file.toString()), file, file.toString(), environment);
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SekishoConfig load(YamlNode written, Path file, String origin, Function<String, String> environment)
    {
        ConfigReferences.Resolved resolved = ConfigReferences.resolve(written, origin, file, environment);
        try {
            return load(written, resolved, file, origin);
        }
        catch (ConfigException e) {
            // a typed read quotes what it found ("must be true or false, got '...'"): never a secret
            throw resolved.secrets().redact(e);
        }
    }

    private static SekishoConfig load(YamlNode written, ConfigReferences.Resolved resolved, Path file, String origin)
    {
        YamlNode tree = resolved.tree();
        ConfigReader root = ConfigReader.root(origin, tree);
        root.rejectUnknownKeys(TOP_LEVEL);

        SekishoConfig.Listen listen = root.optionalSection("listen")
                .map(SekishoConfigLoader::listen)
                .orElse(new SekishoConfig.Listen("127.0.0.1", SekishoConfig.Listen.DEFAULT_PORT));

        Path usersFile = SekishoConfig.resolve(file, root.requireString("users_file"));

        Optional<SekishoConfig.Policies> policies = root.optionalSection("policies").map(section -> {
            section.rejectUnknownKeys(Set.of("dir", "hash_salt_env", "watch", "ledger"));
            Path dir = SekishoConfig.resolve(file, section.requireString("dir"));
            SekishoConfig.LedgerDatabase ledger = section.optionalSection("ledger").map(ledgerSection -> {
                ledgerSection.rejectUnknownKeys(Set.of("url", "user", "password_env"));
                return new SekishoConfig.LedgerDatabase(ledgerSection.requireString("url"), ledgerSection.optionalString("user").orElse(""),
                        ledgerSection.optionalString("password_env"));
            }).orElse(SekishoConfig.LedgerDatabase.embedded(dir.toAbsolutePath().normalize().resolveSibling("sekisho-ledger")));
            return new SekishoConfig.Policies(
                    dir,
                    section.optionalString("hash_salt_env").orElse(SekishoConfig.Policies.DEFAULT_HASH_SALT_ENV),
                    section.booleanValue("watch", true),
                    ledger);
        });

        List<String> searchPath = root.optionalStringList("search_path").orElse(List.of("public"));

        SekishoConfig.Execution execution = root.optionalSection("execution").map(section -> {
            section.rejectUnknownKeys(Set.of("worker_threads", "queue_size", "local_max_rows"));
            SekishoConfig.Execution defaults = SekishoConfig.Execution.defaults();
            return new SekishoConfig.Execution(
                    section.intValue("worker_threads", defaults.workerThreads(), 1, 4096),
                    section.intValue("queue_size", defaults.queueSize(), 0, 1_000_000),
                    section.intValue("local_max_rows", (int) defaults.localMaxRows(), 1, Integer.MAX_VALUE));
        }).orElse(SekishoConfig.Execution.defaults());

        SekishoConfig.Protocol protocol = root.optionalSection("protocol").map(section -> {
            section.rejectUnknownKeys(Set.of("max_message_bytes", "max_connections", "io_transport", "cache_hits_on_event_loop", "read_ahead_bytes",
                    "read_ahead_total_bytes", "statements_on_event_loop"));
            SekishoConfig.Protocol defaults = SekishoConfig.Protocol.defaults();
            SekishoConfig.IoTransport ioTransport = section.optionalString("io_transport")
                    .map(text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                        case "auto" -> SekishoConfig.IoTransport.AUTO;
                        case "epoll" -> SekishoConfig.IoTransport.EPOLL;
                        case "nio" -> SekishoConfig.IoTransport.NIO;
                        default -> throw section.error("io_transport", "must be auto (epoll where it loads, else nio), epoll or nio, not '" + text + "'");
                    })
                    .orElse(defaults.ioTransport());
            return new SekishoConfig.Protocol(
                    section.intValue("max_message_bytes", defaults.maxMessageBytes(), 1024, 1 << 30),
                    section.intValue("max_connections", defaults.maxConnections(), 1, 1_000_000),
                    ioTransport,
                    section.booleanValue("cache_hits_on_event_loop", defaults.cacheHitsOnEventLoop()),
                    section.intValue("read_ahead_bytes", defaults.readAheadBytes(), 0, 1 << 30),
                    section.intValue("read_ahead_total_bytes", (int) defaults.readAheadTotalBytes(), 0, 1 << 30),
                    section.booleanValue("statements_on_event_loop", defaults.statementsOnEventLoop()));
        }).orElse(SekishoConfig.Protocol.defaults());

        ConfigReader sourcesSection = root.optionalSection("sources")
                .orElseThrow(() -> root.error("sources", "is required: name at least one database behind the gateway"));
        List<SekishoConfig.Source> sources = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : sourcesSection.node().entries().entrySet()) {
            String name = entry.getKey();
            if (!IDENTIFIER.matcher(name).matches()) {
                throw sourcesSection.error(name, "source names are lower-case letters, digits and underscores, starting with a letter");
            }
            if (!(entry.getValue() instanceof YamlNode.MapNode map)) {
                throw sourcesSection.error(name, "must be a mapping with at least 'type', not " + entry.getValue().describe());
            }
            ConfigReader source = new ConfigReader(origin, sourcesSection.keyPath(name), map);
            String type = source.requireString("type");
            Map<String, Object> settings = new LinkedHashMap<>();
            map.entries().forEach((key, value) -> {
                if (!key.equals("type")) {
                    settings.put(key, withFilesResolved(key, value.toPlain(), file));
                }
            });
            sources.add(new SekishoConfig.Source(new SourceConfig(name, type, withoutNulls(settings)), map, sourcesSection.node().keyLine(name)));
        }
        if (sources.isEmpty()) {
            throw root.error("sources", "is empty: name at least one database behind the gateway");
        }
        Optional<SekishoConfig.Tls> tls = root.optionalSection("tls").map(section -> tls(section, file, root.node().keyLine("tls")));
        SekishoConfig.Auth auth = root.optionalSection("auth").map(SekishoConfigLoader::auth).orElse(SekishoConfig.Auth.DEFAULT);
        Limits limits = root.optionalSection("limits").map(SekishoConfigLoader::limits).orElse(Limits.NONE);
        List<ConfigWarning> warnings = new ArrayList<>();
        clearTextSecrets(written, origin, "", warnings);
        List<ReplicatedTable> replicatedTables = new ArrayList<>();
        Optional<ConfigReader> replicatedSection = root.optionalSection("replicated_tables");
        if (replicatedSection.isPresent()) {
            ConfigReader section = replicatedSection.get();
            for (Map.Entry<String, YamlNode> entry : section.node().entries().entrySet()) {
                if (!(entry.getValue() instanceof YamlNode.MapNode map)) {
                    throw section.error(entry.getKey(), "must be a mapping with 'copy' and 'loaded' or 'lag', not " + entry.getValue().describe());
                }
                replicatedTables.add(replicatedTable(new ConfigReader(origin, section.keyPath(entry.getKey()), map), section, entry.getKey()));
            }
        }
        Optional<ResultCacheSettings> resultCache = root.optionalSection("result_cache").map(SekishoConfigLoader::resultCache);
        Optional<SekishoConfig.Avatica> avatica = root.optionalSection("avatica")
                .map(section -> avatica(section, listen, tls.isPresent(), root.node().keyLine("avatica")));
        return new SekishoConfig(file, listen, usersFile, policies, searchPath, execution, protocol, sources, tls, auth, limits, warnings,
                resolved.secrets(), replicatedTables, OperationsConfigLoader.load(root, file), resultCache, avatica);
    }

    private static SekishoConfig.Avatica avatica(ConfigReader section, SekishoConfig.Listen listen, boolean tls, int line)
    {
        section.rejectUnknownKeys(Set.of("host", "port", "serialization", "allow_plain_http", "idle_timeout_seconds", "max_frame_rows"));
        String serialization = section.optionalString("serialization").orElse("protobuf");
        if (!serialization.equals("protobuf") && !serialization.equals("json")) {
            throw section.error("serialization", "must be 'protobuf' (the driver's default) or 'json', not '" + serialization + "'");
        }
        boolean allowPlainHttp = section.booleanValue("allow_plain_http", false);
        if (!tls && !allowPlainHttp) {
            throw section.error("allow_plain_http", "is false and there is no 'tls:' section: HTTP Basic would send passwords in the clear; "
                    + "configure tls (the Avatica port then speaks HTTPS with the same certificate) or, for local use only, set allow_plain_http: true");
        }
        return new SekishoConfig.Avatica(
                section.optionalString("host").orElse(listen.host()),
                section.intValue("port", SekishoConfig.Avatica.DEFAULT_PORT, 0, 65535),
                serialization.equals("json"),
                allowPlainHttp,
                section.intValue("idle_timeout_seconds", 600, 1, 7 * 24 * 3600),
                section.intValue("max_frame_rows", 10_000, 1, 1_000_000),
                line);
    }

    /** One entry of {@code replicated_tables:}, keyed by the table as clients name it. */
    private static ReplicatedTable replicatedTable(ConfigReader entry, ConfigReader section, String table)
    {
        entry.rejectUnknownKeys(Set.of("copy", "loaded", "lag", "max_staleness", "replica_max_rows"));
        if (entry.has("loaded") == entry.has("lag")) {
            throw section.error(table, "needs exactly one of 'loaded' (e.g. 'daily 03:00 Asia/Tokyo') and 'lag' (e.g. 26h): how old the copy is");
        }
        CopyFreshness freshness;
        try {
            freshness = entry.has("loaded") ? CopyFreshness.daily(entry.requireString("loaded")) : CopyFreshness.lag(CopyFreshness.parseDuration(entry.requireString("lag")));
        }
        catch (IllegalArgumentException e) {
            throw entry.error(entry.has("loaded") ? "loaded" : "lag", e.getMessage());
        }
        Duration maxStaleness;
        try {
            maxStaleness = CopyFreshness.parseDuration(entry.optionalString("max_staleness").orElse("36h"));
        }
        catch (IllegalArgumentException e) {
            throw entry.error("max_staleness", e.getMessage());
        }
        try {
            return new ReplicatedTable(table, entry.requireString("copy"), freshness, maxStaleness,
                    entry.intValue("replica_max_rows", ReplicatedTable.DEFAULT_REPLICA_MAX_ROWS, 0, Integer.MAX_VALUE));
        }
        catch (IllegalArgumentException e) {
            throw section.error(table, e.getMessage() + " (name the table and its copy as schema.table)");
        }
    }

    private static Set<String> union(Set<String> first, Set<String> second)
    {
        Set<String> union = new HashSet<>(first);
        union.addAll(second);
        return Set.copyOf(union);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    /** {@code result_cache:}: sizes in bytes, and a TTL per table or schema ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}). */
    private static ResultCacheSettings resultCache(ConfigReader section)
    {
        section.rejectUnknownKeys(Set.of("max_bytes", "max_entry_bytes", "tables", "change_settle_ms", "last_modified_check_ms"));
        long maxBytes = section.intValue("max_bytes", (int) ResultCacheSettings.DEFAULT_MAX_BYTES, 1024, Integer.MAX_VALUE);
        long maxEntryBytes = section.intValue("max_entry_bytes", (int) Math.min(maxBytes, ResultCacheSettings.DEFAULT_MAX_ENTRY_BYTES), 1, Integer.MAX_VALUE);
        if (maxEntryBytes > maxBytes) {
            throw section.error("max_entry_bytes", "is larger than max_bytes (" + maxBytes + "): one result cannot outgrow the whole cache");
        }
        Map<String, Duration> ttls = new LinkedHashMap<>();
        Optional<ConfigReader> tables = section.optionalSection("tables");
        if (tables.isPresent()) {
            for (Map.Entry<String, YamlNode> entry : tables.get().node().entries().entrySet()) {
                Object plain = entry.getValue().toPlain();
                Matcher matcher = plain == null ? null : DURATION.matcher(plain.toString().strip());
                if (matcher == null || !matcher.matches() || Long.parseLong(matcher.group(1)) == 0) {
                    throw tables.get().error(entry.getKey(), "must be a positive duration such as 500ms, 30s, 5m or 1h, not " + entry.getValue().describe());
                }
                long amount = Long.parseLong(matcher.group(1));
                ttls.put(entry.getKey(), switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
        }
        long settleMillis = section.intValue("change_settle_ms", (int) ResultCacheSettings.DEFAULT_CHANGE_SETTLE.toMillis(), 0, 3_600_000);
        long checkMillis = section.intValue("last_modified_check_ms", (int) ResultCacheSettings.DEFAULT_LAST_MODIFIED_CHECK.toMillis(), 100, 86_400_000);
        return new ResultCacheSettings(maxBytes, maxEntryBytes, ttls, Duration.ofMillis(settleMillis), Duration.ofMillis(checkMillis));
    }

    private static SekishoConfig.Tls tls(ConfigReader section, Path file, int line)
    {
        section.rejectUnknownKeys(Set.of("cert_file", "key_file", "mode", "client_ca", "clientcert"));
        Path certFile = SekishoConfig.resolve(file, section.requireString("cert_file"));
        Path keyFile = SekishoConfig.resolve(file, section.requireString("key_file"));
        String mode = section.optionalString("mode").orElse("optional");
        SekishoConfig.TlsMode tlsMode = switch (mode) {
            case "optional" -> SekishoConfig.TlsMode.OPTIONAL;
            case "required" -> SekishoConfig.TlsMode.REQUIRED;
            default -> throw section.error("mode", "must be 'optional' (clients choose) or 'required' (connections without TLS are refused), not '"
                    + mode + "'");
        };
        Optional<Path> clientCa = section.optionalString("client_ca").map(path -> SekishoConfig.resolve(file, path));
        SekishoConfig.ClientCertificates clientCertificate = section.optionalString("clientcert")
                .map(text -> switch (text.strip().toLowerCase(Locale.ROOT)) {
                    case "none" -> SekishoConfig.ClientCertificates.NONE;
                    case "verify-ca" -> SekishoConfig.ClientCertificates.VERIFY_CA;
                    case "verify-full" -> SekishoConfig.ClientCertificates.VERIFY_FULL;
                    default -> throw section.error("clientcert",
                            "must be verify-ca (a certificate signed by tls.client_ca), verify-full (and its CN is the user name) or none, not '" + text + "'");
                })
                .orElse(SekishoConfig.ClientCertificates.NONE);
        if (clientCertificate != SekishoConfig.ClientCertificates.NONE && clientCa.isEmpty()) {
            throw section.error("clientcert", "needs tls.client_ca: the PEM file of the CA that signs the clients' certificates");
        }
        return new SekishoConfig.Tls(certFile, keyFile, tlsMode, clientCa, clientCertificate, line);
    }

    private static SekishoConfig.Auth auth(ConfigReader section)
    {
        section.rejectUnknownKeys(Set.of("failed_logins", "watch_users_file"));
        SekishoConfig.FailedLogins defaults = SekishoConfig.FailedLogins.DEFAULT;
        SekishoConfig.FailedLogins failedLogins = section.optionalSection("failed_logins").map(logins -> {
            logins.rejectUnknownKeys(Set.of("delay", "max_delay", "lockout_after", "window"));
            Duration delay = logins.optionalDuration("delay").orElse(defaults.delay());
            Duration maxDelay = logins.optionalDuration("max_delay").orElse(defaults.maxDelay().compareTo(delay) < 0 ? delay : defaults.maxDelay());
            if (maxDelay.compareTo(delay) < 0) {
                throw logins.error("max_delay", "must not be shorter than delay (" + delay.toMillis() + " ms)");
            }
            Duration window = logins.optionalDuration("window").orElse(defaults.window());
            if (window.isZero()) {
                throw logins.error("window", "must be longer than 0");
            }
            return new SekishoConfig.FailedLogins(delay, maxDelay, logins.intValue("lockout_after", defaults.lockoutAfter(), 0, 1_000_000), window);
        }).orElse(defaults);
        return new SekishoConfig.Auth(failedLogins, section.booleanValue("watch_users_file", true));
    }

    private static Limits limits(ConfigReader section)
    {
        Set<String> topKeys = new java.util.HashSet<>(ROLE_LIMIT_KEYS);
        topKeys.remove("max_connections");
        topKeys.addAll(Set.of("max_connections_per_user", "groups", "users"));
        section.rejectUnknownKeys(topKeys);
        RoleLimits defaults = roleLimits(section, "max_connections_per_user");
        Map<String, RoleLimits> groups = new LinkedHashMap<>();
        Map<String, RoleLimits> users = new LinkedHashMap<>();
        for (String kind : List.of("groups", "users")) {
            Optional<ConfigReader> entries = section.optionalSection(kind);
            if (entries.isEmpty()) {
                continue;
            }
            for (Map.Entry<String, YamlNode> entry : entries.get().node().entries().entrySet()) {
                ConfigReader role = entries.get().optionalSection(entry.getKey())
                        .orElseThrow(() -> entries.get().error(entry.getKey(), "must be a mapping of limits, e.g. {max_connections: 20}"));
                role.rejectUnknownKeys(ROLE_LIMIT_KEYS);
                (kind.equals("groups") ? groups : users).put(entry.getKey(), roleLimits(role, "max_connections"));
            }
        }
        return new Limits(defaults, groups, users);
    }

    private static RoleLimits roleLimits(ConfigReader section, String connectionsKey)
    {
        OptionalInt connections = section.has(connectionsKey) ? OptionalInt.of(section.intValue(connectionsKey, 0, 0, 1_000_000)) : OptionalInt.empty();
        Optional<Duration> maxStatementTimeout = section.optionalDuration("max_statement_timeout");
        Optional<Duration> statementTimeout = section.optionalDuration("statement_timeout");
        if (statementTimeout.isPresent() && maxStatementTimeout.isPresent() && !maxStatementTimeout.get().isZero()
                && (statementTimeout.get().isZero() || statementTimeout.get().compareTo(maxStatementTimeout.get()) > 0)) {
            throw section.error("statement_timeout", "must be from 1ms to max_statement_timeout (" + maxStatementTimeout.get().toMillis() + " ms)");
        }
        return new RoleLimits(connections, statementTimeout, maxStatementTimeout, section.optionalDuration("idle_session_timeout"),
                section.optionalDuration("idle_in_transaction_session_timeout"), optionalLong(section.optionalCount("max_result_rows")),
                optionalLong(section.optionalBytes("max_result_bytes")));
    }

    private static OptionalLong optionalLong(Optional<Long> value)
    {
        return value.map(OptionalLong::of).orElse(OptionalLong.empty());
    }

    /** Warns about every password-like value written in the file itself rather than taken from the environment or a file. */
    private static void clearTextSecrets(YamlNode node, String origin, String path, List<ConfigWarning> warnings)
    {
        if (node instanceof YamlNode.MapNode map) {
            map.entries().forEach((key, value) -> {
                String keyPath = path.isEmpty() ? key : path + "." + key;
                if (SECRET_KEY.matcher(key).matches() && value instanceof YamlNode.ScalarNode scalar && scalar.value() != null
                        && !scalar.value().toString().isEmpty() && !ConfigReferences.isReference(value)) {
                    warnings.add(new ConfigWarning(origin, map.keyLine(key), keyPath, "is written in clear text in the file; keep it out with "
                            + "${file:/path/to/secret} (e.g. a mounted secret) or ${env:NAME}"));
                }
                clearTextSecrets(value, origin, keyPath, warnings);
            });
        }
        else if (node instanceof YamlNode.ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                clearTextSecrets(list.items().get(i), origin, path + "[" + i + "]", warnings);
            }
        }
    }

    /** A source's setting with every {@code *_file} path below it resolved against the folder of sekisho.yaml. */
    @SuppressWarnings("unchecked")
    private static Object withFilesResolved(String key, Object value, Path file)
    {
        if (value instanceof String text && key.toLowerCase(Locale.ROOT).endsWith("_file")) {
            return SekishoConfig.resolve(file, text).toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((name, item) -> resolved.put(name, withFilesResolved(name, item, file)));
            return resolved;
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            list.forEach(item -> resolved.add(withFilesResolved(key, item, file)));
            return resolved;
        }
        return value;
    }

    private static SekishoConfig.Listen listen(ConfigReader section)
    {
        section.rejectUnknownKeys(Set.of("host", "port"));
        return new SekishoConfig.Listen(
                section.optionalString("host").orElse("127.0.0.1"),
                section.intValue("port", SekishoConfig.Listen.DEFAULT_PORT, 0, 65535));
    }

    // SourceConfig copies its map with Map.copyOf, which refuses null values: an explicit "key: ~"
    // means the same as leaving the key out.
    private static Map<String, Object> withoutNulls(Map<String, Object> settings)
    {
        Map<String, Object> copy = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }
}
