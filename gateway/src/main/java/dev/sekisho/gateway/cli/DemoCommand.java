package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.demo.Demo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code sekisho demo}: the embedded default. Starts an in-process MariaDB loaded with a small
 * shop, and the gateway in front of it, then prints how to connect.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start the gateway on an embedded MariaDB with sample data (a small shop) and example users.")
public final class DemoCommand
        implements Callable<Integer>
{
    @Option(names = "--port", defaultValue = "15432", description = "Postgres-wire port of the gateway (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    private int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--data-dir", description = "Where MariaDB keeps its files (default: a new temporary folder, removed at exit).")
    private Path dataDir;

    @Override
    public Integer call()
            throws InterruptedException
    {
        System.out.println("Starting the embedded MariaDB and loading the sample shop (about 15 seconds)...");
        Demo demo = Demo.start(host, port, dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "sekisho-shutdown"));
        System.out.println(demo.instructions());
        System.out.printf("Sekisho %s demo is running. Press Ctrl-C to stop.%n", Gateway.version());
        stopped.await();
        return 0;
    }
}
