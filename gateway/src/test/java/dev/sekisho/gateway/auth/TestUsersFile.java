package dev.sekisho.gateway.auth;

import dev.sekisho.gateway.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestUsersFile
{
    private static final String VERIFIER = ScramVerifier.create("pw".toCharArray()).encoded();

    @Test
    void loadsUsers()
    {
        UsersFile users = UsersFile.load(new StringReader("""
                users:
                  alice:
                    password: "%s"
                    groups: [analysts, staff]
                    attributes: {region: JP, level: 3}
                  bob:
                    password: "%s"
                """.formatted(VERIFIER, VERIFIER)), "users.yaml");
        UserRecord alice = users.lookup("alice").orElseThrow();
        assertThat(alice.principal().groups()).isEqualTo(Set.of("analysts", "staff"));
        assertThat(alice.principal().attributes()).isEqualTo(Map.of("region", "JP", "level", "3"));
        assertThat(alice.verifier().matches("pw".toCharArray())).isTrue();
        assertThat(users.lookup("bob").orElseThrow().principal().groups()).isEmpty();
        assertThat(users.lookup("carol")).isEmpty();
    }

    @Test
    void rejectsPlainPasswordsNamingUserAndLine()
    {
        assertThatThrownBy(() -> UsersFile.load(new StringReader("""
                users:
                  alice:
                    password: "%s"
                  bob:
                    password: hunter2
                """.formatted(VERIFIER)), "users.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("users.yaml:5: users.bob.password: user \"bob\" has a plain password")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void rejectsMalformedVerifiers()
    {
        assertThatThrownBy(() -> UsersFile.load(new StringReader("""
                users:
                  carol:
                    password: "SCRAM-SHA-256$4096:abc$def"
                """), "users.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("users.yaml:3")
                .hasMessageContaining("user \"carol\"");
        assertThatThrownBy(() -> UsersFile.load(new StringReader("""
                users:
                  dave:
                    groups: [x]
                """), "users.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user \"dave\" has no password");
    }
}
