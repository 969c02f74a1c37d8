package dev.sekisho.gateway.cli;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.SekishoConfig;
import dev.sekisho.gateway.config.SekishoConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code sekisho check-config FILE}: validates a configuration without starting anything. */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate a configuration file and its users file; prints file:line and the key for each problem.")
public final class CheckConfigCommand
        implements Callable<Integer>
{
    @Parameters(index = "0", defaultValue = "sekisho.yaml", description = "Configuration file (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Override
    public Integer call()
    {
        try {
            SekishoConfig loaded = SekishoConfigLoader.load(config);
            Gateway.validate(loaded);
            System.out.printf("%s: OK (%d source(s), users file %s)%n", config, loaded.sources().size(), loaded.usersFile());
            return 0;
        }
        catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        }
    }
}
