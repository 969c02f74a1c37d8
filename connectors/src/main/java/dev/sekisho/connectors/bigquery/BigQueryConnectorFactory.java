package dev.sekisho.connectors.bigquery;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorFactory;
import dev.sekisho.planner.spi.SourceConfig;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/** {@code type: bigquery}: datasets of one Google Cloud project. The settings are described in {@link BigQueryConfig}. */
public final class BigQueryConnectorFactory
        implements ConnectorFactory
{
    @Override
    public String name()
    {
        return "bigquery";
    }

    @Override
    public Connector create(SourceConfig config)
    {
        requireNonNull(config, "config is null");
        return new BigQueryConnector(BigQueryConfig.parse(config));
    }

    /** No secret is written in the configuration: credentials come from a key file or the environment. */
    @Override
    public Set<String> secretKeys()
    {
        return Set.of();
    }
}
