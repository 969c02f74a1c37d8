package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.demo.Demo;
import dev.sekisho.gateway.demo.PolicyEditReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sekisho demo}: the embedded default. Starts an in-process MariaDB loaded with a small
 * shop, and the gateway in front of it enforcing the example policies, then prints how to connect
 * and, while it runs, whether each edit of the policy files was applied or refused.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the gateway on an embedded MariaDB with sample data (a small shop) and example users and policies.")
public final class DemoCommand
        implements Callable<Integer>
{
    static final String PORT_IN_USE_REMEDY = "Stop the other program, or run ./sekisho demo --port 0 to take any free port.";

    @Option(names = "--port", defaultValue = "15432", description = "Postgres-wire port of the gateway (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--data-dir", description = "Where MariaDB keeps its files (default: a new temporary folder, removed at exit).")
    private Path dataDir;

    @Option(names = "--policies", paramLabel = "DIR",
            description = "Policy folder to enforce and watch (default: examples/policies of the checkout sekisho runs from; outside a checkout, a copy of the bundled examples).")
    private Path policies;

    @Override
    public Integer call()
            throws InterruptedException
    {
        if (policies != null) {
            InputFiles.requireFolder(policies, "policy folder", "Give a folder of policy files, for example --policies examples/policies.");
        }
        ListenPort.requireFree(host, port, PORT_IN_USE_REMEDY);
        System.out.println("Starting the demo: an embedded MariaDB with the sample shop, and the gateway in front of it (about 15 seconds)...");
        Demo demo;
        try {
            demo = Demo.start(host, port, dataDir, Optional.ofNullable(policies));
        }
        catch (ConfigException e) {
            if (!e.key().equals("policies.dir")) {
                throw e;
            }
            // the configuration is generated; only the policy files are the user's
            throw new CliFailure(ExitCode.INVALID, e.reason(), "Correct them and start the demo again, or give another folder with --policies DIR.", e);
        }
        catch (RuntimeException e) {
            throw ListenPort.bindFailure(e, host, port, PORT_IN_USE_REMEDY).orElseThrow(() -> e);
        }
        PolicyEditReport report = new PolicyEditReport();
        demo.onPolicyReload(result -> report.lines(result).forEach(System.out::println));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "sekisho-shutdown"));
        System.out.println(demo.instructions());
        System.out.printf("Sekisho %s demo is running. Press Ctrl-C to stop.%n", Gateway.version());
        stopped.await();
        return ExitCode.OK;
    }
}
