package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.SourceConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which sources may run lookups on the I/O threads: none with TLS or with Connector/J property overrides, wherever they are written. */
public class TestNonBlockingGate
{
    @Test
    public void testPlainSourceIsEligible()
    {
        assertThat(MySqlNonBlockingReads.eligible(config(Map.of("host", "db", "port", 3306)))).isTrue();
        assertThat(MySqlNonBlockingReads.eligible(config(Map.of("url", "jdbc:mysql://db:3307/shop")))).isTrue();
    }

    @Test
    public void testOverridesAndTlsAreNot()
    {
        assertThat(MySqlNonBlockingReads.eligible(config(Map.of("url", "jdbc:mysql://db:3307/shop?useCompression=true")))).isFalse();
        assertThat(MySqlNonBlockingReads.eligible(config(Map.of("url", "jdbc:mysql://db1:3306,db2:3306/shop")))).isFalse();
        Map<String, Object> withProperties = settings(Map.of("host", "db"));
        withProperties.put("properties", Map.of("useServerPrepStmts", "false"));
        assertThat(MySqlNonBlockingReads.eligible(MySqlConfig.parse(new SourceConfig("s", "mysql", withProperties)))).isFalse();
        Map<String, Object> withTls = settings(Map.of("host", "db"));
        withTls.put("tls", Map.of("mode", "required"));
        assertThat(MySqlNonBlockingReads.eligible(MySqlConfig.parse(new SourceConfig("s", "mysql", withTls)))).isFalse();
    }

    @Test
    public void testUrlParts()
    {
        assertThat(MySqlNonBlockingReads.port("jdbc:mysql://db:3307/shop")).isEqualTo(3307);
        assertThat(MySqlNonBlockingReads.port("jdbc:mysql://db/shop")).isEqualTo(3306);
        assertThat(MySqlNonBlockingReads.port("jdbc:mysql://[::1]:3310/")).isEqualTo(3310);
        assertThat(MySqlNonBlockingReads.database("jdbc:mysql://db:3307/shop")).isEqualTo("shop");
        assertThat(MySqlNonBlockingReads.database("jdbc:mysql://db:3307/")).isNull();
        assertThat(MySqlNonBlockingReads.database("jdbc:mysql://db:3307")).isNull();
    }

    private static MySqlConfig config(Map<String, Object> server)
    {
        return MySqlConfig.parse(new SourceConfig("s", "mysql", settings(server)));
    }

    private static Map<String, Object> settings(Map<String, Object> server)
    {
        Map<String, Object> replica = new HashMap<>(server);
        replica.put("user", "u");
        Map<String, Object> settings = new HashMap<>();
        settings.put("replicas", List.of(replica));
        return settings;
    }
}
