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
 * Token passes of {@link PgSyntax} for query shapes PostgreSQL has and Calcite's parser spells
 * otherwise: {@code DISTINCT ON} and {@code WITH ORDINALITY}.
 */
final class PgQueryShapes
{
    private PgQueryShapes() {}

    /**
     * {@code FROM TABLE(f(...)) WITH ORDINALITY AS t(v, n)} (after {@link #tableFunctions}; or {@code UNNEST(ARRAY[...])}) to
     * {@code FROM (SELECT "?f".*, ROW_NUMBER() OVER () AS ordinality FROM TABLE(f(...)) AS "?f") AS t(v, n)}:
     * the gateway's table functions produce their rows in order, which the row number counts.
     */
    static List<Token> withOrdinality(List<Token> tokens)
    {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            int open = next(tokens, i + 1);
            if (token.kind() == Kind.WORD && (token.text().equals("TABLE") || token.text().equals("UNNEST")) && at(tokens, open, "(")) {
                int close = matching(tokens, open, "(", ")");
                int with = next(tokens, close + 1);
                int ordinality = next(tokens, with + 1);
                if (close > 0 && at(tokens, with, "with") && at(tokens, ordinality, "ordinality")) {
                    out.add(new Token(Kind.WORD, "(SELECT \"?f\".*, ROW_NUMBER() OVER () AS \"ordinality\" FROM "));
                    out.addAll(tokens.subList(i, close + 1));
                    out.add(new Token(Kind.WORD, " AS \"?f\")"));
                    i = ordinality;
                    continue;
                }
            }
            out.add(token);
        }
        return out;
    }

    private static final Set<String> QUERY_ENDS = Set.of("union", "intersect", "except");
    private static final Set<String> ORDER_ENDS = Set.of("limit", "offset", "fetch");

    /**
     * {@code SELECT DISTINCT ON (k) ... ORDER BY o} to {@code SELECT ... QUALIFY ROW_NUMBER() OVER
     * (PARTITION BY k ORDER BY o) = 1 ORDER BY o}: the first row of each k by the query's order, which
     * is PostgreSQL's definition. Left alone (and refused by the parser) when a DISTINCT ON or ORDER BY
     * item is a select-list position, which means something else inside OVER.
     */
    static List<Token> distinctOn(List<Token> tokens)
    {
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).is("select")) {
                continue;
            }
            int distinct = next(tokens, i + 1);
            int on = next(tokens, distinct + 1);
            int open = next(tokens, on + 1);
            if (!at(tokens, distinct, "distinct") || !at(tokens, on, "on") || !at(tokens, open, "(")) {
                continue;
            }
            int close = matching(tokens, open, "(", ")");
            if (close < 0) {
                return tokens;
            }
            int depth = 0;
            int orderBy = -1;
            int orderEnd = -1;
            int end = tokens.size();
            for (int j = close + 1; j < tokens.size(); j++) {
                Token token = tokens.get(j);
                if (token.is("(")) {
                    depth++;
                }
                else if (token.is(")")) {
                    if (--depth < 0) {
                        end = j;
                        break;
                    }
                }
                else if (depth == 0 && token.kind() == Kind.WORD && QUERY_ENDS.contains(token.lower())) {
                    end = j;
                    break;
                }
                else if (depth == 0 && token.is("order") && at(tokens, next(tokens, j + 1), "by") && orderBy < 0) {
                    orderBy = j;
                }
                else if (depth == 0 && token.kind() == Kind.WORD && ORDER_ENDS.contains(token.lower()) && orderEnd < 0) {
                    orderEnd = j;
                }
            }
            if (orderEnd < 0 || orderEnd > end) {
                orderEnd = end;
            }
            List<Token> order = orderBy < 0 ? List.of() : tokens.subList(next(tokens, orderBy + 1) + 1, orderEnd);
            if (hasPositionalItem(order) || hasPositionalItem(tokens.subList(open + 1, close))) {
                return tokens;
            }
            List<Token> qualify = new ArrayList<>();
            qualify.add(new Token(Kind.WORD, " QUALIFY ROW_NUMBER() OVER (PARTITION BY "));
            qualify.addAll(tokens.subList(open + 1, close));
            if (!order.isEmpty()) {
                qualify.add(new Token(Kind.WORD, " ORDER BY "));
                qualify.addAll(order);
            }
            qualify.add(new Token(Kind.WORD, ") = 1 "));
            int insertAt = orderBy >= 0 ? orderBy : orderEnd;
            List<Token> out = new ArrayList<>(tokens.subList(0, distinct));
            out.addAll(tokens.subList(close + 1, insertAt));
            out.addAll(qualify);
            out.addAll(tokens.subList(insertAt, tokens.size()));
            return distinctOn(out);
        }
        return tokens;
    }

    /** Whether an ORDER BY list has an item that is only a number (a select-list position). */
    private static boolean hasPositionalItem(List<Token> order)
    {
        int depth = 0;
        boolean itemStart = true;
        for (int i = 0; i < order.size(); i++) {
            Token token = order.get(i);
            if (token.kind() == Kind.SPACE || token.kind() == Kind.COMMENT) {
                continue;
            }
            if (itemStart && token.kind() == Kind.NUMBER) {
                int after = next(order, i + 1);
                if (after >= order.size() || order.get(after).is(",") || order.get(after).is("asc") || order.get(after).is("desc")
                        || order.get(after).is("nulls")) {
                    return true;
                }
            }
            itemStart = false;
            if (token.is("(")) {
                depth++;
            }
            else if (token.is(")")) {
                depth--;
            }
            else if (depth == 0 && token.is(",")) {
                itemStart = true;
            }
        }
        return false;
    }
}
