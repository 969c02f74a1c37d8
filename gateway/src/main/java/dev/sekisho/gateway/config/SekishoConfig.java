package dev.sekisho.gateway.config;

import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.policies.yaml.YamlNode;

import java.nio.file.Path;
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
        requireNonNull(avatica, "avatica is null");
    }

    /** Without the Avatica front door. */
    public SekishoConfig(Path file, Listen listen, Path usersFile, Optional<Policies> policies, List<String> searchPath, Execution execution,
            Protocol protocol, List<Source> sources, Optional<Tls> tls)
    {
        this(file, listen, usersFile, policies, searchPath, execution, protocol, sources, tls, Optional.empty());
    }

    /** Without TLS. */
    public SekishoConfig(Path file, Listen listen, Path usersFile, Optional<Policies> policies, List<String> searchPath, Execution execution,
            Protocol protocol, List<Source> sources)
    {
        this(file, listen, usersFile, policies, searchPath, execution, protocol, sources, Optional.empty());
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
    public record Policies(Path dir, String hashSaltEnv, boolean watch)
    {
        public static final String DEFAULT_HASH_SALT_ENV = "SEKISHO_HASH_SALT";

        public Policies
        {
            requireNonNull(dir, "dir is null");
            requireNonNull(hashSaltEnv, "hashSaltEnv is null");
        }
    }

    /**
     * {@code execution:}.
     *
     * @param workerThreads threads that plan statements and read their rows (statements running
     *         at once); more statements wait in line
     * @param queueSize statements that may wait for a worker before new ones are refused with 53300
     */
    public record Execution(int workerThreads, int queueSize)
    {
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
     */
    public record Protocol(int maxMessageBytes, int maxConnections)
    {
        public static Protocol defaults()
        {
            return new Protocol(16 * 1024 * 1024, 1000);
        }
    }

    /**
     * {@code tls:}.
     *
     * @param certFile the server certificate chain, PEM
     * @param keyFile its private key, PEM (unencrypted PKCS#8)
     * @param mode whether clients without TLS are still accepted
     * @param line the line of the {@code tls:} key, for errors found when the files are loaded
     */
    public record Tls(Path certFile, Path keyFile, TlsMode mode, int line)
    {
        public Tls
        {
            requireNonNull(certFile, "certFile is null");
            requireNonNull(keyFile, "keyFile is null");
            requireNonNull(mode, "mode is null");
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
