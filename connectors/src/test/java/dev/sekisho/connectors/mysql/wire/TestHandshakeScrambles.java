package dev.sekisho.connectors.mysql.wire;

import com.mysql.cj.protocol.Security;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password scrambles are Connector/J's own: {@code mysql_native_password} is also shown by
 * MariaDB (TestMySqlNonBlocking logs in with it), but {@code caching_sha2_password} is MySQL's only,
 * so both are compared here with Connector/J's {@link Security} over many passwords and seeds.
 */
public class TestHandshakeScrambles
{
    @Test
    public void testScramblesAreConnectorJs()
            throws Exception
    {
        Random random = new Random(13);
        for (int i = 0; i < 200; i++) {
            byte[] seed = new byte[20];
            random.nextBytes(seed);
            String password = randomPassword(random, 1 + random.nextInt(40));
            byte[] secret = password.getBytes(StandardCharsets.UTF_8);
            assertThat(Handshake.scramble(Handshake.NATIVE_PASSWORD, password, seed)).as(password).isEqualTo(Security.scramble411(secret, seed));
            assertThat(Handshake.scramble(Handshake.CACHING_SHA2_PASSWORD, password, seed)).as(password)
                    .isEqualTo(Security.scrambleCachingSha2(secret, seed));
        }
    }

    @Test
    public void testNoPasswordSendsNothing()
    {
        assertThat(Handshake.scramble(Handshake.NATIVE_PASSWORD, "", new byte[20])).isEmpty();
        assertThat(Handshake.scramble(Handshake.CACHING_SHA2_PASSWORD, null, new byte[20])).isEmpty();
    }

    private static String randomPassword(Random random, int length)
    {
        String alphabet = "abcXYZ019!#'\\ é日本😀";
        StringBuilder password = new StringBuilder();
        while (password.codePointCount(0, password.length()) < length) {
            int index = random.nextInt(alphabet.codePointCount(0, alphabet.length()));
            password.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0, index)));
        }
        return password.toString();
    }
}
