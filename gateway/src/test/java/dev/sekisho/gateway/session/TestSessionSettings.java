package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import org.junit.jupiter.api.Test;

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
