package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSessionSettings
{
    @Test
    void startupParametersBecomeDefaults()
    {
        SessionSettings settings = new SessionSettings("alice", List.of("shop"), Map.of("TimeZone", "Europe/Berlin", "client_encoding", "auto",
                "DateStyle", "ISO", "statement_timeout", "5s"));
        assertThat(settings.reportedValues()).containsEntry("TimeZone", "Europe/Berlin").containsEntry("client_encoding", "UTF8")
                .containsEntry("DateStyle", "ISO, MDY").containsEntry("session_authorization", "alice");
        assertThat(settings.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(settings.show("STATEMENT_TIMEOUT")).contains("5s");
        assertThat(settings.set("timezone", List.of("UTC"))).containsEntry("TimeZone", "UTC");
        assertThat(settings.reset("TIMEZONE")).containsEntry("TimeZone", "Europe/Berlin");
        assertThat(settings.timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void setValidates()
    {
        SessionSettings settings = new SessionSettings("alice", List.of("shop"), Map.of());
        assertThat(settings.set("extra_float_digits", List.of("3"))).isEmpty();
        assertThat(settings.set("application_name", List.of("x"))).containsEntry("application_name", "x");
        assertThatThrownBy(() -> settings.set("client_encoding", List.of("LATIN1"))).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("0A000"));
        assertThatThrownBy(() -> settings.set("server_version", List.of("9"))).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("55P02"));
        assertThatThrownBy(() -> settings.set("TimeZone", List.of("Mars/Base"))).isInstanceOfSatisfying(QueryException.class,
                e -> assertThat(e.sqlState()).isEqualTo("22023"));
        settings.set("TimeZone", List.of("-5"));
        assertThat(settings.timeZone()).isEqualTo(ZoneOffset.ofHours(-5));
        settings.set("TimeZone", List.of("+09"));
        assertThat(settings.timeZone()).isEqualTo(ZoneOffset.ofHours(-9));
        settings.set("custom.thing", List.of("1"));
        assertThat(settings.show("custom.thing")).contains("1");
    }

    @Test
    void timeoutsFollowEveryChangeOfTheirSettings()
    {
        SessionSettings settings = new SessionSettings("alice", List.of("shop"), Map.of("idle_session_timeout", "5s"));
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.statementTimeout()).isZero();
        SessionSettings.Snapshot beforeTransaction = settings.snapshot();
        settings.set("statement_timeout", List.of("2s"));
        settings.set("idle_in_transaction_session_timeout", List.of("1min"));
        assertThat(settings.statementTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(settings.idleInTransactionSessionTimeout()).isEqualTo(Duration.ofMinutes(1));
        // ROLLBACK of the transaction that SET them
        settings.restore(beforeTransaction);
        assertThat(settings.statementTimeout()).isZero();
        assertThat(settings.idleInTransactionSessionTimeout()).isZero();
        // the end of a transaction that SET LOCAL one
        SessionSettings.Snapshot beforeLocal = settings.snapshot();
        settings.set("idle_session_timeout", List.of("3s"));
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ofSeconds(3));
        settings.restore(beforeLocal, "idle_session_timeout");
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ofSeconds(5));
        settings.set("idle_session_timeout", List.of("0"));
        assertThat(settings.idleSessionTimeout()).isZero();
        settings.reset("idle_session_timeout");
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ofSeconds(5));
        settings.set("statement_timeout", List.of("7s"));
        settings.resetAll();
        assertThat(settings.statementTimeout()).isZero();
        assertThat(settings.idleSessionTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void searchPath()
    {
        SessionSettings settings = new SessionSettings("alice", List.of("shop", "public"), Map.of());
        assertThat(settings.searchPath()).containsExactly("shop", "public");
        assertThat(settings.show("search_path")).contains("shop, public");
        settings.set("search_path", List.of("\"$user\"", "sales"));
        assertThat(settings.searchPath()).containsExactly("sales");
        settings.resetAll();
        assertThat(settings.searchPath()).containsExactly("shop", "public");
    }
}
