package dev.sekisho.it;

import dev.sekisho.gateway.demo.Demo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command: {@code sekisho demo} starts an embedded MariaDB with the sample shop
 * and the gateway with the example policies, and the psql command it prints answers.
 */
class TestDemo
{
    @Test
    void printedPsqlCommandAnswersAndPoliciesApply()
            throws Exception
    {
        try (Demo demo = Demo.start("127.0.0.1", 0, null)) {
            String command = demo.instructions().lines()
                    .map(String::strip)
                    .filter(line -> line.startsWith("PGPASSWORD=alice psql"))
                    .findFirst()
                    .orElseThrow();
            assertThat(command).contains("port=" + demo.pgPort()).contains("select count(*) from shop.customers");

            // every user sees the shop; the example policy lets alice (JP analyst) see only JP customers
            assertThat(count(demo, "admin")).isEqualTo(1000);
            assertThat(count(demo, "bob")).isEqualTo(1000);
            assertThat(count(demo, "alice")).isEqualTo(600);

            Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed (Debian postgresql-client): the printed command is not run");
            Process process = new ProcessBuilder("bash", "-c", command.replace("psql ", "psql -A -t "))
                    .redirectErrorStream(true)
                    .start();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).isEqualTo("600");
        }
    }

    private static long count(Demo demo, String user)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + demo.pgPort() + "/sekisho", user, user);
                Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("select count(*) from shop.customers")) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getLong(1);
        }
    }
}
