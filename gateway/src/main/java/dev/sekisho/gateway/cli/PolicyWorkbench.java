package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.auth.UsersFile;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.gateway.demo.Demo;
import dev.sekisho.gateway.demo.DemoPolicyFolder;
import dev.sekisho.gateway.demo.EmbeddedMariaDb;
import dev.sekisho.gateway.policy.GatewayPolicies;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.PolicyStore;
import dev.sekisho.policies.Principal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What the {@code sekisho policy} tools work with: the sources and users of a configuration (or
 * of the embedded demo), a planner over them, and policy folders loaded with the same checks as
 * the gateway's. Runs queries in-process, without the wire protocol.
 */
public final class PolicyWorkbench
        implements AutoCloseable
{
    private final SekishoConfig config;
    private final UsersFile users;
    private final List<Connector> connectors;
    private final CalciteQueryPlanner planner;
    private final Optional<EmbeddedMariaDb> mariaDb;
    private final Optional<Path> tempDir;

    private PolicyWorkbench(SekishoConfig config, List<Connector> connectors, Optional<EmbeddedMariaDb> mariaDb, Optional<Path> tempDir)
    {
        this.config = requireNonNull(config, "config is null");
        this.users = UsersFile.load(config.usersFile());
        this.connectors = List.copyOf(connectors);
        // as the gateway plans (the same route and local-join limit), but statements as written:
        // `policy explain` shows the source SQL with the user's literals in it
        PlannerOptions defaults = PlannerOptions.defaults().withLocalJoinMaxRows(config.execution().localMaxRows())
                .withReplicatedTables(config.replicatedTables()).withoutNormalization();
        PlannerOptions options = config.policies().flatMap(GatewayPolicies::hashSalt)
                .map(defaults::withHashSalt)
                .orElse(defaults);
        this.planner = new CalciteQueryPlanner(connectors, options);
        this.mariaDb = requireNonNull(mariaDb, "mariaDb is null");
        this.tempDir = requireNonNull(tempDir, "tempDir is null");
    }

    /** Opens the sources of a configuration file. */
    public static PolicyWorkbench forConfig(Path configFile)
    {
        SekishoConfig config = SekishoConfigLoader.load(configFile);
        List<Connector> connectors = Gateway.createConnectors(config);
        try {
            return new PolicyWorkbench(config, connectors, Optional.empty(), Optional.empty());
        }
        catch (RuntimeException e) {
            connectors.forEach(Connector::close);
            throw e;
        }
    }

    /** Starts the demo's embedded MariaDB with the sample shop and the demo users (no gateway). */
    public static PolicyWorkbench forDemo()
    {
        EmbeddedMariaDb mariaDb = EmbeddedMariaDb.start(0, null);
        Path dir = null;
        try {
            mariaDb.runScript("demo/shop.sql");
            dir = Files.createTempDirectory("sekisho-policy-");
            Files.writeString(dir.resolve("users.yaml"), Demo.usersYaml(), StandardCharsets.UTF_8);
            Path configFile = dir.resolve("sekisho.yaml");
            Files.writeString(configFile, Demo.configYaml("127.0.0.1", 0, mariaDb.port(), Optional.empty()), StandardCharsets.UTF_8);
            SekishoConfig config = SekishoConfigLoader.load(configFile);
            return new PolicyWorkbench(config, Gateway.createConnectors(config), Optional.of(mariaDb), Optional.of(dir));
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

    /** The policy folder the configuration names, if any. */
    public Optional<Path> configuredPolicyDir()
    {
        return config.policies().map(SekishoConfig.Policies::dir);
    }

    /**
     * The demo's policy folder, as {@code sekisho demo} picks it: the checkout's examples, or
     * outside a checkout a copy of the bundled ones.
     */
    public Path demoPolicyDir()
    {
        Path scratch = tempDir.orElseThrow(() -> new IllegalStateException("not a demo workbench"));
        return DemoPolicyFolder.choose(Optional.empty(), scratch).dir();
    }

    /** Loads a policy folder with the structural and semantic checks the gateway applies. */
    public PolicyStore load(Path dir)
    {
        return GatewayPolicies.load(dir, planner, config.file().toString());
    }

    /** A user of the users file, with groups and attributes. */
    public Optional<Principal> user(String name)
    {
        return users.lookup(name).map(record -> record.principal());
    }

    /** Plans a statement for a principal under a policy snapshot. */
    public PreparedQuery prepare(Principal principal, PolicySet policies, String sql)
    {
        return planner.prepare(sql, List.of(), SessionContext.withPolicy(principal, policies, config.searchPath()));
    }

    /** The statement planned as written (its literals as literals), for {@code policy explain}: the route its values choose shows. */
    public PreparedQuery prepareAsWritten(Principal principal, PolicySet policies, String sql)
    {
        return planner.prepareAsWritten(sql, List.of(), SessionContext.withPolicy(principal, policies, config.searchPath()));
    }

    /** A context for running a statement in-process. */
    public static ExecutionContext context(String user)
    {
        return ExecutionContext.uncancellable(user);
    }

    @Override
    public void close()
    {
        connectors.forEach(Connector::close);
        mariaDb.ifPresent(EmbeddedMariaDb::close);
        tempDir.ifPresent(dir -> {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
            catch (IOException | UncheckedIOException ignored) {
                // a leftover temporary folder is harmless
            }
        });
    }
}
