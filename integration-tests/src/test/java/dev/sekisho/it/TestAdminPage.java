package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sekisho.gateway.Gateway;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The admin page in real headless Chromium: it loads with the admin's credentials, shows a
 * session's running statement and the per-team chart (statements per team without team
 * allowances, each team's share of its allowance with them), and its cancel button cancels the
 * statement (the client gets 57014 and keeps its connection).
 */
class TestAdminPage
{
    @Test
    void pageShowsARunningSessionAndTheTeamChartAndCancelsTheStatement()
            throws Exception
    {
        TestingChromium.missing().ifPresent(reason -> System.out.println("TestAdminPage skipped: " + reason));
        assumeTrue(TestingChromium.missing().isEmpty(), TestingChromium.missing().orElse(""));
        TestingGateway testing = TestingGateway.shared();
        Path policyDir = Files.createDirectories(Files.createTempDirectory("sekisho-admin-page").resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        try (Gateway gateway = testing.startGatewayWith("admin: {port: 0}", policyDir);
                Connection alice = TestingGateway.connect(gateway, "alice");
                Connection bob = TestingGateway.connect(gateway, "bob")) {
            for (Connection connection : new Connection[] {alice, bob}) {
                try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery("SELECT count(*) FROM shop.orders")) {
                    rs.next();
                }
            }
            CompletableFuture<Throwable> sleeping = CompletableFuture.supplyAsync(() -> {
                try (Statement statement = alice.createStatement()) {
                    statement.executeQuery("SELECT pg_sleep(60)").close();
                    return null;
                }
                catch (SQLException e) {
                    return e;
                }
            });
            try (TestingChromium chromium = new TestingChromium()) {
                chromium.setExtraHeaders(Map.of("Authorization", TestAdminEndpoint.basic("admin", "admin" + TestingGateway.PASSWORD_SUFFIX)));
                chromium.navigate("http://127.0.0.1:" + gateway.adminPort().orElseThrow() + "/");

                JsonNode statement = chromium.await("document.body?.dataset.loaded === 'true' ? (document.querySelector("
                        + "'#sessions tr[data-state=active] td.statement')?.textContent ?? '') : ''",
                        value -> value.asText().contains("pg_sleep"), Duration.ofSeconds(60));
                assertThat(statement.asText()).contains("SELECT pg_sleep(60)");

                JsonNode teams = chromium.await("document.querySelector('#budget-chart canvas') ? document.getElementById('budget-chart').dataset.teams : ''",
                        value -> value.asText().contains("analysts"), Duration.ofSeconds(30));
                assertThat(teams.asText().split(",")).contains("analysts", "finance");
                assertThat(chromium.evaluate("document.getElementById('budget-note').textContent").asText()).contains("not configured");
                assertThat(chromium.evaluate("document.querySelector('#budget-chart canvas').width > 0").asBoolean()).isTrue();

                chromium.evaluate("document.querySelector('#sessions tr[data-state=active] button.cancel').click()");
                Throwable failure = sleeping.get(30, TimeUnit.SECONDS);
                assertThat(failure).as(chromium.log()).isInstanceOf(SQLException.class);
                assertThat(((SQLException) failure).getSQLState()).isEqualTo("57014");
            }
            try (Statement statement = alice.createStatement(); ResultSet rs = statement.executeQuery("SELECT 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void withTeamAllowancesTheChartShowsEachTeamsShareOfItsAllowance()
            throws Exception
    {
        assumeTrue(TestingChromium.missing().isEmpty(), TestingChromium.missing().orElse(""));
        TestingGateway testing = TestingGateway.shared();
        Path policyDir = Files.createDirectories(Files.createTempDirectory("sekisho-admin-page-budgets").resolve("policies"));
        TestingGateway.copyResource("demo/policies/shop.yaml", policyDir.resolve("shop.yaml"));
        String demo = Files.readString(policyDir.resolve("shop.yaml"));
        assertThat(demo).contains("budgets:\n");
        Files.writeString(policyDir.resolve("shop.yaml"), demo.replace("budgets:\n", """
                budgets:
                  teams:
                    analysts: {bytes_per_day: 1000000000}
                    finance: {bytes_per_day: 2000000000, bytes_per_month: 9000000000}
                """));
        try (Gateway gateway = testing.startGatewayWith("admin: {port: 0}", policyDir);
                TestingChromium chromium = new TestingChromium()) {
            chromium.setExtraHeaders(Map.of("Authorization", TestAdminEndpoint.basic("admin", "admin" + TestingGateway.PASSWORD_SUFFIX)));
            chromium.navigate("http://127.0.0.1:" + gateway.adminPort().orElseThrow() + "/");
            JsonNode mode = chromium.await("document.querySelector('#budget-chart canvas') ? (document.getElementById('budget-chart').dataset.mode ?? '') : ''",
                    value -> !value.asText().isEmpty(), Duration.ofSeconds(30));
            assertThat(mode.asText()).isEqualTo("budget");
            assertThat(chromium.evaluate("document.getElementById('budget-chart').dataset.teams").asText()).isEqualTo("analysts,finance");
            // MySQL bills no bytes: nothing of either allowance is used yet
            assertThat(chromium.evaluate("document.getElementById('budget-chart').dataset.used").asText()).isEqualTo("0.0,0.0");
            assertThat(chromium.evaluate("document.getElementById('budget-note').textContent").asText()).isEmpty();
            assertThat(chromium.evaluate("document.querySelector('#budget-chart canvas').width > 0").asBoolean()).isTrue();
        }
    }
}
