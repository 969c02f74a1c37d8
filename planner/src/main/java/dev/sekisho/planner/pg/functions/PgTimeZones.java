package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Time zone names as PostgreSQL reads them, for {@code SET TimeZone} and {@code AT TIME ZONE}: one
 * reading for both, so a zone the session accepts converts the same way in an expression.
 */
public final class PgTimeZones
{
    /** Zones already read, by the text written: values are read once per row by the timestamptz functions. */
    private static final Map<String, ZoneId> READ = new ConcurrentHashMap<>();

    private PgTimeZones() {}

    /**
     * A zone name (any case), a number of hours east of UTC ({@code SET TIME ZONE 9}), or POSIX-style
     * {@code +09} (positive west of Greenwich, as PostgreSQL reads it); 22023 for anything else.
     */
    public static ZoneId parse(String value)
    {
        ZoneId zone = READ.get(value);
        if (zone == null) {
            zone = read(value);
            if (READ.size() < 1000) {
                READ.put(value, zone);
            }
        }
        return zone;
    }

    private static ZoneId read(String value)
    {
        String text = value.strip();
        if (text.equalsIgnoreCase("utc") || text.equalsIgnoreCase("gmt") || text.equalsIgnoreCase("z") || text.equalsIgnoreCase("zulu")) {
            return ZoneOffset.UTC;
        }
        try {
            if (text.matches("-?\\d{1,2}(\\.\\d+)?")) {
                // SET TIME ZONE 9 / -5: hours east of UTC
                return ZoneOffset.ofTotalSeconds((int) Math.round(Double.parseDouble(text) * 3600));
            }
            if (text.matches("\\+\\d{1,2}(:\\d{2})?")) {
                // POSIX style, as in PostgreSQL: positive west of Greenwich
                String[] parts = text.substring(1).split(":");
                int seconds = Integer.parseInt(parts[0]) * 3600 + (parts.length > 1 ? Integer.parseInt(parts[1]) * 60 : 0);
                return ZoneOffset.ofTotalSeconds(-seconds);
            }
            return ZoneId.of(text);
        }
        catch (DateTimeException | NumberFormatException e) {
            for (String id : ZoneId.getAvailableZoneIds()) {
                if (id.equalsIgnoreCase(text)) {
                    return ZoneId.of(id);
                }
            }
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "time zone \"" + value + "\" not recognized",
                    "Use a time zone name such as 'UTC' or 'Asia/Tokyo'.", null);
        }
    }
}
