package dev.sekisho.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * sqlline, the JDBC shell (Maven {@code sqlline:sqlline}), connects through the Avatica front door
 * with the URL docs/clients.md gives and runs a query, in a process of its own as an analyst would
 * start it; what it prints is what MariaDB holds, filtered by alice's policy.
 */
class TestSqlline
{
    @Test
    void sqllineConnectsAndRunsAQuery()
            throws SQLException, IOException, InterruptedException
    {
        TestingGateway gateway = TestingGateway.shared();
        String url = TestingGateway.avaticaUrl(gateway.policyGateway()) + ";avatica_user=alice;avatica_password=alice" + TestingGateway.PASSWORD_SUFFIX;
        long japanese;
        try (Connection direct = gateway.connectDirect("shop");
                Statement statement = direct.createStatement();
                ResultSet resultSet = statement.executeQuery("select count(*) from customers where region = 'JP'")) {
            assertThat(resultSet.next()).isTrue();
            japanese = resultSet.getLong(1);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ClientProcess.Result result = ClientProcess.run(List.of(java.toString(), "-cp", System.getProperty("java.class.path"), "sqlline.SqlLine",
                "-u", url, "-n", "alice", "-p", "unused", "--outputformat=csv", "-e", "select count(*) as n, min(region) as r from customers"),
                Map.of(), Duration.ofSeconds(60));
        assertThat(result.exitCode()).as(result.toString()).isZero();
        // row filter: alice (region JP) counts only Japanese customers
        assertThat(result.stdout()).as(result.toString()).contains("'" + japanese + "','JP'");
    }
}
