// Over 600 lines: the token-level passes that run before Calcite's parser, in one order that matters (each added by a fidelity fix); moving each family (casts, intervals, set-returning calls, aggregate ORDER BY) to its own class like PgTokens and PgQueryShapes is due.
package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.pg.functions.PgIntervalFunctions;
import dev.sekisho.planner.pg.syntax.PgTokens.Kind;
import dev.sekisho.planner.pg.syntax.PgTokens.Token;
import dev.sekisho.policies.sql.SqlStatement;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.sekisho.planner.pg.syntax.PgTokens.at;
import static dev.sekisho.planner.pg.syntax.PgTokens.matching;
import static dev.sekisho.planner.pg.syntax.PgTokens.matchingBackwards;
import static dev.sekisho.planner.pg.syntax.PgTokens.next;
import static dev.sekisho.planner.pg.syntax.PgTokens.previous;

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
    private static final Set<String> TABLE_FUNCTIONS = Set.of("generate_series", "generate_subscripts", "pg_get_keywords", "pg_unnest",
            "regexp_matches", "regexp_split_to_table");
    private static final Set<String> FROM_ENDS = Set.of("where", "group", "order", "having", "limit", "union", "intersect", "except", "select",
            "on", "using", "window", "offset", "fetch");
    private static final Pattern INTERVAL = Pattern.compile("\\s*([-+]?\\d+(?:\\.\\d+)?)\\s*(year|month|week|day|hour|minute|second)s?\\s*",
            Pattern.CASE_INSENSITIVE);

    private static final SqlAbstractParserImpl.Metadata RESERVED = SqlBabelParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();

    private PgSyntax() {}

    public static String normalize(String sql)
    {
        return normalize(SqlStatement.of(sql));
    }

    /** Normalises a lexed statement (its tokens are reused: the text is not lexed again). */
    public static String normalize(SqlStatement statement)
    {
        List<Token> tokens = PgTokens.of(statement);
        tokens = operators(tokens);
        tokens = BitwiseOperators.rewrite(tokens);
        tokens = qualifiers(tokens);
        tokens = collations(tokens);
        tokens = intervalCasts(tokens);
        tokens = intervals(tokens);
        tokens = timestampLiterals(tokens);
        tokens = explicitTable(tokens);
        tokens = PgQueryShapes.distinctOn(tokens);
        tokens = whereWithoutFrom(tokens);
        tokens = subscripts(tokens);
        tokens = unnest(tokens);
        tokens = reservedAliases(tokens);
        tokens = tableFunctions(tokens);
        tokens = PgQueryShapes.withOrdinality(tokens);
        tokens = AggregateOrderBy.rewrite(tokens);
        StringBuilder out = new StringBuilder();
        for (Token token : tokens) {
            out.append(token.text());
        }
        return out.toString();
    }

    /** {@code OPERATOR(pg_catalog.~)} to {@code ~}. */
    private static List<Token> operators(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String like = tokens.get(i).kind() == Kind.SYMBOL ? switch (tokens.get(i).text()) {
                // PostgreSQL's operator names of LIKE and ILIKE
                case "~~" -> " LIKE ";
                case "~~*" -> " ILIKE ";
                case "!~~" -> " NOT LIKE ";
                case "!~~*" -> " NOT ILIKE ";
                default -> null;
            } : null;
            if (like != null) {
                out.add(new Token(Kind.WORD, like));
                continue;
            }
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
                    // pg_catalog.pg_index.indkey: a column of a catalog table named with its schema, which the table's own name
                    // reaches (Calcite resolves no schema-qualified column inside a lateral set-returning function)
                    int secondDot = next(tokens, name + 1);
                    int column = next(tokens, secondDot + 1);
                    boolean qualifiedColumn = at(tokens, secondDot, ".") && column < tokens.size()
                            && (tokens.get(column).kind() == Kind.WORD || tokens.get(column).kind() == Kind.QUOTED) && !at(tokens, next(tokens, column + 1), "(");
                    if (cast || call || qualifiedColumn) {
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

    /**
     * Casts to {@code interval}, which Calcite's parser does not take without a qualifier:
     * {@code '30 days'::interval} and {@code CAST('30 days' AS interval)} to {@code INTERVAL '30 days'}
     * (a literal, still pushed down in date arithmetic), {@code (expr)::interval} and
     * {@code CAST(expr AS interval)} to {@code pg_interval(expr)} (PostgreSQL's interval input, in the gateway).
     */
    private static List<Token> intervalCasts(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            int colons = next(tokens, i + 1);
            int type = next(tokens, colons + 1);
            if ((token.kind() == Kind.STRING || token.is(")")) && at(tokens, colons, "::") && at(tokens, type, "interval")
                    && !isIntervalQualifier(tokens, next(tokens, type + 1))) {
                if (token.kind() == Kind.STRING) {
                    out.add(new Token(Kind.WORD, "INTERVAL"));
                    out.add(new Token(Kind.SPACE, " "));
                    out.add(token);
                }
                else {
                    out.add(token);
                    int open = PgTokens.matchingBackwards(out, out.size() - 1);
                    if (open < 0) {
                        continue;
                    }
                    out.add(open, new Token(Kind.WORD, PgIntervalFunctions.INTERVAL));
                }
                i = type;
                continue;
            }
            if (token.is("cast") && at(tokens, next(tokens, i + 1), "(")) {
                int open = next(tokens, i + 1);
                int close = PgTokens.matching(tokens, open, "(", ")");
                int typeName = close < 0 ? -1 : previous(tokens, close - 1);
                int as = typeName < 0 ? -1 : previous(tokens, typeName - 1);
                if (close > 0 && at(tokens, typeName, "interval") && at(tokens, as, "as")) {
                    int first = next(tokens, open + 1);
                    int last = previous(tokens, as - 1);
                    if (first == last && tokens.get(first).kind() == Kind.STRING) {
                        out.add(new Token(Kind.WORD, "INTERVAL "));
                        out.add(tokens.get(first));
                    }
                    else {
                        out.add(new Token(Kind.WORD, PgIntervalFunctions.INTERVAL));
                        out.addAll(tokens.subList(open, as));
                        out.add(new Token(Kind.SYMBOL, ")"));
                    }
                    i = close;
                    continue;
                }
            }
            out.add(token);
        }
        return out;
    }

    private static boolean isIntervalQualifier(List<Token> tokens, int i)
    {
        return i < tokens.size() && tokens.get(i).kind() == Kind.WORD
                && Set.of("year", "month", "day", "hour", "minute", "second").contains(tokens.get(i).lower());
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
                    String multiUnit = hasUnit || matcher.matches() ? null : multiUnitInterval(text.substring(1, text.length() - 1));
                    if (!hasUnit && !matcher.matches() && multiUnit == null) {
                        // fields Calcite's interval literal cannot hold (months with days, negative parts, 30 hours):
                        // PostgreSQL's interval value, computed in the gateway (22007 for text that is no interval)
                        out.remove(out.size() - 1);
                        out.add(new Token(Kind.WORD, PgIntervalFunctions.INTERVAL));
                        out.add(new Token(Kind.SYMBOL, "("));
                        out.add(tokens.get(j));
                        out.add(new Token(Kind.SYMBOL, ")"));
                        i = j;
                        continue;
                    }
                    if (multiUnit != null) {
                        out.add(new Token(Kind.SPACE, " "));
                        out.add(new Token(Kind.STRING, multiUnit.substring(0, multiUnit.lastIndexOf('\'') + 1)));
                        out.add(new Token(Kind.SPACE, " "));
                        out.add(new Token(Kind.WORD, multiUnit.substring(multiUnit.lastIndexOf('\'') + 2)));
                        i = j;
                    }
                    else if (matcher.matches() && !hasUnit) {
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

    /** {@code SELECT 1 WHERE ...} (no FROM, which PostgreSQL allows) to {@code SELECT 1 FROM (VALUES (0)) AS t WHERE ...}. */
    private static List<Token> whereWithoutFrom(List<Token> tokens)
    {
        int first = next(tokens, 0);
        if (!at(tokens, first, "select")) {
            return tokens;
        }
        int depth = 0;
        for (int i = first + 1; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.is("(")) {
                depth++;
            }
            else if (token.is(")")) {
                depth--;
            }
            else if (depth == 0 && (token.is("from") || token.is("union") || token.is("intersect") || token.is("except"))) {
                return tokens;
            }
            else if (depth == 0 && token.is("where")) {
                List<Token> out = new ArrayList<>(tokens.subList(0, i));
                out.add(new Token(Kind.WORD, "FROM (VALUES (0)) AS \"?dual\" "));
                out.addAll(tokens.subList(i, tokens.size()));
                return out;
            }
        }
        return tokens;
    }

    /** {@code TABLE t ...} (a statement of its own) to {@code SELECT * FROM t ...}. */
    private static List<Token> explicitTable(List<Token> tokens)
    {
        int first = next(tokens, 0);
        if (!at(tokens, first, "table")) {
            return tokens;
        }
        List<Token> out = new ArrayList<>(tokens);
        out.set(first, new Token(Kind.WORD, "SELECT * FROM"));
        return out;
    }

    private static final Pattern MINUTES_ONLY = Pattern.compile("'(\\d{4}-\\d{2}-\\d{2}[ T]\\d{1,2}:\\d{2})'");

    /** {@code TIMESTAMP '2024-03-01 12:00'} to {@code TIMESTAMP '2024-03-01 12:00:00'}: PostgreSQL reads the seconds as 0, Calcite needs them. */
    private static List<Token> timestampLiterals(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>(tokens);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).is("timestamp")) {
                int j = next(out, i + 1);
                if (j < out.size() && out.get(j).kind() == Kind.STRING) {
                    Matcher matcher = MINUTES_ONLY.matcher(out.get(j).text());
                    if (matcher.matches()) {
                        out.set(j, new Token(Kind.STRING, "'" + matcher.group(1) + ":00'"));
                    }
                }
            }
        }
        return out;
    }

    private static final Pattern INTERVAL_PART = Pattern.compile("\\s*(\\d+)\\s*(years?|mons?|months?|weeks?|days?|hours?|mins?|minutes?|secs?|seconds?)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final List<String> DAY_TIME_UNITS = List.of("DAY", "HOUR", "MINUTE", "SECOND");

    /**
     * {@code '1 year 2 months'} as {@code '1-2' YEAR TO MONTH} and {@code '1 day 2 hours 30 minutes'}
     * as {@code '1 2:30' DAY TO MINUTE} (the text, a space, then the qualifier), which Calcite reads;
     * null for text that is not several whole units of one kind (months and days do not mix).
     */
    static String multiUnitInterval(String text)
    {
        Matcher part = INTERVAL_PART.matcher(text);
        long[] amounts = new long[6];
        boolean[] present = new boolean[6];
        int end = 0;
        int parts = 0;
        while (part.find() && part.start() == end) {
            String unit = part.group(2).toLowerCase(Locale.ROOT);
            long amount = Long.parseLong(part.group(1));
            int index = unit.startsWith("y") ? 0 : unit.startsWith("mon") ? 1 : unit.startsWith("w") || unit.startsWith("d") ? 2
                    : unit.startsWith("h") ? 3 : unit.startsWith("mi") ? 4 : 5;
            amounts[index] += unit.startsWith("w") ? amount * 7 : amount;
            present[index] = true;
            end = part.end();
            parts++;
        }
        if (parts < 2 || !text.substring(end).isBlank()) {
            return null;
        }
        boolean yearMonth = present[0] || present[1];
        boolean dayTime = present[2] || present[3] || present[4] || present[5];
        if (yearMonth && dayTime) {
            return null;
        }
        if (yearMonth) {
            if (amounts[1] >= 12) {
                return null;
            }
            return "'" + amounts[0] + "-" + amounts[1] + "' YEAR TO MONTH";
        }
        int first = 2;
        while (!present[first]) {
            first++;
        }
        int last = 5;
        while (!present[last]) {
            last--;
        }
        StringBuilder value = new StringBuilder();
        for (int index = first; index <= last; index++) {
            if (index > first && (index == 3 && amounts[index] >= 24 || index > 3 && amounts[index] >= 60)) {
                return null;
            }
            if (index > first) {
                value.append(index == 3 ? " " : ":");
            }
            value.append(amounts[index]);
        }
        return "'" + value + "' " + DAY_TIME_UNITS.get(first - 2) + " TO " + DAY_TIME_UNITS.get(last - 2);
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
                // an ARRAY constructor is a real array, which the engine's own UNNEST reads; the catalog's arrays are text
                boolean array = at(tokens, next(tokens, next(tokens, i + 1) + 1), "array");
                // in a select list the engine's UNNEST is no function: PgSetReturningFunctions joins it laterally
                out.add(new Token(Kind.WORD, !array ? "pg_unnest" : PgTokens.inFromList(tokens, i) ? "UNNEST" : "pg_unnest_array"));
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
