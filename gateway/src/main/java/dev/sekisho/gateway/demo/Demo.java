package dev.sekisho.gateway.demo;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.policies.ReloadResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The embedded default: an in-process MariaDB with the sample shop, example users, and a gateway
 * in front of it, configured through the same {@code sekisho.yaml} code path as a real deployment.
 *
 * <p>The demo has one MariaDB server and lists it as the read replica: real primary/replica
 * routing comes with the routing issue.
 */
public final class Demo
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Demo.class);

    /** Demo users: name, password, groups, attributes (YAML flow mapping). */
    public static final List<DemoUser> USERS = List.of(
            new DemoUser("alice", "alice", List.of("analysts"), "{region: JP, department: marketing}"),
            new DemoUser("bob", "bob", List.of("finance"), "{region: US, department: finance}"),
            new DemoUser("admin", "admin", List.of("admins"), "{}"));

    /** The read-only MariaDB account the gateway uses (created by demo/shop.sql). */
    static final String READER_USER = "sekisho_reader";
    static final String READER_PASSWORD = "sekisho-demo";

    private final EmbeddedMariaDb mariaDb;
    private final Gateway gateway;
    private final String host;
    private final Path workDir;
    private final DemoPolicyFolder policies;

    private Demo(EmbeddedMariaDb mariaDb, Gateway gateway, String host, Path workDir, DemoPolicyFolder policies)
    {
        this.mariaDb = requireNonNull(mariaDb, "mariaDb is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.host = requireNonNull(host, "host is null");
        this.workDir = requireNonNull(workDir, "workDir is null");
        this.policies = requireNonNull(policies, "policies is null");
    }

    /**
     * Starts MariaDB, loads the shop and starts the gateway, which enforces and watches the
     * policies of {@link DemoPolicyFolder#choose}.
     *
     * @param port the gateway's Postgres-wire port (0 = a free port)
     * @param dataDir where MariaDB keeps its files, or null for a temporary folder
     * @param policyDir the policy folder to enforce; empty for the checkout's examples (or a copy
     *         of the bundled ones outside a checkout)
     */
    public static Demo start(String host, int port, Path dataDir, Optional<Path> policyDir)
    {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("sekisho-demo-");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the demo's configuration", e);
        }
        DemoPolicyFolder policies = DemoPolicyFolder.choose(policyDir, workDir);
        log.info("Demo policies: {}", policies.describe());
        Path configFile = workDir.resolve("sekisho.yaml");
        try {
            // before the slow part: a typo in a policy file fails at once (the tables are checked once MariaDB runs)
            GatewayPolicies.checkStructure(policies.dir(), configFile.toString());
        }
        catch (RuntimeException e) {
            deleteQuietly(workDir);
            throw e;
        }
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(0, dataDir);
        try {
            mariaDb.runScript("demo/shop.sql");
            Path usersFile = workDir.resolve("users.yaml");
            Files.writeString(usersFile, usersYaml(), StandardCharsets.UTF_8);
            String yaml = configYaml(host, port, mariaDb.port(), Optional.of(policies.dir()));
            Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
            SekishoConfig config = SekishoConfigLoader.load(configFile);
            Gateway gateway = Gateway.start(config);
            return new Demo(mariaDb, gateway, host, workDir, policies);
        }
        catch (IOException e) {
            mariaDb.close();
            deleteQuietly(workDir);
            throw new UncheckedIOException(e);
        }
        catch (RuntimeException e) {
            mariaDb.close();
            deleteQuietly(workDir);
            throw e;
        }
    }

    /** The policy folder the demo enforces and watches. */
    public DemoPolicyFolder policies()
    {
        return policies;
    }

    /** Calls {@code listener} (on the watcher's thread) after every reload of the policy folder. */
    public void onPolicyReload(Consumer<ReloadResult> listener)
    {
        gateway.policies().orElseThrow().addListener(listener);
    }

    /** The gateway's Postgres-wire port. */
    public int pgPort()
    {
        return gateway.pgPort();
    }

    /** The embedded MariaDB, for tests that compare with direct queries. */
    public EmbeddedMariaDb mariaDb()
    {
        return mariaDb;
    }

    /** The folder holding the generated sekisho.yaml and users.yaml. */
    public Path workDir()
    {
        return workDir;
    }

    /** How to connect, for people. */
    public String instructions()
    {
        int port = pgPort();
        return String.format("""

                Sekisho demo: the gateway listens on %1$s:%2$d (Postgres wire protocol), in front of an
                embedded MariaDB (port %3$d) holding the sample database "shop"
                (customers, orders, products, order_items).

                Users (password = user name) and what the example policies let them see:
                  alice  analyst: customers of her region (JP) only, names/emails/phones masked,
                                  amounts rounded, no order items
                  bob    finance: every customer, personal data masked, exact amounts
                  admin  admin:   everything unmasked

                Connect with psql:

                  PGPASSWORD=alice psql "host=%1$s port=%2$d user=alice dbname=sekisho" -c 'select count(*) from shop.customers'

                or with pgjdbc:

                  jdbc:postgresql://%1$s:%2$d/sekisho?user=alice&password=alice

                The policies in force are read from %4$s
                and watched: edit a file there and save it, and this terminal says whether the edit was applied
                or refused (a broken edit leaves the previous policy in force).

                The configuration in use is %5$s
                """, host, port, mariaDb.port(), policies.describe(), workDir.resolve("sekisho.yaml"));
    }

    public static String usersYaml()
    {
        StringBuilder yaml = new StringBuilder("# Demo users, generated at start-up; the passwords equal the user names.\nusers:\n");
        for (DemoUser user : USERS) {
            yaml.append("  ").append(user.name()).append(":\n")
                    .append("    password: \"").append(ScramVerifier.create(user.password().toCharArray()).encoded()).append("\"\n")
                    .append("    groups: [").append(String.join(", ", user.groups())).append("]\n")
                    .append("    attributes: ").append(user.attributes()).append('\n');
        }
        return yaml.toString();
    }

    /**
     * The demo's {@code sekisho.yaml}.
     *
     * @param policyDir the policy folder, or empty for none
     */
    public static String configYaml(String host, int port, int mariaDbPort, Optional<Path> policyDir)
    {
        return String.format("""
                # Generated by `sekisho demo`. See docs/configuration.md for every key.
                listen:
                  host: %s
                  port: %d
                users_file: users.yaml
                %s
                search_path: [shop, public]
                sources:
                  shop:
                    type: mysql
                    # The demo runs one MariaDB server: it is named as the primary and also listed as
                    # the only read replica, through a read-only account.
                    primary: {host: 127.0.0.1, port: %d, user: root, password: ""}
                    replicas:
                      - {name: embedded, host: 127.0.0.1, port: %d, user: %s, password: %s}
                    databases: [shop]
                """, host, port,
                policyDir.map(dir -> "policies:\n  dir: " + yamlString(dir.toAbsolutePath().toString()) + "   # masks, a row filter, tables per role")
                        .orElse("# no policies"),
                mariaDbPort, mariaDbPort, READER_USER, READER_PASSWORD);
    }

    private static String yamlString(String text)
    {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public void close()
    {
        try {
            gateway.close();
        }
        finally {
            mariaDb.close();
            deleteQuietly(workDir);
        }
    }

    private static void deleteQuietly(Path dir)
    {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (IOException ignored) {
            // a leftover temporary folder is harmless
        }
    }

    /** A demo user. */
    public record DemoUser(String name, String password, List<String> groups, String attributes) {}
}
