package dev.sekisho.gateway.config;

import dev.sekisho.connectors.mysql.MySqlConfig;
import dev.sekisho.gateway.auth.UsersFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples docs/configuration.md points at stay valid: sekisho.yaml, its users file and its source. */
class TestExampleConfiguration
{
    @Test
    void examplesLoad()
    {
        Path examples = examples();
        SekishoConfig config = SekishoConfigLoader.load(examples.resolve("sekisho.yaml"));
        assertThat(config.usersFile()).isEqualTo(examples.resolve("users.yaml").toAbsolutePath().normalize());
        assertThat(config.searchPath()).containsExactly("shop");
        assertThat(config.operations().audit()).hasValueSatisfying(audit ->
                assertThat(audit.file()).isEqualTo(examples.resolve("audit/sekisho-audit.jsonl").toAbsolutePath().normalize()));
        assertThat(config.operations().admin()).hasValueSatisfying(admin -> {
            assertThat(admin.port()).isEqualTo(9187);
            assertThat(admin.groups()).containsExactly("admins");
        });

        UsersFile users = UsersFile.load(config.usersFile());
        assertThat(users.lookup("alice")).hasValueSatisfying(user -> {
            assertThat(user.principal().groups()).containsExactly("analysts");
            assertThat(user.principal().attributes()).containsEntry("region", "JP");
            assertThat(user.verifier().matches("alice-example".toCharArray())).isTrue();
        });
        assertThat(users.lookup("redash")).isPresent();
        assertThat(users.lookup("admin")).isPresent();

        assertThat(config.sources()).singleElement().satisfies(source -> {
            MySqlConfig mysql = MySqlConfig.parse(source.config());
            assertThat(mysql.readServers()).extracting(MySqlConfig.Server::name).containsExactly("replica-1", "replica-2");
            assertThat(mysql.databases()).containsExactly("shop");
        });
    }

    private static Path examples()
    {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("examples/sekisho.yaml"))) {
                return dir.resolve("examples");
            }
        }
        throw new IllegalStateException("examples/sekisho.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
