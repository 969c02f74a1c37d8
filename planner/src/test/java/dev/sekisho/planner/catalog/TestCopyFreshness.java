package dev.sekisho.planner.catalog;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestCopyFreshness
{
    @Test
    void dailyLoadIsAsOldAsTheTimeSinceItsLastLoad()
    {
        CopyFreshness tokyo = CopyFreshness.daily("daily 03:00 Asia/Tokyo");
        assertThat(tokyo.dailyAt()).contains(LocalTime.of(3, 0));
        // 03:00 in Tokyo is 18:00 UTC the day before
        assertThat(tokyo.ageAt(Instant.parse("2026-12-05T18:30:00Z"))).isEqualTo(Duration.ofMinutes(30));
        assertThat(tokyo.ageAt(Instant.parse("2026-12-05T17:59:00Z"))).isEqualTo(Duration.ofHours(23).plusMinutes(59));
        assertThat(tokyo.ageAt(Instant.parse("2026-12-05T18:00:00Z"))).isEqualTo(Duration.ZERO);
        assertThat(tokyo.describe()).isEqualTo("loaded daily 03:00 Asia/Tokyo");
        assertThat(CopyFreshness.daily("daily 4:15").ageAt(Instant.parse("2026-12-05T05:15:00Z"))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void fixedLagIsAlwaysThatOld()
    {
        CopyFreshness lag = CopyFreshness.lag(CopyFreshness.parseDuration("26h"));
        assertThat(lag.ageAt(Instant.parse("2026-12-05T18:30:00Z"))).isEqualTo(Duration.ofHours(26));
        assertThat(lag.describe()).isEqualTo("a fixed lag of 26h 0m");
    }

    @Test
    void durations()
    {
        assertThat(CopyFreshness.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(CopyFreshness.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(CopyFreshness.parseDuration("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(CopyFreshness.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(CopyFreshness.format(Duration.ofSeconds(42))).isEqualTo("42s");
        assertThat(CopyFreshness.format(Duration.ofSeconds(125))).isEqualTo("2m 5s");
        assertThat(CopyFreshness.format(Duration.ofMinutes(61))).isEqualTo("1h 1m");
    }

    @Test
    void mistakesSayWhatToWrite()
    {
        assertThatThrownBy(() -> CopyFreshness.daily("every day at 3")).hasMessageContaining("write e.g. 'daily 03:00 Asia/Tokyo'");
        assertThatThrownBy(() -> CopyFreshness.daily("daily 03:00 Mars/Olympus")).hasMessageContaining("is not a time zone");
        assertThatThrownBy(() -> CopyFreshness.daily("daily 25:00")).hasMessageContaining("is not a time of day");
        assertThatThrownBy(() -> CopyFreshness.parseDuration("a day")).hasMessageContaining("write a number with ms, s, m, h or d");
    }
}
