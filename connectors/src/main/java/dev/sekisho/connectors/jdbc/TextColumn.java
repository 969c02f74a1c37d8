package dev.sekisho.connectors.jdbc;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * The form a column's raw bytes (MySQL's text protocol) are in, so that a value can pass to the
 * client as those bytes when they are exactly {@code String.valueOf(value)} in UTF-8. Each row's
 * bytes are checked, because a column's declaration does not promise every value's form (a
 * {@code ZEROFILL} integer arrives as {@code 00042}, which is 42); a value that fails the check is
 * built the ordinary way, so the client sees the same bytes either way.
 */
public enum TextColumn
{
    /** An integer read as {@code short}. */
    SMALLINT(Short.MIN_VALUE, Short.MAX_VALUE, 4),
    /** An integer read as {@code int}. */
    INTEGER(Integer.MIN_VALUE, Integer.MAX_VALUE, 9),
    /** An integer read as {@code long}. */
    BIGINT(Long.MIN_VALUE, Long.MAX_VALUE, 18),
    /** A string in UTF-8: ASCII passes (any other text is decoded and encoded again, as before). */
    UTF8_STRING(0, 0, 0);

    private static final byte[] LONG_MAX = Long.toString(Long.MAX_VALUE).getBytes(US_ASCII);
    private static final byte[] LONG_MIN_DIGITS = Long.toString(Long.MIN_VALUE).substring(1).getBytes(US_ASCII);

    private final long min;
    private final long max;
    /** Digits any value of this many or fewer has within range (so only their form is checked). */
    private final int safeDigits;

    TextColumn(long min, long max, int safeDigits)
    {
        this.min = min;
        this.max = max;
        this.safeDigits = safeDigits;
    }

    /** Whether {@code bytes} are exactly the UTF-8 of {@code String.valueOf} of the value they hold. */
    public boolean isExact(byte[] bytes)
    {
        return isExact(bytes, 0, bytes.length);
    }

    /** Whether {@code bytes[from, to)} are exactly the UTF-8 of {@code String.valueOf} of the value they hold. */
    public boolean isExact(byte[] bytes, int from, int to)
    {
        if (this == UTF8_STRING) {
            // no branch per byte: ASCII text, the usual case, is read to its end anyway
            int bits = 0;
            for (int i = from; i < to; i++) {
                bits |= bytes[i];
            }
            return bits >= 0;
        }
        // Long.toString's form: an optional minus, no leading zero, no "-0", no blanks, no plus;
        // and within the range the value is read in, where reading it cannot fail
        boolean negative = to > from && bytes[from] == '-';
        int start = negative ? from + 1 : from;
        int digits = to - start;
        if (digits < 1 || digits > LONG_MAX.length || (bytes[start] == '0' && (digits > 1 || negative))) {
            return false;
        }
        if (digits <= safeDigits) {
            // the usual case: in range whatever the digits, so only that they are digits
            for (int i = start; i < to; i++) {
                if ((bytes[i] - '0' & 0xFF) > 9) {
                    return false;
                }
            }
            return true;
        }
        long magnitude = 0;
        for (int i = start; i < to; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return false;
            }
            magnitude = magnitude * 10 + digit;
        }
        if (digits == LONG_MAX.length) {
            // 19 digits may overflow a long: compare them as text with the limit (same length)
            return this == BIGINT && java.util.Arrays.compare(bytes, start, to, negative ? LONG_MIN_DIGITS : LONG_MAX, 0, LONG_MAX.length) <= 0;
        }
        long value = negative ? -magnitude : magnitude;
        return value >= min && value <= max;
    }
}
