package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.pg.syntax.PgTokens.Kind;
import dev.sekisho.planner.pg.syntax.PgTokens.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.sekisho.planner.pg.syntax.PgTokens.at;
import static dev.sekisho.planner.pg.syntax.PgTokens.matching;
import static dev.sekisho.planner.pg.syntax.PgTokens.next;

/**
 * An aggregate's own ORDER BY ({@code json_agg(x ORDER BY y)}), which Babel's parser reads only
 * for {@code array_agg} and {@code string_agg}, as {@code json_agg(x) WITHIN GROUP (ORDER BY y)},
 * which it reads for any function (the rewriter turns it into an ordered {@code array_agg}).
 */
final class AggregateOrderBy
{
    private static final Set<String> AGGREGATES = Set.of("json_agg");

    private AggregateOrderBy() {}

    static List<Token> rewrite(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>(tokens);
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i).kind() != Kind.WORD || !AGGREGATES.contains(out.get(i).lower())) {
                continue;
            }
            int open = next(out, i + 1);
            if (!at(out, open, "(")) {
                continue;
            }
            int close = matching(out, open, "(", ")");
            int order = close < 0 ? -1 : topLevelOrderBy(out, open, close);
            if (order < 0) {
                continue;
            }
            List<Token> keys = new ArrayList<>(out.subList(order, close));
            List<Token> replacement = new ArrayList<>();
            replacement.add(new Token(Kind.SYMBOL, ")"));
            replacement.add(new Token(Kind.SPACE, " "));
            replacement.add(new Token(Kind.WORD, "WITHIN"));
            replacement.add(new Token(Kind.SPACE, " "));
            replacement.add(new Token(Kind.WORD, "GROUP"));
            replacement.add(new Token(Kind.SPACE, " "));
            replacement.add(new Token(Kind.SYMBOL, "("));
            replacement.addAll(keys);
            replacement.add(new Token(Kind.SYMBOL, ")"));
            out.subList(order, close + 1).clear();
            out.addAll(order, replacement);
        }
        return out;
    }

    /** The index of the ORDER of an ORDER BY directly inside the parentheses, or -1. */
    private static int topLevelOrderBy(List<Token> tokens, int open, int close)
    {
        int depth = 0;
        for (int i = open + 1; i < close; i++) {
            if (tokens.get(i).is("(")) {
                depth++;
            }
            else if (tokens.get(i).is(")")) {
                depth--;
            }
            else if (depth == 0 && tokens.get(i).is("order") && at(tokens, next(tokens, i + 1), "by")) {
                return i;
            }
        }
        return -1;
    }
}
