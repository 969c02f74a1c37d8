package dev.sekisho.gateway.pgwire.types;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import io.netty.buffer.ByteBuf;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * {@code numeric} in PostgreSQL's binary form:
 * {@code int16 ndigits | int16 weight | int16 sign | int16 dscale | int16 digit[ndigits]}, where the
 * digits are base 10000, {@code weight} is the power of 10000 of the first digit, sign is 0x0000
 * (positive), 0x4000 (negative) or 0xC000 (NaN), and {@code dscale} is the number of decimal digits
 * after the point.
 */
final class PgNumerics
{
    private static final int POSITIVE = 0x0000;
    private static final int NEGATIVE = 0x4000;
    private static final int NAN = 0xC000;
    private static final BigInteger TEN_THOUSAND = BigInteger.valueOf(10_000);

    private PgNumerics() {}

    static void write(ByteBuf out, BigDecimal value)
    {
        int dscale = Math.max(0, value.scale());
        String plain = value.abs().setScale(dscale, RoundingMode.UNNECESSARY).toPlainString();
        int point = plain.indexOf('.');
        String integerPart = point < 0 ? plain : plain.substring(0, point);
        String fractionPart = point < 0 ? "" : plain.substring(point + 1);
        if (integerPart.equals("0")) {
            integerPart = "";
        }
        int integerGroups = (integerPart.length() + 3) / 4;
        String padded = "0".repeat(integerGroups * 4 - integerPart.length()) + integerPart
                + fractionPart + "0".repeat((4 - fractionPart.length() % 4) % 4);
        int groups = padded.length() / 4;
        short[] digits = new short[groups];
        for (int i = 0; i < groups; i++) {
            digits[i] = Short.parseShort(padded.substring(i * 4, i * 4 + 4));
        }
        int first = 0;
        while (first < groups && digits[first] == 0) {
            first++;
        }
        int last = groups;
        while (last > first && digits[last - 1] == 0) {
            last--;
        }
        int weight = integerGroups - 1 - first;
        int ndigits = last - first;
        if (ndigits == 0) {
            weight = 0;
        }
        out.writeShort(ndigits);
        out.writeShort(weight);
        out.writeShort(value.signum() < 0 ? NEGATIVE : POSITIVE);
        out.writeShort(dscale);
        for (int i = first; i < last; i++) {
            out.writeShort(digits[i]);
        }
    }

    static BigDecimal read(ByteBuf in, int length)
    {
        if (length < 8) {
            throw new IllegalArgumentException("numeric too short");
        }
        int ndigits = in.readShort();
        int weight = in.readShort();
        int sign = in.readUnsignedShort();
        int dscale = in.readUnsignedShort();
        if (ndigits < 0 || length != 8 + 2 * ndigits) {
            throw new IllegalArgumentException("numeric length mismatch");
        }
        if (sign == NAN || (sign != POSITIVE && sign != NEGATIVE)) {
            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "numeric NaN and infinity are not supported as parameter values");
        }
        BigInteger unscaled = BigInteger.ZERO;
        for (int i = 0; i < ndigits; i++) {
            int digit = in.readShort();
            if (digit < 0 || digit > 9999) {
                throw new IllegalArgumentException("bad numeric digit");
            }
            unscaled = unscaled.multiply(TEN_THOUSAND).add(BigInteger.valueOf(digit));
        }
        BigDecimal value = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - ndigits + 1));
        value = value.setScale(dscale, RoundingMode.DOWN);
        return sign == NEGATIVE ? value.negate() : value;
    }
}
