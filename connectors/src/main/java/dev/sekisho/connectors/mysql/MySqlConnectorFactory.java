package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorFactory;
import dev.sekisho.planner.spi.SourceConfig;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/** {@code type: mysql}: MySQL or MariaDB read replicas. The settings are described in {@link MySqlConfig}. */
public final class MySqlConnectorFactory
        implements ConnectorFactory
{
    @Override
    public String name()
    {
        return "mysql";
    }

    @Override
    public Connector create(SourceConfig config)
    {
        requireNonNull(config, "config is null");
        return new MySqlConnector(MySqlConfig.parse(config));
    }

    @Override
    public Set<String> secretKeys()
    {
        return Set.of("password");
    }
}
