package dev.sekisho.gateway.auth;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import dev.sekisho.policies.Principal;
import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SCRAM exchange as a client drives it, with and without channel binding. */
class TestScramAuthenticator
{
    private static final String PASSWORD = "s3cret";
    private static final byte[] END_POINT = "certificate hash, 32 bytes long!".getBytes(StandardCharsets.US_ASCII);

    private final ScramAuthenticator authenticator = new ScramAuthenticator(UserStore.of(Map.of("alice",
            new UserRecord(new Principal("alice", Set.of(), Map.of()), ScramVerifier.create(PASSWORD.toCharArray())))));

    @Test
    void plusIsOfferedOnlyWithSomethingToBindTo()
    {
        assertThat(authenticator.start("alice").mechanisms()).containsExactly("SCRAM-SHA-256");
        assertThat(authenticator.start("alice", Optional.of(END_POINT)).mechanisms()).containsExactly("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
        assertThatThrownBy(() -> authenticator.start("alice").clientFirst("SCRAM-SHA-256-PLUS", "p=tls-server-end-point,,n=,r=abc"))
                .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.sqlState()).isEqualTo("08P01"))
                .hasMessageContaining("invalid SASL authentication mechanism");
    }

    @Test
    void channelBindingWithTheServersCertificateHash()
    {
        ScramAuthenticator.Exchange exchange = authenticator.start("alice", Optional.of(END_POINT));
        String gs2 = "p=tls-server-end-point,,";
        assertThat(exchange.clientFinal(login(exchange, "SCRAM-SHA-256-PLUS", gs2, concat(gs2, END_POINT)))).startsWith("v=");
        assertThat(exchange.principal().name()).isEqualTo("alice");
    }

    @Test
    void channelBindingWithOtherDataFails()
    {
        // a relay in the middle terminates TLS with its own certificate: the hash the client binds differs
        ScramAuthenticator.Exchange exchange = authenticator.start("alice", Optional.of(END_POINT));
        String gs2 = "p=tls-server-end-point,,";
        String clientFinal = login(exchange, "SCRAM-SHA-256-PLUS", gs2, concat(gs2, "another certificate's hash......".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> exchange.clientFinal(clientFinal)).hasMessage("SCRAM channel binding check failed");
    }

    @Test
    void plainScramStillWorksOverTls()
    {
        ScramAuthenticator.Exchange exchange = authenticator.start("alice", Optional.of(END_POINT));
        assertThat(exchange.clientFinal(login(exchange, "SCRAM-SHA-256", "n,,", "n,,".getBytes(StandardCharsets.US_ASCII)))).startsWith("v=");
    }

    @Test
    void mismatchedAndDowngradedNegotiationsAreRefused()
    {
        // y,,: the client could bind but thinks the server cannot, over a connection where it can
        assertThatThrownBy(() -> authenticator.start("alice", Optional.of(END_POINT)).clientFirst("SCRAM-SHA-256", "y,,n=,r=abc"))
                .hasMessageContaining("channel binding negotiation error");
        // without TLS y,, is what a binding-capable client sends: fine
        assertThat(authenticator.start("alice").clientFirst("SCRAM-SHA-256", "y,,n=,r=abc")).startsWith("r=abc");
        assertThatThrownBy(() -> authenticator.start("alice", Optional.of(END_POINT)).clientFirst("SCRAM-SHA-256-PLUS", "n,,n=,r=abc"))
                .hasMessageContaining("does not include channel binding data");
        assertThatThrownBy(() -> authenticator.start("alice", Optional.of(END_POINT)).clientFirst("SCRAM-SHA-256-PLUS", "p=tls-unique,,n=,r=abc"))
                .hasMessageContaining("unsupported SCRAM channel-binding type \"tls-unique\"");
        assertThatThrownBy(() -> authenticator.start("alice", Optional.of(END_POINT)).clientFirst("SCRAM-SHA-256", "p=tls-server-end-point,,n=,r=abc"))
                .hasMessageContaining("includes channel binding data");
    }

    /** Sends client-first and returns client-final with a correct proof over {@code channelBindingInput}. */
    private static String login(ScramAuthenticator.Exchange exchange, String mechanism, String gs2, byte[] channelBindingInput)
    {
        String clientFirstBare = "n=,r=rOprNGfwEbeRWgbNEkqO";
        String serverFirst = exchange.clientFirst(mechanism, gs2 + clientFirstBare);
        List<String> parts = List.of(serverFirst.split(","));
        String nonce = parts.get(0).substring(2);
        byte[] salt = Base64.getDecoder().decode(parts.get(1).substring(2));
        int iterations = Integer.parseInt(parts.get(2).substring(2));
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        byte[] saltedPassword = ScramFunctions.saltedPassword(sha256, StringPreparation.POSTGRESQL_PREPARATION, PASSWORD.toCharArray(), salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(sha256, saltedPassword);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(channelBindingInput) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] proof = ScramFunctions.clientProof(clientKey, ScramFunctions.clientSignature(sha256, ScramFunctions.storedKey(sha256, clientKey), authMessage));
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    private static byte[] concat(String header, byte[] data)
    {
        byte[] head = header.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + data.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(data, 0, all, head.length, data.length);
        return all;
    }
}
