package dev.sekisho.gateway.session;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values with units as PostgreSQL writes its settings: times in {@code ms}, {@code s}, {@code min},
 * {@code h}, {@code d} (a bare number is milliseconds, as for {@code statement_timeout}), sizes in
 * {@code B}, {@code kB}, {@code MB}, {@code GB}, {@code TB} (powers of 1024; a bare number is bytes).
 * Shared by {@code SET} and {@code sekisho.yaml}, so that both read the same text the same way.
 */
public final class PgUnits
{
    private static final Pattern VALUE = Pattern.compile("\\s*(\\d{1,18})\\s*([A-Za-z]*)\\s*");

    private PgUnits() {}

    /** A time such as {@code 30s}, {@code 5min} or {@code 1500}; empty when the text is not one. */
    public static Optional<Duration> parseDuration(String text)
    {
        Matcher matcher = VALUE.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        try {
            return switch (matcher.group(2)) {
                case "", "ms" -> Optional.of(Duration.ofMillis(amount));
                case "s" -> Optional.of(Duration.ofSeconds(amount));
                case "min" -> Optional.of(Duration.ofMinutes(amount));
                case "h" -> Optional.of(Duration.ofHours(amount));
                case "d" -> Optional.of(Duration.ofDays(amount));
                default -> Optional.empty();
            };
        }
        catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** A size such as {@code 100MB} or {@code 4096}; empty when the text is not one. */
    public static Optional<Long> parseBytes(String text)
    {
        Matcher matcher = VALUE.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(matcher.group(1));
        int shift = switch (matcher.group(2).toUpperCase(Locale.ROOT)) {
            case "", "B" -> 0;
            case "KB" -> 10;
            case "MB" -> 20;
            case "GB" -> 30;
            case "TB" -> 40;
            default -> -1;
        };
        if (shift < 0 || amount > (Long.MAX_VALUE >> shift)) {
            return Optional.empty();
        }
        return Optional.of(amount << shift);
    }

    /** A time as SHOW writes it: in the largest unit that divides it ({@code 30s}, {@code 5min}, {@code 1500ms}), {@code 0} when off. */
    public static String formatDuration(Duration duration)
    {
        long millis = duration.toMillis();
        if (millis == 0) {
            return "0";
        }
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "min";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }

    /** A size as SHOW writes it: in the largest unit that divides it ({@code 100MB}), {@code 0} when off. */
    public static String formatBytes(long bytes)
    {
        if (bytes == 0) {
            return "0";
        }
        String[] units = {"TB", "GB", "MB", "kB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return bytes + "B";
    }
}
