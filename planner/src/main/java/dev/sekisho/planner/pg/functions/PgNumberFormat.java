package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * PostgreSQL's {@code to_char(number, format)} for the format elements BI tools write: {@code 9}
 * (a digit, blank when a leading zero), {@code 0} (a digit, zero-padded from there on), {@code .}
 * and {@code D} (the decimal point), {@code ,} and {@code G} (the group separator, blank before the
 * first digit), {@code FM} (no padding, no trailing zeros of {@code 9}s), and the sign as
 * {@code S}, {@code MI}, {@code PL}, {@code SG} or {@code PR}; without one, a minus sign (or a
 * blank) just before the first digit. The C locale's point and comma. A number with more integer
 * digits than the format has becomes {@code #}s, as in PostgreSQL. Other elements raise 0A000
 * rather than print something else.
 */
final class PgNumberFormat
{
    private PgNumberFormat() {}

    static String format(BigDecimal value, String format)
    {
        boolean fillMode = false;
        String pattern = format;
        if (pattern.toUpperCase(Locale.ROOT).startsWith("FM")) {
            fillMode = true;
            pattern = pattern.substring(2);
        }
        String sign = null;
        String upper = pattern.toUpperCase(Locale.ROOT);
        for (String element : new String[] {"MI", "PL", "SG", "PR"}) {
            if (upper.startsWith(element) || upper.endsWith(element)) {
                sign = element + (upper.startsWith(element) ? "<" : ">");
                pattern = upper.startsWith(element) ? pattern.substring(2) : pattern.substring(0, pattern.length() - 2);
                break;
            }
        }
        if (sign == null && (upper.startsWith("S") || upper.endsWith("S"))) {
            sign = upper.startsWith("S") ? "S<" : "S>";
            pattern = upper.startsWith("S") ? pattern.substring(1) : pattern.substring(0, pattern.length() - 1);
        }
        int integerDigits = 0;
        int fractionDigits = 0;
        boolean point = false;
        for (char c : pattern.toCharArray()) {
            switch (Character.toUpperCase(c)) {
                case '9', '0' -> {
                    if (point) {
                        fractionDigits++;
                    }
                    else {
                        integerDigits++;
                    }
                }
                case '.', 'D' -> {
                    if (point) {
                        throw unsupported(format);
                    }
                    point = true;
                }
                case ',', 'G' -> { }
                default -> throw unsupported(format);
            }
        }
        BigDecimal rounded = value.abs().setScale(fractionDigits, RoundingMode.HALF_UP);
        String digits = rounded.toPlainString();
        String integerPart = digits.contains(".") ? digits.substring(0, digits.indexOf('.')) : digits;
        String fractionPart = digits.contains(".") ? digits.substring(digits.indexOf('.') + 1) : "";
        boolean overflow = integerPart.length() > integerDigits && !(integerPart.equals("0"));
        if (integerPart.equals("0")) {
            integerPart = "";
        }
        boolean negative = value.signum() < 0 && rounded.signum() != 0;

        StringBuilder out = new StringBuilder();
        int integerIndex = integerPart.length() - integerDigits;
        int fractionIndex = 0;
        boolean started = false;
        boolean pointSeen = false;
        int lastIntegerPosition = -1;
        for (int i = 0, seen = 0; i < pattern.length(); i++) {
            char c = Character.toUpperCase(pattern.charAt(i));
            if (c == '9' || c == '0') {
                if (!pointSeen) {
                    seen++;
                    if (seen == integerDigits) {
                        lastIntegerPosition = i;
                    }
                }
            }
            else if (c == '.' || c == 'D') {
                pointSeen = true;
            }
        }
        pointSeen = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = Character.toUpperCase(pattern.charAt(i));
            if (overflow) {
                out.append(c == '.' || c == 'D' ? '.' : '#');
                continue;
            }
            if (c == '9' || c == '0') {
                if (!pointSeen) {
                    char digit = integerIndex >= 0 && integerIndex < integerPart.length() ? integerPart.charAt(integerIndex) : '0';
                    boolean significant = integerIndex >= 0 && integerIndex < integerPart.length();
                    integerIndex++;
                    // zero itself prints its last integer digit when there is no fraction to show
                    boolean lastZero = i == lastIntegerPosition && integerPart.isEmpty() && fractionDigits == 0;
                    if (significant || c == '0' || started || lastZero) {
                        if (!started) {
                            out.append('\u0001');
                            started = true;
                        }
                        out.append(digit);
                    }
                    else {
                        out.append(' ');
                    }
                }
                else {
                    if (!started) {
                        out.append('\u0001');
                        started = true;
                    }
                    out.append(fractionIndex < fractionPart.length() ? fractionPart.charAt(fractionIndex) : '0');
                    out.append(c == '9' ? '\u0002' : "");
                    fractionIndex++;
                }
            }
            else if (c == '.' || c == 'D') {
                if (!started) {
                    out.append('\u0001');
                    started = true;
                }
                pointSeen = true;
                out.append('.');
            }
            else {
                out.append(started ? ',' : ' ');
            }
        }
        String body = out.toString();
        if (fillMode) {
            // trailing zeros of 9 positions go, as does the padding
            body = body.replaceAll("(0\u0002)+$", "").replace("\u0002", "").replace(" ", "");
        }
        else {
            body = body.replace("\u0002", "");
        }
        String marker = "\u0001";
        if (!body.contains(marker)) {
            body = marker + body;
        }
        String result;
        if (sign == null) {
            // the width has one more place, for the sign: a minus just before the first digit, else a blank in front
            result = negative ? body.replace(marker, "-") : (fillMode ? "" : " ") + body.replace(marker, "");
        }
        else {
            String element = sign.substring(0, sign.length() - 1);
            boolean before = sign.endsWith("<");
            String unsigned = body.replace(marker, "");
            result = switch (element) {
                case "PR" -> negative ? body.replace(marker, "<") + ">" : fillMode ? unsigned : " " + unsigned + " ";
                case "S" -> before ? body.replace(marker, negative ? "-" : "+") : unsigned + (negative ? "-" : "+");
                default -> {
                    String text = switch (element) {
                        case "MI" -> negative ? "-" : fillMode ? "" : " ";
                        case "PL" -> negative ? " " : "+";
                        default -> negative ? "-" : "+";
                    };
                    yield before ? text + unsigned : unsigned + text;
                }
            };
        }
        return result;
    }

    private static QueryException unsupported(String format)
    {
        return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "to_char format \"" + format + "\" is not supported",
                "Sekisho formats numbers with 9, 0, . or D, , or G, FM, S, MI, PL, SG and PR.", null);
    }
}
