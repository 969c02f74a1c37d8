package dev.sekisho.gateway.auth;

import dev.sekisho.gateway.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The users file reloaded: a good edit applies whole, a broken one changes nothing, and who must lose their sessions. */
class TestLiveUsers
{
    private static final String ALICE = ScramVerifier.create("alice-pw".toCharArray()).encoded();
    private static final String ALICE_NEW = ScramVerifier.create("alice-new".toCharArray()).encoded();
    private static final String BOB = ScramVerifier.create("bob-pw".toCharArray()).encoded();

    @TempDir
    Path directory;

    private Path write(String content)
            throws IOException
    {
        Path file = directory.resolve("users.yaml");
        Files.writeString(file, content);
        return file;
    }

    private static String users(String alicePassword, String aliceGroups, String bob)
    {
        return """
                users:
                  alice: {password: "%s", groups: [%s]}
                %s
                """.formatted(alicePassword, aliceGroups, bob);
    }

    @Test
    void goodEditAppliesAndSaysWhoseSessionsEnd()
            throws IOException
    {
        Path file = write(users(ALICE, "analysts", "  bob: {password: \"" + BOB + "\"}\n  carol: {password: \"" + BOB + "\"}"));
        LiveUsers live = new LiveUsers(() -> UsersFile.load(file), file.toString());
        List<LiveUsers.Reload> heard = new CopyOnWriteArrayList<>();
        live.addListener(heard::add);

        // alice's password changes (her sessions stay), bob is removed, carol is disabled
        write(users(ALICE_NEW, "analysts", "  carol: {disabled: true}"));
        LiveUsers.Reload reload = live.reload();
        assertThat(reload.applied()).isTrue();
        assertThat(reload.ended()).isEqualTo(Map.of(
                "bob", "user \"bob\" was removed from the users file",
                "carol", "user \"carol\" was disabled in the users file"));
        assertThat(live.lookup("alice").orElseThrow().verifier().matches("alice-new".toCharArray())).isTrue();
        assertThat(live.lookup("bob")).isEmpty();
        assertThat(live.lookup("carol")).isEmpty();
        assertThat(heard).containsExactly(reload);

        // changed groups: her sessions must not keep the old ones
        write(users(ALICE_NEW, "finance", ""));
        assertThat(live.reload().ended()).containsOnlyKeys("alice");
    }

    @Test
    void brokenEditKeepsTheUsersInForce()
            throws IOException
    {
        Path file = write(users(ALICE, "analysts", ""));
        LiveUsers live = new LiveUsers(() -> UsersFile.load(file), file.toString());
        write("users:\n  alice: {password: \"plain-text\"}\n");
        LiveUsers.Reload reload = live.reload();
        assertThat(reload.applied()).isFalse();
        assertThat(reload.ended()).isEmpty();
        ConfigException problem = reload.problem().orElseThrow();
        assertThat(problem.file()).isEqualTo(file.toString());
        assertThat(problem.line()).isEqualTo(2);
        assertThat(problem.key()).isEqualTo("users.alice.password");
        assertThat(problem.getMessage()).doesNotContain("plain-text");
        assertThat(live.lookup("alice").orElseThrow().verifier().matches("alice-pw".toCharArray())).isTrue();
    }

    @Test
    void brokenFileAtStartIsAnError()
            throws IOException
    {
        Path file = write("users: [");
        assertThatThrownBy(() -> new LiveUsers(() -> UsersFile.load(file), file.toString())).isInstanceOf(ConfigException.class);
    }

    @Test
    void watcherReloadsAfterAnEdit()
            throws Exception
    {
        Path file = write(users(ALICE, "analysts", "  bob: {password: \"" + BOB + "\"}"));
        LiveUsers live = new LiveUsers(() -> UsersFile.load(file), file.toString());
        java.util.concurrent.BlockingQueue<LiveUsers.Reload> reloads = new java.util.concurrent.LinkedBlockingQueue<>();
        live.addListener(reloads::add);
        try (UsersFileWatcher ignored = new UsersFileWatcher(live, file, Duration.ofMillis(50), Duration.ofMillis(200)).start()) {
            write(users(ALICE, "analysts", ""));
            LiveUsers.Reload reload = reloads.poll(10, TimeUnit.SECONDS);
            assertThat(reload).isNotNull();
            assertThat(reload.ended()).containsOnlyKeys("bob");
        }
    }

    @Test
    void certificateOnlyUsers()
            throws IOException
    {
        Path file = write("""
                users:
                  dave: {clientcert: verify-full, groups: [ops]}
                  erin: {password: "%s", clientcert: verify-ca}
                """.formatted(BOB));
        UsersFile users = UsersFile.load(file);
        assertThat(users.lookup("dave").orElseThrow().scram()).isEmpty();
        assertThat(users.lookup("dave").orElseThrow().clientCertificate()).isEqualTo(ClientCertificateCheck.VERIFY_FULL);
        assertThat(users.lookup("erin").orElseThrow().clientCertificate()).isEqualTo(ClientCertificateCheck.VERIFY_CA);
        Path broken = write("users:\n  frank: {clientcert: verify-ca}\n");
        assertThatThrownBy(() -> UsersFile.load(broken)).hasMessageContaining("has no password");
        Path typo = write("users:\n  frank: {password: \"" + BOB + "\", clientcert: verify-always}\n");
        assertThatThrownBy(() -> UsersFile.load(typo)).hasMessageContaining("must be verify-ca").hasMessageContaining(":2:");
    }
}
