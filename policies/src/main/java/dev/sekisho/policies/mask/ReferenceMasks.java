package dev.sekisho.policies.mask;

import dev.sekisho.policies.model.Mask;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.HexFormat;

import static java.util.Objects.requireNonNull;

/**
 * The definition of every mask's output, in Java. The planner turns masks into SQL for each
 * source (MySQL, BigQuery) and for the gateway; those translations must give exactly these values,
 * and their tests compare against this class. NULL in gives NULL out (except {@code redact}).
 */
public final class ReferenceMasks
{
    /** What {@code redact} gives for character columns (and {@code email} for the local part). */
    public static final String REDACTED_TEXT = "****";
    /** What {@code redact} gives for numbers. */
    public static final BigDecimal REDACTED_NUMBER = BigDecimal.ZERO;
    /** What {@code redact} gives for dates (and, at midnight, timestamps). */
    public static final LocalDate REDACTED_DATE = LocalDate.of(1970, 1, 1);

    private ReferenceMasks() {}

    /**
     * {@code partial}: keeps the first {@code keepFirst} and last {@code keepLast} characters (Unicode
     * code points) and replaces every other with the mask character, so the length is kept. A value
     * of {@code keepFirst + keepLast} characters or fewer is masked whole.
     */
    public static String partial(String value, Mask.Partial mask)
    {
        if (value == null) {
            return null;
        }
        int[] codePoints = value.codePoints().toArray();
        int length = codePoints.length;
        boolean whole = length <= mask.keepFirst() + mask.keepLast();
        int maskChar = mask.maskChar().codePointAt(0);
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < length; i++) {
            boolean keep = !whole && (i < mask.keepFirst() || i >= length - mask.keepLast());
            out.appendCodePoint(keep ? codePoints[i] : maskChar);
        }
        return out.toString();
    }

    /**
     * {@code email}: {@code ****} followed by the value from its last {@code @} on
     * ({@code alice@example.com} -> {@code ****@example.com}); a value without {@code @} gives
     * {@code ****}.
     */
    public static String email(String value)
    {
        if (value == null) {
            return null;
        }
        int at = value.lastIndexOf('@');
        return at < 0 ? REDACTED_TEXT : REDACTED_TEXT + value.substring(at);
    }

    /**
     * {@code phone}: every ASCII digit except the last four is replaced with {@code *}; everything
     * else (separators, {@code +}, spaces, parentheses) is kept. {@code 090-1234-5678} ->
     * {@code ***-****-5678}. A value with four digits or fewer is unchanged.
     */
    public static String phone(String value)
    {
        if (value == null) {
            return null;
        }
        long digits = value.chars().filter(ReferenceMasks::isDigit).count();
        StringBuilder out = new StringBuilder(value.length());
        long seen = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isDigit(c)) {
                seen++;
                out.append(seen <= digits - 4 ? '*' : c);
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * {@code hash}: lower-case hex SHA-256 of the salt's UTF-8 bytes followed by the value's UTF-8
     * bytes (64 characters). Numbers are hashed as their plain decimal text.
     */
    public static String hash(String salt, String value)
    {
        requireNonNull(salt, "salt is null");
        if (value == null) {
            return null;
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(salt.getBytes(StandardCharsets.UTF_8));
            digest.update(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code year} for dates: January 1 of the same year. */
    public static LocalDate year(LocalDate value)
    {
        return value == null ? null : LocalDate.of(value.getYear(), 1, 1);
    }

    /** {@code year} for timestamps: January 1, 00:00:00 of the same year (no time-zone conversion). */
    public static LocalDateTime year(LocalDateTime value)
    {
        return value == null ? null : LocalDateTime.of(value.getYear(), 1, 1, 0, 0);
    }

    /**
     * {@code round}: the nearest multiple of the step, halves away from zero, computed exactly
     * ({@code round: 100}: 1249.99 -> 1200, 1250 -> 1300, -1250 -> -1300).
     */
    public static BigDecimal round(BigDecimal value, BigDecimal step)
    {
        if (value == null) {
            return null;
        }
        if (step.signum() <= 0) {
            throw new IllegalArgumentException("step must be positive: " + step);
        }
        BigDecimal multiples = value.divide(step, 0, RoundingMode.HALF_UP);
        return multiples.multiply(step);
    }

    private static boolean isDigit(int c)
    {
        return c >= '0' && c <= '9';
    }
}
