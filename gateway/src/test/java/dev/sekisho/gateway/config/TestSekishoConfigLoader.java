package dev.sekisho.gateway.config;

import dev.sekisho.planner.catalog.CopyFreshness;
import dev.sekisho.planner.catalog.ReplicatedTable;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSekishoConfigLoader
{
    private static final Path FILE = Path.of("conf", "sekisho.yaml");

    @Test
    void defaults()
    {
        SekishoConfig config = SekishoConfigLoader.load("""
                users_file: users.yaml
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """, FILE);
        assertThat(config.listen()).isEqualTo(new SekishoConfig.Listen("127.0.0.1", 5432));
        assertThat(config.usersFile()).isEqualTo(Path.of("conf", "users.yaml").toAbsolutePath());
        assertThat(config.searchPath()).containsExactly("public");
        assertThat(config.policies()).isEmpty();
        assertThat(config.execution()).isEqualTo(SekishoConfig.Execution.defaults());
        assertThat(config.protocol()).isEqualTo(SekishoConfig.Protocol.defaults());
        assertThat(config.sources()).hasSize(1);
    }

    @Test
    void fullMapping()
    {
        SekishoConfig config = SekishoConfigLoader.load("""
                listen:
                  host: 0.0.0.0
                  port: 6432
                users_file: /etc/sekisho/users.yaml
                policies: {dir: policies, hash_salt_env: SHOP_SALT, watch: false}
                search_path: [shop, public]
                execution: {worker_threads: 8, queue_size: 20}
                protocol: {max_message_bytes: 2048, max_connections: 50}
                sources:
                  shop:
                    type: mysql
                    primary: {host: p, port: 3306}
                    replicas:
                      - {name: r1, host: r1, port: 3307}
                    databases: [shop]
                """, FILE);
        assertThat(config.listen()).isEqualTo(new SekishoConfig.Listen("0.0.0.0", 6432));
        assertThat(config.usersFile()).isEqualTo(Path.of("/etc/sekisho/users.yaml"));
        assertThat(config.searchPath()).containsExactly("shop", "public");
        assertThat(config.policies()).contains(new SekishoConfig.Policies(Path.of("conf", "policies").toAbsolutePath(), "SHOP_SALT", false));
        assertThat(config.execution()).isEqualTo(new SekishoConfig.Execution(8, 20));
        assertThat(config.protocol()).isEqualTo(new SekishoConfig.Protocol(2048, 50));
        SekishoConfig.Source source = config.sources().get(0);
        assertThat(source.config().name()).isEqualTo("shop");
        assertThat(source.config().type()).isEqualTo("mysql");
        assertThat(source.config().settings()).containsEntry("primary", Map.of("host", "p", "port", 3306));
        assertThat(source.config().settings()).containsEntry("databases", List.of("shop"));
        assertThat(source.config().settings()).doesNotContainKey("type");
        // connectors report problems by key path; the loader places them on their line
        assertThat(source.lineOf("replicas[0].port")).isEqualTo(14);
        assertThat(source.lineOf("replicas")).isEqualTo(13);
        assertThat(source.lineOf("primary.host")).isEqualTo(12);
        assertThat(source.lineOf("no_such_key")).isEqualTo(10);
    }

    @Test
    void errorsNameFileLineAndKey()
    {
        assertError("""
                users_file: users.yaml
                listen:
                  port: seventy
                sources: {shop: {type: mysql}}
                """, "conf/sekisho.yaml:3: listen.port: must be a whole number from 0 to 65535, got 'seventy'");
        assertError("""
                users_file: users.yaml
                lisen: {port: 1}
                sources: {shop: {type: mysql}}
                """, "conf/sekisho.yaml:2: lisen: is not a known setting (did you mean 'listen'?)");
        assertError("""
                listen: {port: 1}
                sources: {shop: {type: mysql}}
                """, "users_file: is required");
        assertError("""
                users_file: users.yaml
                """, "sources: is required");
        assertError("""
                users_file: users.yaml
                sources:
                  Shop-1: {type: mysql}
                """, "conf/sekisho.yaml:3: sources.Shop-1: source names are lower-case letters");
        assertError("""
                users_file: users.yaml
                sources:
                  shop: {host: x}
                """, "conf/sekisho.yaml:3: sources.shop.type: is required");
        assertError("""
                users_file: users.yaml
                users_file: other.yaml
                sources: {shop: {type: mysql}}
                """, "conf/sekisho.yaml:2: users_file: is given twice in one mapping (first on line 1)");
        assertError("""
                users_file: [a
                """, "conf/sekisho.yaml");
        assertError("""
                users_file: users.yaml
                policies: {watch: true}
                sources: {shop: {type: mysql}}
                """, "conf/sekisho.yaml:2: policies.dir: is required");
        assertError("""
                users_file: users.yaml
                policies:
                  dir: policies
                  watch: sometimes
                sources: {shop: {type: mysql}}
                """, "conf/sekisho.yaml:4: policies.watch: must be true or false, got 'sometimes'");
    }

    @Test
    void tls()
    {
        assertThat(SekishoConfigLoader.load("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                """, FILE).tls()).isEmpty();
        SekishoConfig config = SekishoConfigLoader.load("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                tls:
                  cert_file: tls/server.crt
                  key_file: /etc/sekisho/server.key
                """, FILE);
        assertThat(config.tls()).contains(new SekishoConfig.Tls(Path.of("conf", "tls", "server.crt").toAbsolutePath(),
                Path.of("/etc/sekisho/server.key"), SekishoConfig.TlsMode.OPTIONAL, 3));
        assertThat(SekishoConfigLoader.load("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                tls: {cert_file: a.crt, key_file: a.key, mode: required}
                """, FILE).tls().orElseThrow().mode()).isEqualTo(SekishoConfig.TlsMode.REQUIRED);

        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                tls:
                  cert_file: a.crt
                """, "conf/sekisho.yaml:4: tls.key_file: is required");
        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                tls:
                  cert_file: a.crt
                  key_file: a.key
                  mode: always
                """, "conf/sekisho.yaml:6: tls.mode: must be 'optional' (clients choose) or 'required'");
        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                tls: {cert_file: a.crt, key_file: a.key, ca_file: ca.crt}
                """, "tls.ca_file: is not a known setting");
    }

    @Test
    void adminTlsPlainHttp()
    {
        SekishoConfig refusing = SekishoConfigLoader.load("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                admin: {tls: {cert_file: a.crt, key_file: a.key}}
                """, FILE);
        assertThat(refusing.operations().admin().orElseThrow().tls().orElseThrow().plainHttp()).isEqualTo(OperationsConfig.PlainHttp.REFUSE);
        SekishoConfig redirecting = SekishoConfigLoader.load("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                admin: {tls: {cert_file: a.crt, key_file: a.key, plain_http: redirect}}
                """, FILE);
        assertThat(redirecting.operations().admin().orElseThrow().tls().orElseThrow().plainHttp()).isEqualTo(OperationsConfig.PlainHttp.REDIRECT);
        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                admin:
                  tls:
                    cert_file: a.crt
                    key_file: a.key
                    plain_http: allow
                """, "conf/sekisho.yaml:7: admin.tls.plain_http: must be refuse or redirect, not 'allow'");
    }

    @Test
    void replicatedTablesAndLocalJoinLimit()
    {
        SekishoConfig config = SekishoConfigLoader.load("""
                users_file: users.yaml
                execution: {local_max_rows: 5000}
                sources: {shop: {type: mysql}}
                replicated_tables:
                  shop.orders: {copy: lake.shop_orders, loaded: daily 03:00 Asia/Tokyo, max_staleness: 2d, replica_max_rows: 500}
                  Shop.Customers: {copy: lake.customers, lag: 26h}
                """, FILE);
        assertThat(config.execution().localMaxRows()).isEqualTo(5000);
        assertThat(config.replicatedTables()).containsExactly(
                new ReplicatedTable("shop.orders", "lake.shop_orders", CopyFreshness.daily("daily 03:00 Asia/Tokyo"), Duration.ofDays(2), 500),
                new ReplicatedTable("shop.customers", "lake.customers", CopyFreshness.lag(Duration.ofHours(26)), Duration.ofHours(36),
                        ReplicatedTable.DEFAULT_REPLICA_MAX_ROWS));
        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                replicated_tables:
                  shop.orders: {copy: lake.shop_orders}
                """, "conf/sekisho.yaml:4: replicated_tables.shop.orders: needs exactly one of 'loaded' (e.g. 'daily 03:00 Asia/Tokyo') and 'lag'");
        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                replicated_tables:
                  shop.orders: {copy: lake.shop_orders, loaded: every night}
                """, "replicated_tables.shop.orders.loaded: 'every night' is not a daily load time: write e.g. 'daily 03:00 Asia/Tokyo'");
        assertError("""
                users_file: users.yaml
                sources: {shop: {type: mysql}}
                replicated_tables:
                  orders: {copy: lake.shop_orders, lag: 1d}
                """, "replicated_tables.orders: table must be schema.table: orders");
    }

    @Test
    void ioTransportChoosesNettysTransport()
    {
        String sources = "\nsources:\n  shop: {type: mysql, replicas: [{host: r1}]}\n";
        assertThat(SekishoConfigLoader.load("users_file: users.yaml" + sources, FILE).protocol().ioTransport())
                .isEqualTo(SekishoConfig.IoTransport.AUTO);
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {io_transport: NIO}" + sources, FILE).protocol().ioTransport())
                .isEqualTo(SekishoConfig.IoTransport.NIO);
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {io_transport: epoll}" + sources, FILE).protocol().ioTransport())
                .isEqualTo(SekishoConfig.IoTransport.EPOLL);
        assertError("users_file: users.yaml\nprotocol: {io_transport: kqueue}" + sources,
                "io_transport: must be auto (epoll where it loads, else nio), epoll or nio, not 'kqueue'");
    }

    @Test
    void cacheHitsOnTheEventLoopAreOnUnlessTurnedOff()
    {
        String sources = "\nsources:\n  shop: {type: mysql, replicas: [{host: r1}]}\n";
        assertThat(SekishoConfigLoader.load("users_file: users.yaml" + sources, FILE).protocol().cacheHitsOnEventLoop()).isTrue();
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {cache_hits_on_event_loop: false}" + sources, FILE).protocol()
                .cacheHitsOnEventLoop()).isFalse();
        assertThat(SekishoConfigLoader.load("users_file: users.yaml" + sources, FILE).protocol().statementsOnEventLoop()).isTrue();
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {statements_on_event_loop: false}" + sources, FILE).protocol()
                .statementsOnEventLoop()).isFalse();
    }

    @Test
    void readingAheadIsOnUnlessTurnedOff()
    {
        String sources = "\nsources:\n  shop: {type: mysql, replicas: [{host: r1}]}\n";
        SekishoConfig.Protocol defaults = SekishoConfigLoader.load("users_file: users.yaml" + sources, FILE).protocol();
        assertThat(defaults.readAheadBytes()).isEqualTo(512 * 1024);
        assertThat(defaults.readAheadTotalBytes()).isEqualTo(64L * 1024 * 1024);
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_bytes: 0}" + sources, FILE).protocol().readAheadBytes()).isZero();
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_bytes: 1048576}" + sources, FILE).protocol().readAheadBytes())
                .isEqualTo(1024 * 1024);
        assertThatThrownBy(() -> SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_bytes: -1}" + sources, FILE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("read_ahead_bytes");
        SekishoConfig.Protocol total = SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_total_bytes: 1048576}" + sources, FILE)
                .protocol();
        assertThat(total.readAheadTotalBytes()).isEqualTo(1024 * 1024);
        assertThat(total.readAheadBytes()).isEqualTo(512 * 1024);
        assertThat(SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_total_bytes: 0}" + sources, FILE).protocol().readAheadTotalBytes())
                .isZero();
        assertThatThrownBy(() -> SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_total_bytes: -1}" + sources, FILE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("read_ahead_total_bytes");
        assertThatThrownBy(() -> SekishoConfigLoader.load("users_file: users.yaml\nprotocol: {read_ahead_total_bytes: lots}" + sources, FILE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("read_ahead_total_bytes");
    }

    @Test
    void missingFile()
    {
        assertThatThrownBy(() -> SekishoConfigLoader.load(Path.of("does-not-exist.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("does-not-exist.yaml: file not found");
    }

    @Test
    void avaticaFrontDoor()
    {
        SekishoConfig config = SekishoConfigLoader.load("""
                listen: {host: 0.0.0.0}
                users_file: users.yaml
                tls: {cert_file: server.crt, key_file: server.key}
                avatica: {port: 8443, serialization: json, idle_timeout_seconds: 60, max_frame_rows: 500}
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """, FILE);
        assertThat(config.avatica()).contains(new SekishoConfig.Avatica("0.0.0.0", 8443, true, false, 60, 500, 4));
        SekishoConfig local = SekishoConfigLoader.load("""
                users_file: users.yaml
                avatica: {allow_plain_http: true}
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """, FILE);
        assertThat(local.avatica()).contains(new SekishoConfig.Avatica("127.0.0.1", 8765, false, true, 600, 10_000, 2));
        assertThat(SekishoConfigLoader.load("""
                users_file: users.yaml
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """, FILE).avatica()).isEmpty();
    }

    @Test
    void avaticaWithoutTlsNeedsPlainHttpAllowed()
    {
        assertError("""
                users_file: users.yaml
                avatica: {port: 8765}
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """, "avatica.allow_plain_http: is false and there is no 'tls:' section");
        assertError("""
                users_file: users.yaml
                avatica: {allow_plain_http: true, serialization: xml}
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """, "avatica.serialization: must be 'protobuf' (the driver's default) or 'json', not 'xml'");
    }

    @Test
    void resultCacheLastModifiedCheckHasADefaultAndALowerBound()
    {
        String sources = """
                users_file: users.yaml
                sources:
                  shop: {type: mysql, replicas: [{host: r1}]}
                """;
        assertThat(SekishoConfigLoader.load(sources + "result_cache: {tables: {shop: 5m}}\n", FILE).resultCache().orElseThrow().lastModifiedCheck())
                .isEqualTo(Duration.ofSeconds(10));
        assertThat(SekishoConfigLoader.load(sources + "result_cache: {tables: {shop: 5m}, last_modified_check_ms: 2500}\n", FILE).resultCache().orElseThrow()
                .lastModifiedCheck()).isEqualTo(Duration.ofMillis(2500));
        assertError(sources + "result_cache: {tables: {shop: 5m}, last_modified_check_ms: 10}\n", "last_modified_check_ms");
    }

    private static void assertError(String yaml, String expected)
    {
        assertThatThrownBy(() -> SekishoConfigLoader.load(yaml, FILE))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expected.replace('/', java.io.File.separatorChar));
    }
}
