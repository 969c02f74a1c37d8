package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.SourceConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class TestMySqlConfig
{
    private static final String PASSWORD = "very-secret-password";

    @Test
    public void testDefaults()
    {
        MySqlConfig config = parse(Map.of("replicas", List.of(Map.of("host", "db-replica-1", "user", "sekisho"))));
        assertThat(config.source()).isEqualTo("shop");
        assertThat(config.primary()).isNull();
        assertThat(config.replicas()).containsExactly(new MySqlConfig.Server("db-replica-1:3306", "jdbc:mysql://db-replica-1:3306/", "sekisho", null));
        assertThat(config.databases()).isEmpty();
        assertThat(config.readFromPrimary()).isFalse();
        assertThat(config.properties()).isEmpty();
        assertThat(config.pool()).isEqualTo(new MySqlConfig.Pool(10, 1, 5000));
        assertThat(config.readServers()).extracting(MySqlConfig.Server::name).containsExactly("db-replica-1:3306");
        assertThat(config.primaryReads()).isEqualTo(MySqlConfig.PrimaryReads.NEVER);
        assertThat(config.routing()).isEqualTo(RoutingSettings.DEFAULT);
        assertThat(config.routing().maxLag()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.routing().checkIntervalMillis()).isEqualTo(1000);
        assertThat(config.routing().checkTimeoutMillis()).isEqualTo(3000);
        assertThat(config.routing().downAfter()).isEqualTo(2);
        assertThat(config.routing().upAfter()).isEqualTo(3);
        assertThat(config.replicas().get(0).weight()).isEqualTo(1);
    }

    @Test
    public void testRoutingMapping()
    {
        Map<String, Object> settings = new HashMap<>();
        settings.put("primary", Map.of("host", "db-primary", "user", "sekisho"));
        settings.put("replicas", List.of(Map.of("name", "r1", "host", "db-replica-1", "user", "reader", "weight", 3)));
        settings.put("read_from_primary", "fallback");
        settings.put("routing", Map.of(
                "max_lag", "45s",
                "max_lag_for", Map.of("Shop", "2m", "shop.orders", "5s", "crm.leads", 1500 + "ms"),
                "check_interval_ms", 500,
                "check_timeout_ms", 250,
                "down_after", 1,
                "up_after", 5,
                "heartbeat", Map.of("table", "percona.heartbeat")));
        MySqlConfig config = parse(settings);
        assertThat(config.primaryReads()).isEqualTo(MySqlConfig.PrimaryReads.FALLBACK);
        assertThat(config.readFromPrimary()).isFalse();
        assertThat(config.readServers()).extracting(MySqlConfig.Server::name).containsExactly("r1");
        assertThat(config.servers()).extracting(MySqlConfig.Server::name).containsExactly("r1", "primary (db-primary:3306)");
        assertThat(config.replicas().get(0).weight()).isEqualTo(3);
        assertThat(config.routing()).isEqualTo(new RoutingSettings(Duration.ofSeconds(45),
                Map.of("shop", Duration.ofMinutes(2), "shop.orders", Duration.ofSeconds(5), "crm.leads", Duration.ofMillis(1500)), 500, 250, 1, 5,
                Optional.of(new RoutingSettings.Heartbeat("percona", "heartbeat", "ts"))));
        assertThat(config.routing().heartbeat().orElseThrow().query())
                .isEqualTo("SELECT CAST(MAX(`ts`) AS DATETIME(6)), UTC_TIMESTAMP(6) FROM `percona`.`heartbeat`");
    }

    @Test
    public void testRoutingErrorsNameTheKey()
    {
        Map<String, Object> good = Map.of("host", "h", "user", "u", "password", PASSWORD);
        assertInvalid(Map.of("replicas", List.of(good), "read_from_primary", "fallback"), "read_from_primary", "no primary");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("max_lags", "5s")), "routing.max_lags", "not a routing setting");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("max_lag", "soon")), "routing.max_lag", "5s");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("max_lag", "200ms")), "routing.max_lag", "at least 1s");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("max_lag_for", Map.of("shop.orders.x", "5s"))), "routing.max_lag_for.shop.orders.x",
                "schema (shop) or a table");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("max_lag_for", Map.of("shop", "fast"))), "routing.max_lag_for.shop", "5s");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("max_lag_for", "5s")), "routing.max_lag_for", "mapping");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("check_interval_ms", 10)), "routing.check_interval_ms", "at least 100");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("check_timeout_ms", "x")), "routing.check_timeout_ms", "whole number");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("up_after", 0)), "routing.up_after", "at least 1");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("down_after", 0)), "routing.down_after", "at least 1");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("heartbeat", Map.of("column", "ts"))), "routing.heartbeat.table", "required");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("heartbeat", Map.of("table", "hb"))), "routing.heartbeat.table", "schema.table");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("heartbeat", Map.of("table", "a.b`; DROP", "column", "ts"))), "routing.heartbeat.table",
                "schema.table");
        assertInvalid(Map.of("replicas", List.of(good), "routing", Map.of("heartbeat", Map.of("table", "a.b", "colum", "ts"))), "routing.heartbeat.colum",
                "not a heartbeat setting");
        assertInvalid(Map.of("replicas", List.of(Map.of("host", "h", "user", "u", "weight", 0))), "replicas[0].weight", "at least 1");
    }

    @Test
    public void testFullMapping()
    {
        Map<String, Object> settings = new HashMap<>();
        settings.put("primary", Map.of("host", "db-primary", "port", 3307, "user", "sekisho", "password", PASSWORD));
        settings.put("replicas", List.of(
                Map.of("name", "replica-1", "host", "db-replica-1", "port", "3308", "user", "reader", "password", PASSWORD),
                Map.of("name", "replica-2", "url", "jdbc:mysql://db-replica-2:3309/shop?useCompression=true", "user", "reader")));
        settings.put("databases", List.of("shop", "crm"));
        settings.put("read_from_primary", true);
        settings.put("properties", Map.of("connectTimeout", 2000, "sslMode", "REQUIRED"));
        settings.put("pool", Map.of("max_size", 4, "min_idle", 0, "connection_timeout_ms", 1500));
        MySqlConfig config = parse(settings);

        assertThat(config.primary()).isEqualTo(new MySqlConfig.Server("primary (db-primary:3307)", "jdbc:mysql://db-primary:3307/", "sekisho", PASSWORD));
        assertThat(config.replicas()).containsExactly(
                new MySqlConfig.Server("replica-1", "jdbc:mysql://db-replica-1:3308/", "reader", PASSWORD),
                new MySqlConfig.Server("replica-2", "jdbc:mysql://db-replica-2:3309/shop?useCompression=true", "reader", null));
        assertThat(config.databases()).containsExactly("shop", "crm");
        assertThat(config.readFromPrimary()).isTrue();
        assertThat(config.properties()).isEqualTo(Map.of("connectTimeout", "2000", "sslMode", "REQUIRED"));
        assertThat(config.pool()).isEqualTo(new MySqlConfig.Pool(4, 0, 1500));
        assertThat(config.readServers()).extracting(MySqlConfig.Server::name).containsExactly("replica-1", "replica-2", "primary (db-primary:3307)");
        assertThat(config.toString()).doesNotContain(PASSWORD);
    }

    @Test
    public void testErrorsNameTheKey()
    {
        Map<String, Object> good = Map.of("host", "h", "user", "u", "password", PASSWORD);
        assertInvalid(Map.of(), "replicas", "read_from_primary: true");
        assertInvalid(Map.of("primary", good), "replicas", "no replica");
        assertInvalid(Map.of("replicas", List.of(good), "read_from_primary", true), "read_from_primary", "no primary");
        assertInvalid(Map.of("replicas", List.of(good, Map.of("host", "h2", "port", 70000, "user", "u", "password", PASSWORD))), "replicas[1].port", "65535");
        assertInvalid(Map.of("replicas", List.of(good, Map.of("host", "h2", "port", "abc", "user", "u"))), "replicas[1].port", "whole number");
        assertInvalid(Map.of("replicas", List.of(Map.of("host", "h", "password", PASSWORD))), "replicas[0].user", "required");
        assertInvalid(Map.of("replicas", List.of(Map.of("user", "u"))), "replicas[0].host", "required");
        assertInvalid(Map.of("replicas", List.of(Map.of("url", "jdbc:postgresql://h/db", "user", "u"))), "replicas[0].url", "jdbc:mysql://");
        assertInvalid(Map.of("replicas", List.of(Map.of("url", "jdbc:mysql://u:" + PASSWORD + "@h/db", "user", "u"))), "replicas[0].url", "credentials");
        assertInvalid(Map.of("replicas", List.of(Map.of("url", "jdbc:mysql://h/db", "host", "h", "user", "u"))), "replicas[0].url", "either");
        assertInvalid(Map.of("replicas", List.of("db-1")), "replicas[0]", "mapping");
        assertInvalid(Map.of("replicas", List.of(Map.of("name", "r", "host", "a", "user", "u"), Map.of("name", "r", "host", "b", "user", "u"))), "replicas[1].name", "two servers");
        assertInvalid(Map.of("replicas", List.of(Map.of("host", "h", "user", "u", "pasword", PASSWORD))), "replicas[0].pasword", "not a server setting");
        assertInvalid(Map.of("replicas", List.of(good), "replica", List.of()), "replica", "not a mysql setting");
        assertInvalid(Map.of("replicas", List.of(good), "databases", List.of("shop", 3)), "databases[1]", "database name");
        assertInvalid(Map.of("replicas", List.of(good), "read_from_primary", "maybe"), "read_from_primary", "true or false");
        assertInvalid(Map.of("replicas", List.of(good), "properties", Map.of("password", PASSWORD)), "properties.password", "per server");
        assertInvalid(Map.of("replicas", List.of(good), "pool", Map.of("max_size", 0)), "pool.max_size", "at least 1");
        assertInvalid(Map.of("replicas", List.of(good), "pool", Map.of("min_idle", 20)), "pool.min_idle", "pool.max_size");
        assertInvalid(Map.of("replicas", List.of(good), "pool", Map.of("connection_timeout_ms", 10)), "pool.connection_timeout_ms", "250");
        assertInvalid(Map.of("replicas", good), "replicas", "list");
    }

    private static void assertInvalid(Map<String, Object> settings, String key, String reasonPart)
    {
        assertThatThrownBy(() -> parse(settings))
                .as("%s", settings.keySet())
                .isInstanceOfSatisfying(InvalidConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.reason()).contains(reasonPart);
                    assertThat(e.getMessage()).doesNotContain(PASSWORD);
                });
    }

    private static MySqlConfig parse(Map<String, Object> settings)
    {
        return MySqlConfig.parse(new SourceConfig("shop", "mysql", settings));
    }
}
