package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code sekisho serve}: runs the gateway with a configuration file until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the gateway with a configuration file.")
public final class ServeCommand
        implements Callable<Integer>
{
    @Option(names = {"-c", "--config"}, defaultValue = "sekisho.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Override
    public Integer call()
            throws InterruptedException
    {
        SekishoConfig loaded;
        try {
            loaded = SekishoConfigLoader.load(config);
        }
        catch (ConfigException e) {
            System.err.println("sekisho: configuration error: " + e.getMessage());
            return 2;
        }
        Gateway gateway;
        try {
            gateway = Gateway.start(loaded);
        }
        catch (ConfigException e) {
            System.err.println("sekisho: configuration error: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "sekisho-shutdown"));
        System.out.printf("Sekisho %s is listening on %s:%d (Postgres wire protocol)%n", Gateway.version(), loaded.listen().host(), gateway.pgPort());
        stopped.await();
        return 0;
    }
}
