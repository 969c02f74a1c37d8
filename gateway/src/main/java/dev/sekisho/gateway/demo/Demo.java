package dev.sekisho.gateway.demo;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    /** Demo users: name, password, groups, attributes (YAML flow mapping). */
    public static final List<DemoUser> USERS = List.of(
            new DemoUser("alice", "alice", List.of("analysts"), "{region: JP, department: marketing}"),
            new DemoUser("bob", "bob", List.of("finance"), "{region: US, department: finance}"),
            new DemoUser("admin", "admin", List.of("admins"), "{}"));

    /** The example policies (examples/policies), packed as resources under demo/policies. */
    static final List<String> POLICY_FILES = List.of("shop.yaml", "shop.test.yaml");

    /** The read-only MariaDB account the gateway uses (created by demo/shop.sql). */
    static final String READER_USER = "sekisho_reader";
    static final String READER_PASSWORD = "sekisho-demo";

    private final EmbeddedMariaDb mariaDb;
    private final Gateway gateway;
    private final String host;
    private final Path workDir;

    private Demo(EmbeddedMariaDb mariaDb, Gateway gateway, String host, Path workDir)
    {
        this.mariaDb = requireNonNull(mariaDb, "mariaDb is null");
        this.gateway = requireNonNull(gateway, "gateway is null");
        this.host = requireNonNull(host, "host is null");
        this.workDir = requireNonNull(workDir, "workDir is null");
    }

    /**
     * Starts MariaDB, loads the shop and starts the gateway.
     *
     * @param port the gateway's Postgres-wire port (0 = a free port)
     * @param dataDir where MariaDB keeps its files, or null for a temporary folder
     */
    public static Demo start(String host, int port, Path dataDir)
    {
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(0, dataDir);
        try {
            mariaDb.runScript("demo/shop.sql");
            Path workDir = Files.createTempDirectory("sekisho-demo-");
            Path policies = Files.createDirectories(workDir.resolve("policies"));
            for (String file : POLICY_FILES) {
                try (var in = Demo.class.getClassLoader().getResourceAsStream("demo/policies/" + file)) {
                    Files.copy(requireNonNull(in, "demo policy " + file + " is not packaged"), policies.resolve(file));
                }
            }
            Path usersFile = workDir.resolve("users.yaml");
            Files.writeString(usersFile, usersYaml(), StandardCharsets.UTF_8);
            Path configFile = workDir.resolve("sekisho.yaml");
            String yaml = configYaml(host, port, mariaDb.port(), true);
            Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
            SekishoConfig config = SekishoConfigLoader.load(configFile);
            Gateway gateway = Gateway.start(config);
            return new Demo(mariaDb, gateway, host, workDir);
        }
        catch (IOException e) {
            mariaDb.close();
            throw new UncheckedIOException(e);
        }
        catch (RuntimeException e) {
            mariaDb.close();
            throw e;
        }
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

                Users (password = user name) and what the example policies (%4$s) let them see:
                  alice  analyst: customers of her region (JP) only, names/emails/phones masked, amounts rounded
                  bob    finance: every customer, personal data masked, exact amounts
                  admin  admin:   everything unmasked

                Connect with psql:

                  PGPASSWORD=alice psql "host=%1$s port=%2$d user=alice dbname=sekisho" -c 'select count(*) from shop.customers'

                or with pgjdbc:

                  jdbc:postgresql://%1$s:%2$d/sekisho?user=alice&password=alice

                The configuration in use is %5$s
                """, host, port, mariaDb.port(), workDir.resolve("policies"), workDir.resolve("sekisho.yaml"));
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

    public static String configYaml(String host, int port, int mariaDbPort, boolean withPolicies)
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
                withPolicies ? "policies:\n  dir: policies          # the example policies: masks and a row filter on shop.customers" : "# no policies",
                mariaDbPort, mariaDbPort, READER_USER, READER_PASSWORD);
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
