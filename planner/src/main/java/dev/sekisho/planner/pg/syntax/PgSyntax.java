package dev.sekisho.planner.pg.syntax;

import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A token-level normaliser that turns PostgreSQL syntax Calcite's Babel parser does not accept into
 * equivalents it does: {@code OPERATOR(pg_catalog.~)} into {@code ~}, schema-qualified function
 * names and casts ({@code pg_catalog.format_type(...)}, {@code ::pg_catalog.text}) into unqualified
 * ones, {@code COLLATE pg_catalog.default} away, {@code E'...'} strings into standard ones,
 * {@code INTERVAL '1 DAY'} into {@code INTERVAL '1' DAY}, array subscripts and slices into
 * {@code pg_subscript}/{@code pg_slice} calls, array type suffixes ({@code ::text[]}) away (arrays are
 * text), and set-returning functions in a FROM list into {@code TABLE(...)}. Comments, strings and
 * quoted identifiers are left alone; statements without such syntax come back unchanged. The tokens
 * are the shared {@link dev.sekisho.policies.sql.SqlLexer}'s.
 */
public final class PgSyntax
{
    private static final Set<String> QUALIFIERS = Set.of("pg_catalog", "information_schema");
    private static final Set<String> TABLE_FUNCTIONS = Set.of("generate_series", "generate_subscripts", "pg_get_keywords", "pg_unnest");
    private static final Set<String> FROM_ENDS = Set.of("where", "group", "order", "having", "limit", "union", "intersect", "except", "select",
            "on", "using", "window", "offset", "fetch");
    private static final Pattern INTERVAL = Pattern.compile("\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*(year|month|week|day|hour|minute|second)s?\\s*",
            Pattern.CASE_INSENSITIVE);

    private static final SqlAbstractParserImpl.Metadata RESERVED = SqlBabelParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();

    private enum Kind { WORD, QUOTED, STRING, NUMBER, SYMBOL, SPACE, COMMENT }

    private record Token(Kind kind, String text)
    {
        boolean is(String word)
        {
            return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equalsIgnoreCase(word);
        }

        String lower()
        {
            return text.toLowerCase(Locale.ROOT);
        }
    }

    private PgSyntax() {}

    public static String normalize(String sql)
    {
        return normalize(SqlStatement.of(sql));
    }

    /** Normalises a lexed statement (its tokens are reused: the text is not lexed again). */
    public static String normalize(SqlStatement statement)
    {
        List<Token> tokens = tokens(statement);
        tokens = operators(tokens);
        tokens = qualifiers(tokens);
        tokens = collations(tokens);
        tokens = intervals(tokens);
        tokens = subscripts(tokens);
        tokens = unnest(tokens);
        tokens = reservedAliases(tokens);
        tokens = tableFunctions(tokens);
        StringBuilder out = new StringBuilder();
        for (Token token : tokens) {
            out.append(token.text());
        }
        return out.toString();
    }

    /**
     * The shared lexer's tokens in this normaliser's terms. {@code E'...'} and dollar-quoted strings
     * become standard strings, which is all Calcite's parser reads.
     */
    private static List<Token> tokens(SqlStatement statement)
    {
        List<Token> tokens = new ArrayList<>(statement.tokens().size());
        for (SqlToken token : statement.tokens()) {
            tokens.add(switch (token.kind()) {
                case WHITESPACE -> new Token(Kind.SPACE, token.text());
                // Calcite's parser does not nest comments as PostgreSQL does: a nested one is blanked, keeping its
                // line breaks so that every position after it stays where it was
                case COMMENT -> new Token(Kind.COMMENT, token.text().indexOf("/*", 2) > 0 ? token.text().replaceAll("[^\\n]", " ") : token.text());
                case WORD -> new Token(Kind.WORD, token.text());
                case QUOTED_IDENTIFIER -> new Token(Kind.QUOTED, token.text());
                case NUMBER -> new Token(Kind.NUMBER, token.text());
                case STRING -> token.isEscapeString() || token.isDollarString()
                        ? new Token(Kind.STRING, "'" + token.value().replace("'", "''") + "'")
                        : new Token(Kind.STRING, token.text());
                case PARAMETER, SYMBOL -> new Token(Kind.SYMBOL, token.text());
            });
        }
        return tokens;
    }

    /** The index of the next token that is not space or comment, at or after {@code i}; size() if none. */
    private static int next(List<Token> tokens, int i)
    {
        while (i < tokens.size() && (tokens.get(i).kind() == Kind.SPACE || tokens.get(i).kind() == Kind.COMMENT)) {
            i++;
        }
        return i;
    }

    private static int previous(List<Token> tokens, int i)
    {
        while (i >= 0 && (tokens.get(i).kind() == Kind.SPACE || tokens.get(i).kind() == Kind.COMMENT)) {
            i--;
        }
        return i;
    }

    private static boolean at(List<Token> tokens, int i, String text)
    {
        return i < tokens.size() && i >= 0 && tokens.get(i).is(text);
    }

    /** {@code OPERATOR(pg_catalog.~)} to {@code ~}. */
    private static List<Token> operators(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is("operator")) {
                int open = next(tokens, i + 1);
                if (at(tokens, open, "(")) {
                    int j = next(tokens, open + 1);
                    if (j < tokens.size() && tokens.get(j).kind() == Kind.WORD && QUALIFIERS.contains(tokens.get(j).lower()) && at(tokens, next(tokens, j + 1), ".")) {
                        j = next(tokens, next(tokens, j + 1) + 1);
                    }
                    int close = next(tokens, j + 1);
                    if (j < tokens.size() && tokens.get(j).kind() == Kind.SYMBOL && at(tokens, close, ")")) {
                        out.add(new Token(Kind.SPACE, " "));
                        out.add(tokens.get(j));
                        out.add(new Token(Kind.SPACE, " "));
                        i = close;
                        continue;
                    }
                }
            }
            out.add(tokens.get(i));
        }
        return out;
    }

    /** {@code pg_catalog.f(} to {@code f(} and {@code ::pg_catalog.t} to {@code ::t}. */
    private static List<Token> qualifiers(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() == Kind.WORD && QUALIFIERS.contains(token.lower())) {
                int dot = next(tokens, i + 1);
                int name = next(tokens, dot + 1);
                if (at(tokens, dot, ".") && name < tokens.size() && (tokens.get(name).kind() == Kind.WORD || tokens.get(name).kind() == Kind.QUOTED)) {
                    int before = previous(tokens, i - 1);
                    // x::pg_catalog.text, CAST(x AS pg_catalog.text) (an alias is never qualified)
                    boolean cast = at(tokens, before, "::") || at(tokens, before, "as");
                    boolean call = at(tokens, next(tokens, name + 1), "(");
                    if (cast || call) {
                        i = name - 1;
                        continue;
                    }
                }
            }
            out.add(token);
        }
        return out;
    }

    /** Drops {@code COLLATE pg_catalog.default} and {@code COLLATE "default"} (the default collation). */
    private static List<Token> collations(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).is("collate")) {
                int j = next(tokens, i + 1);
                if (j < tokens.size() && tokens.get(j).kind() == Kind.WORD && QUALIFIERS.contains(tokens.get(j).lower()) && at(tokens, next(tokens, j + 1), ".")) {
                    j = next(tokens, next(tokens, j + 1) + 1);
                }
                if (j < tokens.size() && (tokens.get(j).is("default") || tokens.get(j).text().equals("\"default\"") || tokens.get(j).text().equals("\"C\""))) {
                    i = j;
                    continue;
                }
            }
            out.add(tokens.get(i));
        }
        return out;
    }

    /** {@code INTERVAL '1 DAY'} to {@code INTERVAL '1' DAY} (weeks as days). */
    private static List<Token> intervals(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            out.add(tokens.get(i));
            if (tokens.get(i).is("interval")) {
                int j = next(tokens, i + 1);
                // a string still open at the end of the text (INTERVAL ') is left as it is, for the parser to reject
                if (j < tokens.size() && tokens.get(j).kind() == Kind.STRING && isClosedPlainString(tokens.get(j).text())) {
                    String text = tokens.get(j).text();
                    Matcher matcher = INTERVAL.matcher(text.substring(1, text.length() - 1));
                    int k = next(tokens, j + 1);
                    boolean hasUnit = k < tokens.size() && tokens.get(k).kind() == Kind.WORD
                            && Set.of("year", "month", "day", "hour", "minute", "second").contains(tokens.get(k).lower());
                    if (matcher.matches() && !hasUnit) {
                        String amount = matcher.group(1);
                        String unit = matcher.group(2).toUpperCase(Locale.ROOT);
                        if (unit.equals("WEEK")) {
                            amount = new java.math.BigDecimal(amount).multiply(java.math.BigDecimal.valueOf(7)).toPlainString();
                            unit = "DAY";
                        }
                        out.add(new Token(Kind.SPACE, " "));
                        out.add(new Token(Kind.STRING, "'" + amount + "'"));
                        out.add(new Token(Kind.SPACE, " "));
                        out.add(new Token(Kind.WORD, unit));
                        i = j;
                    }
                }
            }
        }
        return out;
    }

    private static boolean isClosedPlainString(String text)
    {
        return text.length() >= 2 && text.charAt(0) == '\'' && text.charAt(text.length() - 1) == '\'';
    }

    /** {@code x[i]} to {@code pg_subscript(x, i)}, {@code x[a:b]} to {@code pg_slice(x, a, b)}, {@code ::t[]} to {@code ::t}. */
    private static List<Token> subscripts(List<Token> tokens)
    {
        List<Token> current = tokens;
        for (int round = 0; round < 100; round++) {
            int open = -1;
            for (int i = 0; i < current.size(); i++) {
                if (current.get(i).is("[")) {
                    int before = previous(current, i - 1);
                    if (before >= 0 && current.get(before).is("array")) {
                        continue;
                    }
                    open = i;
                    break;
                }
            }
            if (open < 0) {
                return current;
            }
            int close = matching(current, open, "[", "]");
            if (close < 0) {
                return current;
            }
            List<Token> out = new ArrayList<>(current.subList(0, open));
            if (next(current, open + 1) == close) {
                // an array type suffix: arrays are held as text. After "::" and a one-word type, the
                // array type's own name (_int2 for int2[]) lets the rewriter check an array literal
                int type = previous(current, open - 1);
                int cast = type >= 0 ? previous(current, type - 1) : -1;
                if (cast >= 0 && current.get(cast).is("::") && current.get(type).kind() == Kind.WORD && !current.get(type).text().startsWith("_")) {
                    out.set(type, new Token(Kind.WORD, "_" + current.get(type).text()));
                }
                out.addAll(current.subList(close + 1, current.size()));
                current = out;
                continue;
            }
            int operandEnd = previous(current, open - 1);
            int operandStart = operandStart(current, operandEnd);
            if (operandStart < 0) {
                return current;
            }
            List<Token> operand = new ArrayList<>(current.subList(operandStart, operandEnd + 1));
            List<Token> inside = current.subList(open + 1, close);
            int colon = -1;
            int depth = 0;
            for (int i = 0; i < inside.size(); i++) {
                Token token = inside.get(i);
                if (token.is("(") || token.is("[")) {
                    depth++;
                }
                else if (token.is(")") || token.is("]")) {
                    depth--;
                }
                else if (depth == 0 && token.is(":")) {
                    colon = i;
                }
            }
            out = new ArrayList<>(current.subList(0, operandStart));
            if (colon < 0) {
                out.add(new Token(Kind.WORD, "pg_subscript"));
                out.add(new Token(Kind.SYMBOL, "("));
                out.addAll(operand);
                out.add(new Token(Kind.SYMBOL, ", "));
                out.addAll(integer(inside));
            }
            else {
                out.add(new Token(Kind.WORD, "pg_slice"));
                out.add(new Token(Kind.SYMBOL, "("));
                out.addAll(operand);
                out.add(new Token(Kind.SYMBOL, ", "));
                out.addAll(integer(orNull(inside.subList(0, colon))));
                out.add(new Token(Kind.SYMBOL, ", "));
                out.addAll(integer(orNull(inside.subList(colon + 1, inside.size()))));
            }
            out.add(new Token(Kind.SYMBOL, ")"));
            out.addAll(current.subList(close + 1, current.size()));
            current = out;
        }
        return current;
    }

    /** {@code CAST((expr) AS INTEGER)}: subscripts are integers whatever the expression's type. */
    private static List<Token> integer(List<Token> expression)
    {
        List<Token> out = new ArrayList<>();
        out.add(new Token(Kind.WORD, "CAST"));
        out.add(new Token(Kind.SYMBOL, "(("));
        out.addAll(expression);
        out.add(new Token(Kind.SYMBOL, ") AS INTEGER)"));
        return out;
    }

    private static List<Token> orNull(List<Token> tokens)
    {
        return next(tokens, 0) >= tokens.size() ? List.of(new Token(Kind.WORD, "NULL")) : tokens;
    }

    /** Where the operand ending at {@code end} starts: a dotted name, or a parenthesized expression with its function name. */
    private static int operandStart(List<Token> tokens, int end)
    {
        if (end < 0) {
            return -1;
        }
        Token last = tokens.get(end);
        int start;
        if (last.is(")")) {
            start = matchingBackwards(tokens, end);
            if (start < 0) {
                return -1;
            }
            int before = previous(tokens, start - 1);
            if (before >= 0 && (tokens.get(before).kind() == Kind.WORD || tokens.get(before).kind() == Kind.QUOTED)
                    && !FROM_ENDS.contains(tokens.get(before).lower()) && !Set.of("and", "or", "not", "in", "any", "all", "some", "exists", "when", "then",
                    "else", "case", "is", "like", "between", "as").contains(tokens.get(before).lower())) {
                start = before;
            }
            else {
                return start;
            }
        }
        else if (last.kind() == Kind.WORD || last.kind() == Kind.QUOTED) {
            start = end;
        }
        else {
            return -1;
        }
        // a dotted chain before it
        while (true) {
            int dot = previous(tokens, start - 1);
            if (dot >= 0 && tokens.get(dot).is(".")) {
                int name = previous(tokens, dot - 1);
                if (name >= 0 && (tokens.get(name).kind() == Kind.WORD || tokens.get(name).kind() == Kind.QUOTED)) {
                    start = name;
                    continue;
                }
            }
            return start;
        }
    }

    private static int matching(List<Token> tokens, int open, String opening, String closing)
    {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            if (tokens.get(i).is(opening)) {
                depth++;
            }
            else if (tokens.get(i).is(closing)) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static int matchingBackwards(List<Token> tokens, int close)
    {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            if (tokens.get(i).is(")")) {
                depth++;
            }
            else if (tokens.get(i).is("(")) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    /**
     * {@code expr AS default} to {@code expr AS "default"}: PostgreSQL takes any keyword as a column
     * label after AS, Calcite none of its reserved words. Type names after a CAST's AS are left alone.
     */
    private static List<Token> reservedAliases(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        List<Integer> opens = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("(")) {
                opens.add(i);
            }
            else if (token.is(")") && !opens.isEmpty()) {
                opens.remove(opens.size() - 1);
            }
            out.add(token);
            if (!token.is("as")) {
                continue;
            }
            int label = next(tokens, i + 1);
            if (label >= tokens.size() || tokens.get(label).kind() != Kind.WORD || !RESERVED.isReservedWord(tokens.get(label).text().toUpperCase(Locale.ROOT))) {
                continue;
            }
            if (!opens.isEmpty()) {
                int function = previous(tokens, opens.get(opens.size() - 1) - 1);
                if (function >= 0 && tokens.get(function).kind() == Kind.WORD
                        && Set.of("cast", "try_cast", "safe_cast", "convert", "treat").contains(tokens.get(function).lower())) {
                    continue;
                }
            }
            if (at(tokens, next(tokens, label + 1), "(") || at(tokens, next(tokens, label + 1), ".")) {
                // not a label: a call or a qualified name
                continue;
            }
            out.addAll(tokens.subList(i + 1, label));
            out.add(new Token(Kind.QUOTED, "\"" + tokens.get(label).lower() + "\""));
            i = label;
        }
        return out;
    }

    /** {@code unnest(x)} to {@code pg_unnest(x)}: arrays are text, not the engine's arrays that its own UNNEST reads. */
    private static List<Token> unnest(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("unnest") && at(tokens, next(tokens, i + 1), "(") && !at(tokens, previous(tokens, i - 1), ".")) {
                out.add(new Token(Kind.WORD, "pg_unnest"));
                continue;
            }
            out.add(token);
        }
        return out;
    }

    /** {@code FROM generate_series(1, 3) s(r)} to {@code FROM TABLE(generate_series(1, 3)) s(r)}. */
    private static List<Token> tableFunctions(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        List<Boolean> inFrom = new ArrayList<>();
        inFrom.add(false);
        List<Integer> closeAt = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            int level = inFrom.size() - 1;
            if (token.is("from") || token.is("join")) {
                inFrom.set(level, true);
            }
            else if (token.kind() == Kind.WORD && FROM_ENDS.contains(token.lower())) {
                inFrom.set(level, false);
            }
            if (token.is("(")) {
                inFrom.add(false);
            }
            else if (token.is(")") && inFrom.size() > 1) {
                inFrom.remove(inFrom.size() - 1);
            }
            if (token.kind() == Kind.WORD && TABLE_FUNCTIONS.contains(token.lower()) && inFrom.get(level)) {
                int before = previous(tokens, i - 1);
                int open = next(tokens, i + 1);
                if (before >= 0 && (tokens.get(before).is("from") || tokens.get(before).is(",") || tokens.get(before).is("join")
                        || tokens.get(before).is("lateral")) && at(tokens, open, "(")) {
                    out.add(new Token(Kind.WORD, "TABLE"));
                    out.add(new Token(Kind.SYMBOL, "("));
                    closeAt.add(matching(tokens, open, "(", ")"));
                }
            }
            out.add(token);
            while (closeAt.contains(i)) {
                closeAt.remove(Integer.valueOf(i));
                out.add(new Token(Kind.SYMBOL, ")"));
            }
        }
        return out;
    }
}
