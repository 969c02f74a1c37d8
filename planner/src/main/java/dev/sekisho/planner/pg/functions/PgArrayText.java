package dev.sekisho.planner.pg.functions;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * PostgreSQL's text form of one-dimensional arrays ({@code array_in} / {@code array_out}), the one
 * codec for it: the wire types, the catalog emulation (which holds arrays as text) and array
 * literals in statements use it.
 * {@code {a,"b c",NULL}}, optionally preceded by bounds such as {@code [0:2]=}. Elements are
 * kept as text; {@code null} stands for SQL NULL.
 */
public final class PgArrayText
{
    private PgArrayText() {}

    /**
     * A parsed one-dimensional array.
     *
     * @param lowerBound the subscript of the first element (1 unless the text says otherwise)
     * @param elements the elements' text, {@code null} for NULL
     */
    public record Parsed(int lowerBound, List<String> elements)
    {
        public Parsed
        {
            requireNonNull(elements, "elements is null");
            elements = Collections.unmodifiableList(new ArrayList<>(elements));
        }

        public boolean hasNulls()
        {
            return elements.contains(null);
        }
    }

    /**
     * Parses the text form of a one-dimensional array.
     *
     * @param typeName the array type's name, for error messages
     * @throws QueryException 22P02 for malformed text, 0A000 for a multidimensional array
     */
    public static Parsed parse(String text, String typeName)
    {
        return new Parser(text, typeName).parse();
    }

    /**
     * Formats the values of an array the local engine computed ({@code ARRAY(SELECT ...)}):
     * booleans as {@code t}/{@code f}, other values by their text, NULL as {@code NULL}.
     */
    public static String formatValues(List<?> values)
    {
        List<String> texts = new ArrayList<>(values.size());
        for (Object value : values) {
            texts.add(value == null ? null : value instanceof Boolean bool ? (bool ? "t" : "f") : value.toString());
        }
        return format(texts);
    }

    /**
     * Checks that an element's text is a value of the named PostgreSQL element type, as the
     * type's input function would (numbers and booleans; other types take any text).
     *
     * @throws QueryException 22P02 for text that is no such value, 22003 for a number out of range
     */
    public static void checkElement(String element, String elementType)
    {
        String type = elementType.toLowerCase(Locale.ROOT);
        String value = element.strip();
        switch (type) {
            case "int2", "smallint" -> checkInteger(value, element, "smallint", Short.MIN_VALUE, Short.MAX_VALUE);
            case "int4", "int", "integer" -> checkInteger(value, element, "integer", Integer.MIN_VALUE, Integer.MAX_VALUE);
            case "int8", "bigint" -> checkInteger(value, element, "bigint", Long.MIN_VALUE, Long.MAX_VALUE);
            case "oid" -> checkInteger(value, element, "oid", 0, 4294967295L);
            case "numeric", "decimal", "float4", "float8", "real" -> {
                if (!value.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?|(?i)[+-]?(nan|infinity|inf)")) {
                    throw invalid(type, element);
                }
            }
            case "bool", "boolean" -> {
                if (!value.toLowerCase(Locale.ROOT).matches("t|tr|tru|true|f|fa|fal|fals|false|y|ye|yes|n|no|on|of|off|1|0")) {
                    throw invalid("boolean", element);
                }
            }
            default -> {
                // text-like types take any element
            }
        }
    }

    private static void checkInteger(String value, String element, String type, long min, long max)
    {
        if (!value.matches("[+-]?\\d+")) {
            throw invalid(type, element);
        }
        java.math.BigInteger number = new java.math.BigInteger(value);
        if (number.compareTo(java.math.BigInteger.valueOf(min)) < 0 || number.compareTo(java.math.BigInteger.valueOf(max)) > 0) {
            throw new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, "value \"" + element + "\" is out of range for type " + type);
        }
    }

    private static QueryException invalid(String type, String element)
    {
        return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "invalid input syntax for type " + type + ": \"" + element + "\"");
    }

    /** Formats elements (their text, {@code null} for NULL) as {@code array_out} does. */
    public static String format(List<String> elements)
    {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < elements.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String element = elements.get(i);
            if (element == null) {
                out.append("NULL");
            }
            else if (needsQuotes(element)) {
                out.append('"');
                for (int j = 0; j < element.length(); j++) {
                    char c = element.charAt(j);
                    if (c == '"' || c == '\\') {
                        out.append('\\');
                    }
                    out.append(c);
                }
                out.append('"');
            }
            else {
                out.append(element);
            }
        }
        return out.append('}').toString();
    }

    private static boolean needsQuotes(String element)
    {
        if (element.isEmpty() || element.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int i = 0; i < element.length(); i++) {
            char c = element.charAt(i);
            if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || isSpace(c)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSpace(char c)
    {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }

    private static final class Parser
    {
        private final String text;
        private final String typeName;
        private int position;

        Parser(String text, String typeName)
        {
            this.text = text;
            this.typeName = typeName;
        }

        Parsed parse()
        {
            skipSpaces();
            int lowerBound = 1;
            Integer upperBound = null;
            if (peek() == '[') {
                position++;
                lowerBound = readBound();
                expect(':');
                upperBound = readBound();
                expect(']');
                skipSpaces();
                if (peek() == '[') {
                    throw multidimensional();
                }
                expect('=');
                skipSpaces();
            }
            expect('{');
            List<String> elements = new ArrayList<>();
            skipSpaces();
            if (peek() == '}') {
                position++;
            }
            else {
                while (true) {
                    skipSpaces();
                    if (peek() == '{') {
                        throw multidimensional();
                    }
                    elements.add(readElement());
                    skipSpaces();
                    char next = peek();
                    position++;
                    if (next == '}') {
                        break;
                    }
                    if (next != ',') {
                        throw malformed("Unexpected array element.");
                    }
                }
            }
            skipSpaces();
            if (position < text.length()) {
                throw malformed("Junk after closing right brace.");
            }
            if (upperBound != null && upperBound - lowerBound + 1 != elements.size()) {
                throw malformed("Specified array dimensions do not match array contents.");
            }
            return new Parsed(lowerBound, elements);
        }

        private String readElement()
        {
            StringBuilder value = new StringBuilder();
            if (peek() == '"') {
                position++;
                while (true) {
                    if (position >= text.length()) {
                        throw malformed("Unexpected end of input.");
                    }
                    char c = text.charAt(position++);
                    if (c == '"') {
                        return value.toString();
                    }
                    if (c == '\\') {
                        if (position >= text.length()) {
                            throw malformed("Unexpected end of input.");
                        }
                        c = text.charAt(position++);
                    }
                    value.append(c);
                }
            }
            boolean escaped = false;
            int keep = 0;
            while (position < text.length()) {
                char c = text.charAt(position);
                if (c == ',' || c == '}') {
                    break;
                }
                if (c == '{' || c == '"') {
                    throw malformed("Unexpected \"" + c + "\" character.");
                }
                position++;
                if (c == '\\') {
                    if (position >= text.length()) {
                        throw malformed("Unexpected end of input.");
                    }
                    value.append(text.charAt(position++));
                    escaped = true;
                    keep = value.length();
                    continue;
                }
                value.append(c);
                if (!isSpace(c)) {
                    keep = value.length();
                }
            }
            // trailing unescaped white space is not part of an unquoted element
            value.setLength(keep);
            if (value.isEmpty()) {
                throw malformed("Unexpected \"" + peek() + "\" character.");
            }
            if (!escaped && value.toString().toUpperCase(Locale.ROOT).equals("NULL")) {
                return null;
            }
            return value.toString();
        }

        private int readBound()
        {
            int start = position;
            if (peek() == '-' || peek() == '+') {
                position++;
            }
            while (position < text.length() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            try {
                return Integer.parseInt(text.substring(start, position));
            }
            catch (NumberFormatException e) {
                throw malformed("Array dimensions are invalid.");
            }
        }

        private char peek()
        {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        private void expect(char c)
        {
            if (peek() != c) {
                throw malformed(c == '{' ? "Array value must start with \"{\" or dimension information." : "Missing \"" + c + "\" after array dimensions.");
            }
            position++;
        }

        private void skipSpaces()
        {
            while (position < text.length() && isSpace(text.charAt(position))) {
                position++;
            }
        }

        private QueryException malformed(String detail)
        {
            String shown = text.length() > 100 ? text.substring(0, 100) + "..." : text;
            return new QueryException(SqlStates.INVALID_TEXT_REPRESENTATION, "malformed array literal: \"" + shown + "\" (" + detail + ")");
        }

        private QueryException multidimensional()
        {
            return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "multidimensional " + typeName + " values are not supported by Sekisho; "
                    + "use a one-dimensional array");
        }
    }
}
