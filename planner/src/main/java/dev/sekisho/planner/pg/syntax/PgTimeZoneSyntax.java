package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.pg.syntax.PgTokens.Kind;
import dev.sekisho.planner.pg.syntax.PgTokens.Token;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.babel.SqlBabelParserImpl;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static dev.sekisho.planner.pg.syntax.PgTokens.at;
import static dev.sekisho.planner.pg.syntax.PgTokens.matchingBackwards;
import static dev.sekisho.planner.pg.syntax.PgTokens.next;
import static dev.sekisho.planner.pg.syntax.PgTokens.previous;

/**
 * PostgreSQL's time zone syntax that Calcite's parser lacks: {@code TIMESTAMPTZ 'text'} and
 * {@code TIMESTAMP WITH TIME ZONE 'text'} as {@code CAST('text' AS timestamptz)}, and
 * {@code x AT TIME ZONE zone} as PostgreSQL's own spelling of it, {@code timezone(zone, x)}
 * (which also names the result column {@code timezone}, as PostgreSQL does). {@code AT TIME ZONE}
 * binds tighter than every operator but {@code ::}, so its left operand is the primary written
 * right before it: a name, a literal (typed or not), a call or a parenthesized expression, with its
 * {@code ::} casts.
 */
final class PgTimeZoneSyntax
{
    private static final SqlAbstractParserImpl.Metadata RESERVED = SqlBabelParserImpl.FACTORY.getParser(new StringReader("")).getMetadata();
    private static final Set<String> LITERAL_TYPES = Set.of("timestamp", "timestamptz", "date", "time", "interval");

    private PgTimeZoneSyntax() {}

    static List<Token> rewrite(List<Token> tokens)
    {
        List<Token> out = zonedLiterals(tokens);
        for (int guard = 0; guard < 100; guard++) {
            List<Token> next = firstAtTimeZone(out);
            if (next == null) {
                return out;
            }
            out = next;
        }
        return out;
    }

    /** {@code TIMESTAMPTZ '...'} and {@code TIMESTAMP WITH TIME ZONE '...'} to {@code CAST('...' AS timestamptz)}. */
    private static List<Token> zonedLiterals(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            int literal = -1;
            if (tokens.get(i).is("timestamptz")) {
                literal = next(tokens, i + 1);
            }
            else if (tokens.get(i).is("timestamp")) {
                int with = next(tokens, i + 1);
                int time = next(tokens, with + 1);
                int zone = next(tokens, time + 1);
                if (at(tokens, with, "with") && at(tokens, time, "time") && at(tokens, zone, "zone")) {
                    literal = next(tokens, zone + 1);
                }
            }
            boolean cast = at(tokens, previous(tokens, i - 1), "::") || at(tokens, previous(tokens, i - 1), "as");
            if (literal >= 0 && literal < tokens.size() && tokens.get(literal).kind() == Kind.STRING && !cast) {
                out.add(new Token(Kind.WORD, "CAST"));
                out.add(new Token(Kind.SYMBOL, "("));
                out.add(tokens.get(literal));
                out.add(new Token(Kind.WORD, " AS timestamptz"));
                out.add(new Token(Kind.SYMBOL, ")"));
                i = literal;
                continue;
            }
            out.add(tokens.get(i));
        }
        return out;
    }

    /** The statement with its first {@code x AT TIME ZONE zone} as {@code timezone(zone, x)}; null when it has none (or none this reads). */
    private static List<Token> firstAtTimeZone(List<Token> tokens)
    {
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).is("at")) {
                continue;
            }
            int time = next(tokens, i + 1);
            int zone = next(tokens, time + 1);
            if (!at(tokens, time, "time") || !at(tokens, zone, "zone")) {
                continue;
            }
            int zoneStart = next(tokens, zone + 1);
            int zoneEnd = zoneStart < tokens.size() && tokens.get(zoneStart).kind() == Kind.STRING ? zoneStart : name(tokens, zoneStart);
            if (zoneEnd >= 0 && zoneStart < tokens.size() && tokens.get(zoneStart).kind() != Kind.STRING && at(tokens, next(tokens, zoneEnd + 1), "(")) {
                // a call: AT TIME ZONE current_setting('TimeZone')
                zoneEnd = PgTokens.matching(tokens, next(tokens, zoneEnd + 1), "(", ")");
            }
            int end = previous(tokens, i - 1);
            int start = operandStart(tokens, end);
            if (zoneEnd < 0 || start < 0) {
                return null;
            }
            List<Token> out = new ArrayList<>(tokens.subList(0, start));
            out.add(new Token(Kind.WORD, "timezone"));
            out.add(new Token(Kind.SYMBOL, "("));
            out.addAll(tokens.subList(zoneStart, zoneEnd + 1));
            out.add(new Token(Kind.SYMBOL, ","));
            out.add(new Token(Kind.SPACE, " "));
            out.addAll(tokens.subList(start, end + 1));
            out.add(new Token(Kind.SYMBOL, ")"));
            out.addAll(tokens.subList(zoneEnd + 1, tokens.size()));
            return out;
        }
        return null;
    }

    /** The last token of a (possibly qualified) name starting at {@code start}, or -1. */
    private static int name(List<Token> tokens, int start)
    {
        if (start >= tokens.size() || !isName(tokens.get(start))) {
            return -1;
        }
        int end = start;
        while (at(tokens, next(tokens, end + 1), ".") && next(tokens, next(tokens, end + 1) + 1) < tokens.size()
                && isName(tokens.get(next(tokens, next(tokens, end + 1) + 1)))) {
            end = next(tokens, next(tokens, end + 1) + 1);
        }
        return end;
    }

    /** The first token of the primary (with its {@code ::} casts) that ends at {@code end}, or -1. */
    private static int operandStart(List<Token> tokens, int end)
    {
        int start = primaryStart(tokens, end);
        while (start >= 0 && at(tokens, previous(tokens, start - 1), "::")) {
            start = primaryStart(tokens, previous(tokens, previous(tokens, start - 1) - 1));
        }
        return start;
    }

    private static int primaryStart(List<Token> tokens, int end)
    {
        if (end < 0) {
            return -1;
        }
        Token last = tokens.get(end);
        if (last.is(")")) {
            int open = matchingBackwards(tokens, end);
            if (open < 0) {
                return -1;
            }
            int function = previous(tokens, open - 1);
            if (function >= 0 && isName(tokens.get(function))) {
                return qualifiedStart(tokens, function);
            }
            return open;
        }
        if (last.kind() == Kind.STRING) {
            int type = previous(tokens, end - 1);
            return type >= 0 && tokens.get(type).kind() == Kind.WORD && LITERAL_TYPES.contains(tokens.get(type).lower()) ? type : end;
        }
        if (last.kind() == Kind.NUMBER) {
            return end;
        }
        if (isName(last)) {
            return qualifiedStart(tokens, end);
        }
        return -1;
    }

    private static int qualifiedStart(List<Token> tokens, int end)
    {
        int start = end;
        while (at(tokens, previous(tokens, start - 1), ".") && previous(tokens, previous(tokens, start - 1) - 1) >= 0
                && isName(tokens.get(previous(tokens, previous(tokens, start - 1) - 1)))) {
            start = previous(tokens, previous(tokens, start - 1) - 1);
        }
        return start;
    }

    /** A name, not a keyword (the {@code SELECT} before a parenthesis is no function). */
    private static boolean isName(Token token)
    {
        return token.kind() == Kind.QUOTED
                || token.kind() == Kind.WORD && (!RESERVED.isReservedWord(token.text().toUpperCase(Locale.ROOT))
                        || Set.of("current_timestamp", "localtimestamp", "current_date", "now").contains(token.lower()));
    }
}
