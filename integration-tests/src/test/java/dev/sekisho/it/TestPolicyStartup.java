package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;
import dev.sekisho.gateway.config.ConfigException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A gateway whose policy folder is broken refuses to start, and says which file and line to fix;
 * a working folder starts and is enforced from the first statement.
 */
class TestPolicyStartup
{
    private static TestingGateway testing;

    @TempDir
    Path policyDir;

    @BeforeAll
    static void start()
    {
        testing = TestingGateway.shared();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "broken-syntax, shop.yaml, 7, not valid YAML",
            "broken-mask-column, shop.yaml, 7, e_mail",
            "broken-mask-type, shop.yaml, 9, year",
    })
    void brokenPolicyFolderRefusesToStart(String folder, String file, int line, String word)
            throws IOException
    {
        for (String name : List.of("roles.yaml", "shop.yaml")) {
            if (TestingGateway.class.getClassLoader().getResource("policies/" + folder + "/" + name) != null) {
                TestingGateway.copyResource("policies/" + folder + "/" + name, policyDir.resolve(name));
            }
        }
        String location = policyDir.resolve(file) + ":" + line + ":";
        assertThatThrownBy(() -> testing.startGateway(policyDir, true).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("policies.dir")
                .hasMessageContaining(location)
                .hasMessageContaining(word);
    }

    @Test
    void missingPolicyFolderRefusesToStart()
    {
        Path missing = policyDir.resolve("no-such-folder");
        assertThatThrownBy(() -> testing.startGateway(missing, true).close())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("policies.dir")
                .hasMessageContaining(missing.toString());
    }

    @Test
    void fixedFolderStartsAndIsEnforcedFromTheFirstStatement()
            throws IOException, SQLException
    {
        TestingGateway.copyResource("policies/broken-mask-type/shop.yaml", policyDir.resolve("shop.yaml"));
        assertThatThrownBy(() -> testing.startGateway(policyDir, true).close()).isInstanceOf(ConfigException.class);
        // then fixed: the same folder starts, and the policy holds from the first statement
        Files.writeString(policyDir.resolve("shop.yaml"), """
                roles:
                  analyst: {groups: [analysts]}
                tables:
                  shop.customers:
                    allow: [analyst]
                    columns:
                      email: {mask: email}
                    row_filters:
                      - {where: "region = :user.region"}
                """);
        try (Gateway gateway = testing.startGateway(policyDir, true); Connection alice = TestingGateway.connect(gateway, "alice")) {
            assertThat(rows(alice, "select distinct region from customers")).containsExactly(List.of("JP"));
            assertThat(rows(alice, "select count(*) from customers where email not like '****@%'")).containsExactly(List.of(QueryAssertions.normalize(0L)));
            assertThat(rows(alice, "select count(*) from customers where email like '****@%'").get(0).get(0)).isNotEqualTo(QueryAssertions.normalize(0L));
        }
    }
}
