package dev.sekisho.planner.catalog;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * How old a warehouse copy of a table is at a given moment: loaded every day at a time of a time
 * zone (its age is the time since that moment last passed), or always a fixed lag behind. Routing
 * compares this age with what a statement accepts ({@link ReplicatedTable#maxStaleness()}).
 *
 * @param dailyAt the local time the copy is loaded every day, or empty for a fixed lag
 * @param zone the time zone of {@code dailyAt}
 * @param lag for a fixed lag, the age; for a daily load, how long the load takes (added to the age)
 */
public record CopyFreshness(Optional<LocalTime> dailyAt, ZoneId zone, Duration lag)
{
    private static final Pattern DAILY = Pattern.compile("daily\\s+(\\d{1,2}:\\d{2})(?:\\s+(\\S+))?", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    public CopyFreshness
    {
        requireNonNull(dailyAt, "dailyAt is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(lag, "lag is null");
        if (lag.isNegative()) {
            throw new IllegalArgumentException("lag must not be negative: " + lag);
        }
    }

    /** A copy that is always {@code lag} behind its table. */
    public static CopyFreshness lag(Duration lag)
    {
        return new CopyFreshness(Optional.empty(), ZoneId.of("UTC"), lag);
    }

    /**
     * {@code daily 03:00 Asia/Tokyo} (zone optional, UTC by default).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static CopyFreshness daily(String text)
    {
        Matcher matcher = DAILY.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a daily load time: write e.g. 'daily 03:00 Asia/Tokyo'");
        }
        try {
            LocalTime at = LocalTime.parse(matcher.group(1).length() == 4 ? "0" + matcher.group(1) : matcher.group(1));
            ZoneId zone = matcher.group(2) == null ? ZoneId.of("UTC") : ZoneId.of(matcher.group(2));
            return new CopyFreshness(Optional.of(at), zone, Duration.ZERO);
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + matcher.group(1) + "' is not a time of day (HH:MM)", e);
        }
        catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + matcher.group(2) + "' is not a time zone (e.g. Asia/Tokyo, UTC)", e);
        }
    }

    /**
     * A duration such as {@code 90s}, {@code 15m}, {@code 26h}, {@code 2d} or {@code 500ms} (a bare
     * number is seconds).
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Duration parseDuration(String text)
    {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write a number with ms, s, m, h or d, e.g. 36h");
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "s" : matcher.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    /** How old the copy is at {@code now}: since the last daily load passed, or the fixed lag. */
    public Duration ageAt(Instant now)
    {
        if (dailyAt.isEmpty()) {
            return lag;
        }
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime load = local.with(dailyAt.get()).withSecond(0).withNano(0);
        if (load.isAfter(local)) {
            load = load.minusDays(1);
        }
        return Duration.between(load.toInstant(), now).plus(lag);
    }

    /** As configured, for EXPLAIN. */
    public String describe()
    {
        return dailyAt.map(at -> "loaded daily " + at + " " + zone.getId()).orElseGet(() -> "a fixed lag of " + format(lag));
    }

    /** A duration as EXPLAIN writes it: {@code 5h 12m}, {@code 40s}. */
    public static String format(Duration duration)
    {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m " + seconds % 60 + "s";
        }
        return seconds / 3600 + "h " + seconds % 3600 / 60 + "m";
    }
}
