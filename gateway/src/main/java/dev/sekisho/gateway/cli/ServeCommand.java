package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import dev.sekisho.planner.spi.QueryException;
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
        InputFiles.requireFile(config, "configuration file",
                "Give the path of sekisho.yaml: ./sekisho serve --config FILE (examples/sekisho.yaml is a commented example).");
        SekishoConfig loaded = SekishoConfigLoader.load(config);
        String host = loaded.listen().host();
        int port = loaded.listen().port();
        String portRemedy = "Stop the other program, or set listen.port in " + config + " to a free port.";
        ListenPort.requireFree(host, port, portRemedy);
        Gateway gateway;
        try {
            gateway = Gateway.start(loaded);
        }
        catch (QueryException e) {
            if (!FailureReport.isSourceUnreachable(e)) {
                throw e;
            }
            throw new CliFailure(ExitCode.UNREACHABLE, "cannot start: " + e.getMessage(),
                    "Start the source's servers or correct their address; ./sekisho check-config " + config
                            + " shows each server's address and why it does not answer.", e);
        }
        catch (RuntimeException e) {
            throw ListenPort.bindFailure(e, host, port, portRemedy).orElseThrow(() -> e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "sekisho-shutdown"));
        System.out.printf("Sekisho %s is listening on %s:%d (Postgres wire protocol)%n", Gateway.version(), host, gateway.pgPort());
        stopped.await();
        return ExitCode.OK;
    }
}
