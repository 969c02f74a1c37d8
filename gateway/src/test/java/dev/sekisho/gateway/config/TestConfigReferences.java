package dev.sekisho.gateway.config;

import dev.sekisho.gateway.execution.Limits;
import dev.sekisho.gateway.session.SessionLimits;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code ${env:NAME}} and {@code ${file:/path}} in sekisho.yaml, their errors, and what the loader warns about. */
class TestConfigReferences
{
    private static final String SECRET = "pa55-Wörd$with{braces}";

    @TempDir
    Path directory;

    private SekishoConfig load(String yaml, Map<String, String> environment)
    {
        return SekishoConfigLoader.load(yaml, directory.resolve("sekisho.yaml"), environment::get);
    }

    private static String source(String password)
    {
        return """
                users_file: users.yaml
                sources:
                  shop:
                    type: mysql
                    replicas:
                      - {host: 127.0.0.1, user: reader, password: %s}
                """.formatted(password);
    }

    @SuppressWarnings("unchecked")
    private static String password(SekishoConfig config)
    {
        List<Map<String, Object>> replicas = (List<Map<String, Object>>) config.sources().get(0).config().settings().get("replicas");
        return (String) replicas.get(0).get("password");
    }

    @Test
    void environmentVariable()
    {
        SekishoConfig config = load(source("\"${env:SHOP_PASSWORD}\""), Map.of("SHOP_PASSWORD", SECRET));
        assertThat(password(config)).isEqualTo(SECRET);
        assertThat(config.warnings()).isEmpty();
        assertThat(config.secrets().redact("login with " + SECRET + " failed")).isEqualTo("login with **** failed");
        assertThat(config.secrets().toString()).doesNotContain(SECRET);
    }

    @Test
    void fileWithoutItsTrailingNewline()
            throws IOException
    {
        Files.createDirectories(directory.resolve("secrets"));
        Files.writeString(directory.resolve("secrets/shop"), SECRET + "\r\n");
        Files.writeString(directory.resolve("absolute"), SECRET + "\n\n");
        assertThat(password(load(source("\"${file:secrets/shop}\""), Map.of()))).isEqualTo(SECRET);
        assertThat(password(load(source("\"${file:" + directory.resolve("absolute") + "}\""), Map.of()))).isEqualTo(SECRET);
    }

    @Test
    void anyStringValueAndNumbersFromTheEnvironment()
    {
        SekishoConfig config = SekishoConfigLoader.load("""
                listen: {host: "${env:HOST}", port: "${env:PORT}"}
                users_file: ${env:USERS}
                policies: {dir: policies, watch: "${env:WATCH}"}
                sources:
                  shop: {type: mysql, replicas: [{host: "${env:HOST}", user: "${env:USER}"}]}
                """, directory.resolve("sekisho.yaml"), Map.of("HOST", "0.0.0.0", "PORT", "6432", "USERS", "/etc/u.yaml", "WATCH", "false", "USER", "r")::get);
        assertThat(config.listen()).isEqualTo(new SekishoConfig.Listen("0.0.0.0", 6432));
        assertThat(config.usersFile()).isEqualTo(Path.of("/etc/u.yaml"));
        assertThat(config.policies().orElseThrow().watch()).isFalse();
    }

    @Test
    void missingVariableNamesFileLineAndKey()
    {
        assertThatThrownBy(() -> load(source("\"${env:NOT_SET}\""), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.file()).endsWith("sekisho.yaml");
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.key()).isEqualTo("sources.shop.replicas[0].password");
                    assertThat(e.reason()).contains("the environment variable NOT_SET is not set");
                });
    }

    @Test
    void unreadableFileNamesFileLineAndKey()
            throws IOException
    {
        assertThatThrownBy(() -> load(source("\"${file:/no/such/secret}\""), Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.key()).isEqualTo("sources.shop.replicas[0].password");
                    assertThat(e.reason()).isEqualTo("cannot read /no/such/secret: no such file");
                });
        Files.createDirectories(directory.resolve("folder"));
        assertThatThrownBy(() -> load(source("\"${file:folder}\""), Map.of())).hasMessageContaining("it is a folder, not a file");
        assertThatThrownBy(() -> load(source("\"${env:}\""), Map.of())).hasMessageContaining("names no environment variable");
    }

    @Test
    void aReferenceMustBeTheWholeValue()
    {
        assertThatThrownBy(() -> load(source("\"prefix-${env:SHOP_PASSWORD}\""), Map.of("SHOP_PASSWORD", SECRET)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.line()).isEqualTo(6);
                    assertThat(e.reason()).contains("must be the whole value");
                });
    }

    @Test
    void aSecretInTheWrongPlaceIsNeverQuoted()
    {
        // a typed read quotes the value it found: never a secret's
        assertThatThrownBy(() -> load("""
                listen: {port: "${env:SHOP_PASSWORD}"}
                """ + source("x").substring(0), Map.of("SHOP_PASSWORD", SECRET)))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).contains("listen.port").contains("****").doesNotContain(SECRET);
                });
        assertThatThrownBy(() -> load(source("x").replace("users_file: users.yaml", "users_file: users.yaml\npolicies: {dir: p, watch: \"${env:S}\"}"),
                Map.of("S", SECRET)))
                .hasMessageContaining("policies.watch").hasMessageNotContaining(SECRET);
    }

    @Test
    void clearTextPasswordsAreWarnedAbout()
    {
        SekishoConfig config = load(source("hunter2"), Map.of());
        assertThat(config.warnings()).hasSize(1);
        ConfigWarning warning = config.warnings().get(0);
        assertThat(warning.line()).isEqualTo(6);
        assertThat(warning.key()).isEqualTo("sources.shop.replicas[0].password");
        assertThat(warning.toString()).contains("is written in clear text").contains("${file:").contains("${env:").doesNotContain("hunter2");
        // an empty password is no secret
        assertThat(load(source("\"\""), Map.of()).warnings()).isEmpty();
    }

    @Test
    void limitsAuthAndClientCertificates()
    {
        SekishoConfig config = load("""
                users_file: users.yaml
                tls: {cert_file: s.crt, key_file: s.key, client_ca: ca.crt, clientcert: verify-full}
                auth:
                  watch_users_file: false
                  failed_logins: {delay: 100ms, max_delay: 5s, lockout_after: 3, window: 10min}
                limits:
                  max_connections_per_user: 5
                  statement_timeout: 30s
                  max_statement_timeout: 1h
                  groups:
                    analysts: {max_connections: 50, max_result_rows: 1000, idle_session_timeout: 10min}
                    interns: {max_result_rows: 100}
                  users:
                    redash: {max_connections: 100, max_result_bytes: 1GB}
                sources:
                  shop: {type: mysql, replicas: [{host: r1, user: u}]}
                """, Map.of());
        assertThat(config.tls().orElseThrow().clientCertificate()).isEqualTo(SekishoConfig.ClientCertificates.VERIFY_FULL);
        assertThat(config.tls().orElseThrow().clientCa()).contains(directory.resolve("ca.crt").toAbsolutePath());
        assertThat(config.auth().watchUsersFile()).isFalse();
        assertThat(config.auth().failedLogins().lockoutAfter()).isEqualTo(3);
        assertThat(config.auth().failedLogins().delay()).isEqualTo(Duration.ofMillis(100));
        Limits limits = config.limits();
        assertThat(limits.maxConnectionsOfUser("alice")).isEqualTo(5);
        assertThat(limits.maxConnectionsOfUser("redash")).isEqualTo(100);
        Principal carol = new Principal("carol", Set.of("analysts", "interns"), Map.of());
        assertThat(limits.connectionLimitedGroups(carol)).isEqualTo(Map.of("analysts", 50));
        // the tightest of the groups that set a value, else the top level
        assertThat(limits.sessionLimits(carol)).isEqualTo(new SessionLimits(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ZERO, 100, 0));
        assertThat(limits.sessionLimits(new Principal("redash", Set.of("analysts"), Map.of())).maxResultBytes()).isEqualTo(1L << 30);

        assertThatThrownBy(() -> load(source("x").replace("users_file: users.yaml", "users_file: users.yaml\nlimits: {statement_timeout: soon}"), Map.of()))
                .hasMessageContaining("limits.statement_timeout").hasMessageContaining("must be a time such as 30s");
        assertThatThrownBy(() -> load(source("x").replace("users_file: users.yaml", "users_file: users.yaml\nlimits: {statement_timeout: 2h, max_statement_timeout: 1h}"),
                Map.of())).hasMessageContaining("must be from 1ms to max_statement_timeout");
        assertThatThrownBy(() -> load(source("x").replace("users_file: users.yaml", "users_file: users.yaml\ntls: {cert_file: a, key_file: b, clientcert: verify-full}"),
                Map.of())).hasMessageContaining("tls.clientcert").hasMessageContaining("needs tls.client_ca");
    }
}
