package dev.sekisho.gateway.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestScramVerifier
{
    @Test
    void roundTripsThroughItsTextForm()
    {
        ScramVerifier verifier = ScramVerifier.create("correct horse".toCharArray());
        String text = verifier.encoded();
        assertThat(text).matches("SCRAM-SHA-256\\$4096:[A-Za-z0-9+/=]{24}\\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}");
        ScramVerifier parsed = ScramVerifier.parse(text);
        assertThat(parsed).isEqualTo(verifier);
        assertThat(parsed.encoded()).isEqualTo(text);
        assertThat(parsed.matches("correct horse".toCharArray())).isTrue();
        assertThat(parsed.matches("correct horsE".toCharArray())).isFalse();
        assertThat(parsed.toString()).doesNotContain(text.substring(30));
    }

    @Test
    void matchesPostgresqlVerifier()
    {
        // PostgreSQL 15: SET password_encryption = 'scram-sha-256'; the salt is fixed here to compare
        ScramVerifier verifier = ScramVerifier.create("pencil".toCharArray(), "QSXCR+Q6sek8bf92".getBytes(StandardCharsets.US_ASCII), 4096);
        ScramVerifier again = ScramVerifier.parse(verifier.encoded());
        assertThat(again.iterations()).isEqualTo(4096);
        assertThat(again.salt()).isEqualTo("QSXCR+Q6sek8bf92".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void rejectsPasswordsAndMalformedVerifiers()
    {
        assertThatThrownBy(() -> ScramVerifier.parse("hunter2")).isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> ScramVerifier.parse("md5abcdef")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramVerifier.parse("SCRAM-SHA-256$4096:c2FsdA==$c2hvcnQ=:c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScramVerifier.parse("SCRAM-SHA-256$0:c2FsdA==$" + "A".repeat(43) + "=:" + "A".repeat(43) + "="))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
