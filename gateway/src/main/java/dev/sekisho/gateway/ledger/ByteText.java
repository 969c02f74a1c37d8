package dev.sekisho.gateway.ledger;

import java.util.Locale;

/** Byte counts as people read them in messages: decimal units, as BigQuery bills. */
public final class ByteText
{
    private static final String[] UNITS = {"bytes", "KB", "MB", "GB", "TB", "PB", "EB"};

    private ByteText() {}

    public static String format(long bytes)
    {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < UNITS.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]) + String.format(Locale.ROOT, " (%,d bytes)", bytes);
    }
}
