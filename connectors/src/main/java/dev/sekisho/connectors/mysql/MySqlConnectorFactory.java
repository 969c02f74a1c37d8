package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ConnectorFactory;
import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.planner.spi.SourceConfigWarning;

import java.util.ArrayList;
import java.util.List;
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

    /** A server on another machine reached without verified TLS: its password and rows cross the network readable or unauthenticated. */
    @Override
    public List<SourceConfigWarning> warnings(SourceConfig config)
    {
        MySqlConfig mysql;
        try {
            mysql = MySqlConfig.parse(config);
        }
        catch (RuntimeException e) {
            // an invalid source is reported as an error elsewhere
            return List.of();
        }
        MySqlTls.Mode mode = mysql.effectiveTlsMode();
        if (mode.verifies()) {
            return List.of();
        }
        List<SourceConfigWarning> warnings = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<MySqlConfig.Server> servers = new ArrayList<>();
        if (mysql.primary() != null) {
            keys.add("primary");
            servers.add(mysql.primary());
        }
        for (int i = 0; i < mysql.replicas().size(); i++) {
            keys.add("replicas[" + i + "]");
            servers.add(mysql.replicas().get(i));
        }
        for (int i = 0; i < servers.size(); i++) {
            String host = servers.get(i).host();
            if (!MySqlTls.isLocal(host)) {
                warnings.add(new SourceConfigWarning(keys.get(i), "server " + host + " is on another machine and is reached "
                        + (mode.encrypts() ? "with TLS that does not check its certificate" : "without TLS") + " (sslMode "
                        + mode.name() + "); set tls: {mode: verify_identity, ca_file: <the CA's PEM file>} for this source"));
            }
        }
        return warnings;
    }
}
