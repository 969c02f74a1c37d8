package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.SourceConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one {@code type: mysql} source, validated. Every error names its key path
 * below the source's entry (e.g. {@code replicas[1].port}).
 *
 * <pre>{@code
 * sources:
 *   shop:
 *     type: mysql
 *     primary:                 # NOT used for reads unless read_from_primary: true or fallback
 *       host: db-primary       # or url: jdbc:mysql://db-primary:3306 (instead of host/port)
 *       port: 3306             # default 3306
 *       user: sekisho          # required
 *       password: ...          # optional; never logged or echoed
 *     replicas:                # the servers that answer queries: healthy, fresh enough, fewest statements per weight
 *       - {name: replica-1, host: db-replica-1, port: 3306, user: sekisho, password: ..., weight: 1}
 *     databases: [shop]        # databases exposed as schemas; default: all but the system ones
 *     read_from_primary: false # true: the primary also answers reads (required when there are no replicas);
 *                              # fallback: only when no replica qualifies (logged per statement)
 *     routing: ...             # health and lag checks, max_lag per source, schema or table: see RoutingSettings
 *     tls:                     # TLS to the servers; default: none (mode disabled)
 *       mode: verify_identity  # disabled, preferred, required, verify_ca or verify_identity (recommended)
 *       ca_file: mysql-ca.pem  # PEM: the CA that signed the servers' certificates (verify_ca, verify_identity)
 *     properties:              # extra MySQL Connector/J properties, override Sekisho's defaults
 *       connectTimeout: 5000
 *     pool:                    # HikariCP, one pool per read server
 *       max_size: 10           # default 10
 *       min_idle: 1            # default 1
 *       connection_timeout_ms: 5000   # default 5000 (minimum 250): how long a statement waits for a connection
 *       extra_connection_wait_ms: 1000 # default 1000: how long a statement that holds one waits for another (then 53300)
 *       leak_detection_ms: 0   # default 0 (off): log a connection held longer than this, with the stack that took it
 * }</pre>
 *
 * <p>A server's {@code name} defaults to {@code host:port} (or the URL's host part); it appears in
 * error messages and logs. {@code url} must start with {@code jdbc:mysql://} and must not carry the
 * password; it may carry a database and Connector/J properties. Secrets are kept out of
 * {@link #toString()}.
 *
 * @param source the source's name
 * @param primary the primary, if configured
 * @param replicas the read replicas, in configured order
 * @param databases databases to expose; empty means all non-system databases
 * @param primaryReads when the primary serves reads
 * @param properties extra Connector/J properties
 * @param pool pool sizing
 * @param routing health and lag checks and freshness limits
 * @param tls TLS to the servers (Connector/J's sslMode and the CA)
 */
public record MySqlConfig(
        String source,
        Server primary,
        List<Server> replicas,
        List<String> databases,
        PrimaryReads primaryReads,
        Map<String, String> properties,
        Pool pool,
        RoutingSettings routing,
        MySqlTls tls)
{
    public static final int DEFAULT_PORT = 3306;
    private static final String URL_PREFIX = "jdbc:mysql://";

    public MySqlConfig
    {
        requireNonNull(source, "source is null");
        replicas = List.copyOf(replicas);
        databases = List.copyOf(databases);
        properties = Map.copyOf(properties);
        requireNonNull(pool, "pool is null");
        requireNonNull(primaryReads, "primaryReads is null");
        requireNonNull(routing, "routing is null");
        requireNonNull(tls, "tls is null");
        if (primaryReads != PrimaryReads.NEVER && primary == null) {
            throw new IllegalArgumentException("reading from the primary needs a primary");
        }
    }

    /** Settings without TLS to the servers. */
    public MySqlConfig(String source, Server primary, List<Server> replicas, List<String> databases, PrimaryReads primaryReads,
            Map<String, String> properties, Pool pool, RoutingSettings routing)
    {
        this(source, primary, replicas, databases, primaryReads, properties, pool, routing, MySqlTls.DISABLED);
    }

    /**
     * The Connector/J properties of every connection: Sekisho's defaults, then TLS, then
     * {@code properties:} (which override both).
     */
    public Map<String, String> driverProperties()
    {
        Map<String, String> driverProperties = new LinkedHashMap<>(ReplicaPool.DEFAULT_PROPERTIES);
        driverProperties.putAll(tls.driverProperties());
        driverProperties.putAll(properties);
        return driverProperties;
    }

    /** The TLS mode connections use: {@code tls.mode}, or {@code properties.sslMode}, else disabled. */
    public MySqlTls.Mode effectiveTlsMode()
    {
        for (Map.Entry<String, String> property : properties.entrySet()) {
            if (property.getKey().equalsIgnoreCase("sslMode")) {
                return MySqlTls.Mode.parse(property.getValue()).orElse(MySqlTls.Mode.DISABLED);
            }
        }
        return tls.mode();
    }

    /** Settings with the default routing, the primary read like a replica or never. */
    public MySqlConfig(String source, Server primary, List<Server> replicas, List<String> databases, boolean readFromPrimary, Map<String, String> properties,
            Pool pool)
    {
        this(source, primary, replicas, databases, readFromPrimary ? PrimaryReads.ALWAYS : PrimaryReads.NEVER, properties, pool, RoutingSettings.DEFAULT);
    }

    /** When the primary answers reads ({@code read_from_primary}). */
    public enum PrimaryReads
    {
        /** {@code false}: never. */
        NEVER,
        /** {@code true}: like a replica (it never lags). */
        ALWAYS,
        /** {@code fallback}: only when no replica may serve a statement; logged per statement. */
        FALLBACK
    }

    /** Whether the primary is one of the read servers ({@code read_from_primary: true}). */
    public boolean readFromPrimary()
    {
        return primaryReads == PrimaryReads.ALWAYS;
    }

    /** The servers that answer reads: the replicas, then the primary if {@link #readFromPrimary()}. */
    public List<Server> readServers()
    {
        List<Server> servers = new ArrayList<>(replicas);
        if (readFromPrimary()) {
            servers.add(primary);
        }
        return List.copyOf(servers);
    }

    /** Every server the source may read from: the read servers, then the primary if it is the fallback. */
    public List<Server> servers()
    {
        List<Server> servers = new ArrayList<>(readServers());
        if (primaryReads == PrimaryReads.FALLBACK) {
            servers.add(primary);
        }
        return List.copyOf(servers);
    }

    /**
     * One MySQL server.
     *
     * @param name how messages and logs name it
     * @param jdbcUrl the Connector/J URL, without credentials
     * @param user the user
     * @param password the password, or null
     * @param weight its share of the statements against the other servers that qualify (at least 1)
     */
    public record Server(String name, String jdbcUrl, String user, String password, int weight)
    {
        public Server
        {
            requireNonNull(name, "name is null");
            requireNonNull(jdbcUrl, "jdbcUrl is null");
            requireNonNull(user, "user is null");
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1");
            }
        }

        /** A server of weight 1. */
        public Server(String name, String jdbcUrl, String user, String password)
        {
            this(name, jdbcUrl, user, password, 1);
        }

        /** The host the URL names (without port). */
        public String host()
        {
            String authority = jdbcUrl.startsWith(URL_PREFIX) ? jdbcUrl.substring(URL_PREFIX.length()).split("[/?]", 2)[0] : jdbcUrl;
            if (authority.startsWith("[")) {
                int end = authority.indexOf(']');
                return end > 0 ? authority.substring(1, end) : authority;
            }
            int colon = authority.lastIndexOf(':');
            return colon >= 0 && authority.indexOf(':') == colon ? authority.substring(0, colon) : authority;
        }

        @Override
        public String toString()
        {
            return "Server[name=" + name + ", jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "(none)" : "****")
                    + ", weight=" + weight + "]";
        }
    }

    /**
     * HikariCP sizing, the same for every read server.
     *
     * @param maxSize maximum connections per server
     * @param minIdle idle connections kept per server
     * @param connectionTimeoutMillis how long a statement waits for a free connection (or a new one)
     * @param extraConnectionWaitMillis how long a statement that already holds a connection of the
     *         source waits for another one (a plan that reads several tables of one source at once)
     *         before it fails with 53300; short, so that such plans never wait on each other for long
     * @param leakDetectionMillis HikariCP's leak detection: a connection held longer than this is
     *         logged with the stack that took it (0: off)
     */
    public record Pool(int maxSize, int minIdle, long connectionTimeoutMillis, long extraConnectionWaitMillis, long leakDetectionMillis)
    {
        public static final Pool DEFAULT = new Pool(10, 1, 5000, 1000, 0);

        public Pool
        {
            if (maxSize < 1 || minIdle < 0 || minIdle > maxSize || connectionTimeoutMillis < 0 || extraConnectionWaitMillis < 0 || leakDetectionMillis < 0) {
                throw new IllegalArgumentException("invalid pool settings");
            }
        }

        public Pool(int maxSize, int minIdle, long connectionTimeoutMillis)
        {
            this(maxSize, minIdle, connectionTimeoutMillis, Math.min(DEFAULT.extraConnectionWaitMillis(), connectionTimeoutMillis), 0);
        }
    }

    /** Validates {@code config} and builds the settings. */
    public static MySqlConfig parse(SourceConfig config)
    {
        List<String> known = List.of("primary", "replicas", "databases", "read_from_primary", "properties", "pool", "routing", "tls");
        for (String key : config.settings().keySet()) {
            if (!known.contains(key)) {
                throw new InvalidConfigException(key, "is not a mysql setting; known settings: " + String.join(", ", known));
            }
        }
        Server primary = config.optionalMap("primary").map(map -> server("primary", map, "primary")).orElse(null);
        if (primary != null && config.optionalMap("primary").orElseThrow().containsKey("weight")) {
            throw new InvalidConfigException("primary.weight", "is not a primary setting: weights share statements among the replicas");
        }
        List<Server> replicas = new ArrayList<>();
        List<?> replicaList = config.optionalList("replicas").orElse(List.of());
        Set<String> names = new HashSet<>();
        if (primary != null) {
            names.add(primary.name());
        }
        for (int i = 0; i < replicaList.size(); i++) {
            String path = "replicas[" + i + "]";
            Server replica = server(path, asMap(path, replicaList.get(i)), null);
            if (!names.add(replica.name())) {
                throw new InvalidConfigException(path + ".name", "'" + replica.name() + "' names two servers; give each server its own name");
            }
            replicas.add(replica);
        }
        PrimaryReads primaryReads = primaryReads(config.settings().get("read_from_primary"));
        if (primaryReads != PrimaryReads.NEVER && primary == null) {
            throw new InvalidConfigException("read_from_primary", "is " + config.settings().get("read_from_primary")
                    + " but no primary is configured; add primary: or set read_from_primary: false");
        }
        if (replicas.isEmpty() && primaryReads != PrimaryReads.ALWAYS) {
            throw new InvalidConfigException("replicas", "lists no replica, and the primary is not used for reads; add at least one entry under replicas:, or set read_from_primary: true to read from the primary");
        }
        List<String> databases = new ArrayList<>();
        List<?> databaseList = config.optionalList("databases").orElse(List.of());
        for (int i = 0; i < databaseList.size(); i++) {
            Object value = databaseList.get(i);
            if (!(value instanceof String) || ((String) value).isBlank()) {
                throw new InvalidConfigException("databases[" + i + "]", "must be a database name");
            }
            databases.add((String) value);
        }
        Map<String, String> properties = new LinkedHashMap<>();
        config.optionalMap("properties").orElse(Map.of()).forEach((key, value) -> {
            if (value == null || value instanceof Map || value instanceof List) {
                throw new InvalidConfigException("properties." + key, "must be a single value");
            }
            if (key.equalsIgnoreCase("password") || key.equalsIgnoreCase("user")) {
                throw new InvalidConfigException("properties." + key, "is set per server; use user:/password: under primary: or replicas:");
            }
            properties.put(key, value.toString());
        });
        Pool pool = pool(config.optionalMap("pool").orElse(Map.of()));
        RoutingSettings routing = RoutingSettings.parse(config.optionalMap("routing").orElse(Map.of()));
        MySqlTls tls = config.optionalMap("tls").map(MySqlTls::parse).orElse(MySqlTls.DISABLED);
        if (config.settings().containsKey("tls") && properties.keySet().stream().anyMatch(key -> key.equalsIgnoreCase("sslMode"))) {
            throw new InvalidConfigException("properties.sslMode", "and tls.mode are both set; keep tls: only");
        }
        return new MySqlConfig(config.name(), primary, replicas, databases, primaryReads, properties, pool, routing, tls);
    }

    private static PrimaryReads primaryReads(Object value)
    {
        if (value != null && value.toString().trim().equalsIgnoreCase("fallback")) {
            return PrimaryReads.FALLBACK;
        }
        if (value != null && !(value instanceof Boolean) && !value.toString().trim().equalsIgnoreCase("true") && !value.toString().trim().equalsIgnoreCase("false")) {
            throw new InvalidConfigException("read_from_primary", "must be true or false, or fallback (read from the primary only when no replica "
                    + "may serve a statement), not '" + value + "'");
        }
        return bool("read_from_primary", value, false) ? PrimaryReads.ALWAYS : PrimaryReads.NEVER;
    }

    private static Server server(String path, Map<String, Object> map, String defaultName)
    {
        for (String key : map.keySet()) {
            if (!Set.of("name", "host", "port", "url", "user", "password", "weight").contains(key)) {
                throw new InvalidConfigException(path + "." + key, "is not a server setting; known: name, host, port, url, user, password, weight");
            }
        }
        String url = string(path + ".url", map.get("url"));
        String host = string(path + ".host", map.get("host"));
        String displayHost;
        String jdbcUrl;
        if (url != null) {
            if (host != null || map.get("port") != null) {
                throw new InvalidConfigException(path + ".url", "and host/port are both set; give either url: or host: and port:");
            }
            if (!url.startsWith(URL_PREFIX)) {
                throw new InvalidConfigException(path + ".url", "must start with " + URL_PREFIX);
            }
            String authority = url.substring(URL_PREFIX.length()).split("[/?]", 2)[0];
            if (authority.contains("@") || url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                throw new InvalidConfigException(path + ".url", "must not carry credentials; use user: and password:");
            }
            if (authority.isEmpty()) {
                throw new InvalidConfigException(path + ".url", "names no host");
            }
            displayHost = authority;
            jdbcUrl = url;
        }
        else {
            if (host == null || host.isBlank()) {
                throw new InvalidConfigException(path + ".host", "is required (or give url:)");
            }
            int port = integer(path + ".port", map.get("port"), DEFAULT_PORT);
            if (port < 1 || port > 65535) {
                throw new InvalidConfigException(path + ".port", "must be between 1 and 65535, not " + port);
            }
            displayHost = host + ":" + port;
            jdbcUrl = URL_PREFIX + host + ":" + port + "/";
        }
        String user = string(path + ".user", map.get("user"));
        if (user == null || user.isBlank()) {
            throw new InvalidConfigException(path + ".user", "is required");
        }
        Object password = map.get("password");
        if (password instanceof Map || password instanceof List) {
            throw new InvalidConfigException(path + ".password", "must be a single value");
        }
        String name = string(path + ".name", map.get("name"));
        if (name == null) {
            name = defaultName != null ? defaultName + " (" + displayHost + ")" : displayHost;
        }
        int weight = integer(path + ".weight", map.get("weight"), 1);
        if (weight < 1) {
            throw new InvalidConfigException(path + ".weight", "must be at least 1, not " + weight);
        }
        return new Server(name, jdbcUrl, user, password == null ? null : password.toString(), weight);
    }

    private static Pool pool(Map<String, Object> map)
    {
        List<String> keys = List.of("max_size", "min_idle", "connection_timeout_ms", "extra_connection_wait_ms", "leak_detection_ms");
        for (String key : map.keySet()) {
            if (!keys.contains(key)) {
                throw new InvalidConfigException("pool." + key, "is not a pool setting; known: " + String.join(", ", keys));
            }
        }
        int maxSize = integer("pool.max_size", map.get("max_size"), Pool.DEFAULT.maxSize());
        int minIdle = integer("pool.min_idle", map.get("min_idle"), Pool.DEFAULT.minIdle());
        int timeout = integer("pool.connection_timeout_ms", map.get("connection_timeout_ms"), (int) Pool.DEFAULT.connectionTimeoutMillis());
        int extraWait = integer("pool.extra_connection_wait_ms", map.get("extra_connection_wait_ms"),
                (int) Math.min(Pool.DEFAULT.extraConnectionWaitMillis(), timeout));
        int leakDetection = integer("pool.leak_detection_ms", map.get("leak_detection_ms"), 0);
        if (maxSize < 1) {
            throw new InvalidConfigException("pool.max_size", "must be at least 1, not " + maxSize);
        }
        if (minIdle < 0 || minIdle > maxSize) {
            throw new InvalidConfigException("pool.min_idle", "must be between 0 and pool.max_size (" + maxSize + "), not " + minIdle);
        }
        if (timeout < 250) {
            throw new InvalidConfigException("pool.connection_timeout_ms", "must be at least 250, not " + timeout);
        }
        if (extraWait < 0 || extraWait > timeout) {
            throw new InvalidConfigException("pool.extra_connection_wait_ms", "must be between 0 and pool.connection_timeout_ms (" + timeout + "), not " + extraWait);
        }
        if (leakDetection != 0 && leakDetection < 2000) {
            // HikariCP's own lower bound: below it, leak detection stays off without a word
            throw new InvalidConfigException("pool.leak_detection_ms", "must be 0 (off) or at least 2000, not " + leakDetection);
        }
        return new Pool(maxSize, minIdle, timeout, extraWait, leakDetection);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(String path, Object value)
    {
        if (!(value instanceof Map)) {
            throw new InvalidConfigException(path, "must be a mapping with host/port or url, user and password");
        }
        return (Map<String, Object>) value;
    }

    static String string(String path, Object value)
    {
        if (value == null) {
            return null;
        }
        if (value instanceof Map || value instanceof List) {
            throw new InvalidConfigException(path, "must be a single value");
        }
        return value.toString();
    }

    static int integer(String path, Object value, int fallback)
    {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            return Math.toIntExact(((Number) value).longValue());
        }
        try {
            return Integer.parseInt(value.toString().trim());
        }
        catch (NumberFormatException e) {
            throw new InvalidConfigException(path, "must be a whole number, not '" + value + "'");
        }
    }

    private static boolean bool(String path, Object value, boolean fallback)
    {
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean) {
            return (Boolean) value;
        }
        String text = value.toString().trim().toLowerCase(java.util.Locale.ROOT);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw new InvalidConfigException(path, "must be true or false, not '" + value + "'");
    }
}
