package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Set;

/** Creates connectors of one kind ({@code mysql}, later {@code bigquery}); found by ServiceLoader. */
public interface ConnectorFactory
{
    /** The value of {@code type:} in a source's configuration that selects this factory. */
    String name();

    /**
     * Creates a connector for one configured source. Does not block on the network: pools fill in
     * the background and metadata is loaded on first use or by {@link Connector#metadata()}.
     *
     * @throws InvalidConfigException naming the offending key when the settings are wrong
     */
    Connector create(SourceConfig config);

    /** Keys whose values are secrets and must never be logged or echoed. */
    default Set<String> secretKeys()
    {
        return Set.of("password");
    }

    /**
     * What is valid but unwise in a source's settings (a remote server reached without TLS):
     * {@code check-config} prints it, the gateway logs it at start. Never throws; an invalid
     * source has no warnings (its error is reported by {@link #create}).
     */
    default List<SourceConfigWarning> warnings(SourceConfig config)
    {
        return List.of();
    }
}
