package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import org.apache.calcite.avatica.util.ByteString;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * PostgreSQL's {@code encode(bytea, format)} and {@code decode(text, format)} for the formats
 * {@code hex}, {@code base64} and {@code escape}, as Calcite user-defined functions run in the
 * gateway: MySQL's HEX is upper case, its TO_BASE64 wraps lines differently and it has no escape
 * format, so none is pushed down.
 */
@SuppressWarnings({"MethodName", "unused"})
public final class PgBinaryFunctions
{
    /** PostgreSQL's base64 lines: 76 characters, ended by a newline. */
    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(76, new byte[] {'\n'});

    private PgBinaryFunctions() {}

    public static String encode(ByteString data, String format)
    {
        if (data == null || format == null) {
            return null;
        }
        byte[] bytes = data.getBytes();
        return switch (format(format)) {
            case "hex" -> HexFormat.of().formatHex(bytes);
            case "base64" -> BASE64.encodeToString(bytes);
            default -> escape(bytes);
        };
    }

    public static ByteString decode(String text, String format)
    {
        if (text == null || format == null) {
            return null;
        }
        return new ByteString(switch (format(format)) {
            case "hex" -> hex(text);
            case "base64" -> base64(text);
            default -> unescape(text);
        });
    }

    private static String format(String format)
    {
        String name = format.toLowerCase(Locale.ROOT);
        if (!name.equals("hex") && !name.equals("base64") && !name.equals("escape")) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "unrecognized encoding: \"" + format + "\"", "Use hex, base64 or escape.", null);
        }
        return name;
    }

    /** Bytes 0 and 128-255 and the backslash as PostgreSQL's escape format writes them ({@code \000}, {@code \\}). */
    private static String escape(byte[] bytes)
    {
        StringBuilder out = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int value = b & 0xff;
            if (value == '\\') {
                out.append("\\\\");
            }
            else if (value == 0 || value >= 0x80) {
                out.append('\\').append((char) ('0' + (value >> 6))).append((char) ('0' + ((value >> 3) & 7))).append((char) ('0' + (value & 7)));
            }
            else {
                out.append((char) value);
            }
        }
        return out.toString();
    }

    private static byte[] unescape(String text)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                byte[] utf8 = String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(utf8, 0, utf8.length);
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '\\') {
                out.write('\\');
                i++;
            }
            else if (i + 3 < text.length() && isOctal(text.charAt(i + 1), '3') && isOctal(text.charAt(i + 2), '7') && isOctal(text.charAt(i + 3), '7')) {
                out.write(((text.charAt(i + 1) - '0') << 6) | ((text.charAt(i + 2) - '0') << 3) | (text.charAt(i + 3) - '0'));
                i += 3;
            }
            else {
                throw new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type bytea",
                        "Write a backslash as \\\\ and other bytes as \\ and three octal digits.", null);
            }
        }
        return out.toByteArray();
    }

    private static boolean isOctal(char c, char max)
    {
        return c >= '0' && c <= max;
    }

    /** PostgreSQL's hex decoding: pairs of hex digits, white space between pairs ignored. */
    private static byte[] hex(String text)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() / 2);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
                i++;
                continue;
            }
            int high = digit(c);
            if (i + 1 >= text.length()) {
                throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid hexadecimal data: odd number of digits", "Write two hex digits per byte.", null);
            }
            int low = digit(text.charAt(i + 1));
            out.write((high << 4) | low);
            i += 2;
        }
        return out.toByteArray();
    }

    private static int digit(char c)
    {
        int digit = Character.digit(c, 16);
        if (digit < 0 || c > 'f') {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid hexadecimal digit: \"" + c + "\"", "Write the bytes as hex digits 0-9 and a-f.", null);
        }
        return digit;
    }

    private static byte[] base64(String text)
    {
        try {
            return Base64.getMimeDecoder().decode(text.replaceAll("\\s", ""));
        }
        catch (IllegalArgumentException e) {
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid base64 data", "Check the text is base64 (A-Z, a-z, 0-9, +, / and = padding).", e);
        }
    }
}
