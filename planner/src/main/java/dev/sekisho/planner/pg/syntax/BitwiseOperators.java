package dev.sekisho.planner.pg.syntax;

import dev.sekisho.planner.pg.syntax.PgTokens.Kind;
import dev.sekisho.planner.pg.syntax.PgTokens.Token;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.planner.pg.syntax.PgTokens.matching;
import static dev.sekisho.planner.pg.syntax.PgTokens.matchingBackwards;
import static dev.sekisho.planner.pg.syntax.PgTokens.next;
import static dev.sekisho.planner.pg.syntax.PgTokens.previous;

/**
 * PostgreSQL's bitwise operators on integers ({@code &}, {@code |}, {@code #}, {@code ~},
 * {@code <<}, {@code >>}) as calls of the {@code pg_op_*} functions, with PostgreSQL's precedence:
 * they are "other operators", binding looser than arithmetic and casts and tighter than
 * comparisons, left-associative among themselves and with {@code ||} (so {@code 1 | 2 & 3} is
 * {@code (1 | 2) & 3} and {@code 1 + 2 & 3} is {@code (1 + 2) & 3}); a prefix {@code ~} takes
 * the arithmetic expression after it ({@code ~1 + 1} is {@code ~(1 + 1)}). Calcite's parser knows
 * some of them with other precedences and none of {@code #} and {@code >>}. The calls are named
 * {@code ?column?}, as PostgreSQL names an operator's result.
 */
final class BitwiseOperators
{
    private static final Map<String, String> BINARY = Map.of("&", "pg_op_bitand", "|", "pg_op_bitor", "#", "pg_op_bitxor",
            "<<", "pg_op_shl", ">>", "pg_op_shr");
    private static final String NOT = "pg_op_bitnot";
    /** Operators that bind tighter than the bitwise ones (or, as {@code ||}, as tight, to their left). */
    private static final Set<String> TIGHTER = Set.of("+", "-", "*", "/", "%", "^", "::", ".");
    /** Key words that end an operand. */
    private static final Set<String> STOPS = Set.of("select", "distinct", "all", "from", "where", "and", "or", "not", "is", "in", "like", "ilike",
            "similar", "between", "as", "when", "then", "else", "case", "end", "group", "order", "by", "having", "limit", "offset", "asc", "desc",
            "nulls", "union", "except", "intersect", "on", "using", "join", "inner", "left", "right", "full", "cross", "outer", "with", "escape",
            "over", "partition", "rows", "range", "filter", "within", "fetch", "for", "values", "exists", "any", "some", "collate", "isnull",
            "notnull", "window", "lateral");

    private BitwiseOperators() {}

    static List<Token> rewrite(List<Token> tokens)
    {
        List<Token> current = tokens;
        for (int round = 0; round < 1_000; round++) {
            int operator = first(current);
            if (operator < 0) {
                return current;
            }
            List<Token> rewritten = current.get(operator).is("~") ? prefix(current, operator) : binary(current, operator);
            if (rewritten == null) {
                return current;
            }
            current = rewritten;
        }
        return current;
    }

    /** The first bitwise operator (a prefix {@code ~} or a binary one), -1 if none. */
    private static int first(List<Token> tokens)
    {
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() != Kind.SYMBOL) {
                continue;
            }
            if (BINARY.containsKey(token.text()) || token.is("~") && isPrefixPosition(tokens, i)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isPrefixPosition(List<Token> tokens, int at)
    {
        int before = previous(tokens, at - 1);
        if (before < 0) {
            return true;
        }
        Token token = tokens.get(before);
        return token.kind() == Kind.SYMBOL && !token.is(")") && !token.is("]") && !token.text().startsWith("$") || token.kind() == Kind.WORD && STOPS.contains(token.lower());
    }

    private static List<Token> binary(List<Token> tokens, int operator)
    {
        int start = operandStart(tokens, operator);
        int end = operandEnd(tokens, operator);
        if (start < 0 || end < 0) {
            return null;
        }
        List<Token> out = new ArrayList<>(tokens.subList(0, start));
        out.add(new Token(Kind.WORD, BINARY.get(tokens.get(operator).text())));
        out.add(new Token(Kind.SYMBOL, "("));
        out.addAll(tokens.subList(start, operator));
        out.add(new Token(Kind.SYMBOL, ","));
        out.addAll(tokens.subList(operator + 1, end + 1));
        out.add(new Token(Kind.SYMBOL, ")"));
        out.addAll(tokens.subList(end + 1, tokens.size()));
        return out;
    }

    private static List<Token> prefix(List<Token> tokens, int operator)
    {
        int end = operandEnd(tokens, operator);
        if (end < 0) {
            return null;
        }
        List<Token> out = new ArrayList<>(tokens.subList(0, operator));
        out.add(new Token(Kind.WORD, NOT));
        out.add(new Token(Kind.SYMBOL, "("));
        out.addAll(tokens.subList(operator + 1, end + 1));
        out.add(new Token(Kind.SYMBOL, ")"));
        out.addAll(tokens.subList(end + 1, tokens.size()));
        return out;
    }

    /** Where the left operand of the operator at {@code operator} starts, -1 if it has none. */
    private static int operandStart(List<Token> tokens, int operator)
    {
        int start = -1;
        // whether the tokens from start on begin with an operand (so only an operator, a function name or a literal's type may precede)
        boolean operand = false;
        int i = previous(tokens, operator - 1);
        while (i >= 0) {
            Token token = tokens.get(i);
            if (!operand && (token.is(")") || token.is("]"))) {
                int open = token.is(")") ? matchingBackwards(tokens, i) : backwards(tokens, i, "[", "]");
                if (open < 0) {
                    return -1;
                }
                start = open;
                operand = true;
                i = previous(tokens, open - 1);
                continue;
            }
            if (!operand && token.kind() == Kind.WORD && token.is("end")) {
                int open = backwards(tokens, i, "case", "end");
                if (open < 0) {
                    return -1;
                }
                start = open;
                operand = true;
                i = previous(tokens, open - 1);
                continue;
            }
            if (isOperandToken(token)) {
                // after an operand only a function's name (before its parentheses) or a literal's type (date '...') may come
                boolean name = token.kind() == Kind.WORD || token.kind() == Kind.QUOTED;
                if (operand && !(name && (tokens.get(start).is("(") || tokens.get(start).kind() == Kind.STRING || tokens.get(start).is("[")))) {
                    break;
                }
                start = i;
                operand = true;
                i = previous(tokens, i - 1);
                continue;
            }
            if (operand && token.kind() == Kind.SYMBOL && (TIGHTER.contains(token.text()) || token.is("||"))) {
                start = i;
                operand = false;
                i = previous(tokens, i - 1);
                continue;
            }
            break;
        }
        return start;
    }

    /** Where the right operand of the operator at {@code operator} ends, -1 if it has none. */
    private static int operandEnd(List<Token> tokens, int operator)
    {
        int end = -1;
        // whether an operand is expected next (else an operator, a call's or subscript's bracket, or a literal after its type)
        boolean expectOperand = true;
        int i = next(tokens, operator + 1);
        while (i < tokens.size()) {
            Token token = tokens.get(i);
            boolean afterName = end >= 0 && (tokens.get(end).kind() == Kind.WORD || tokens.get(end).kind() == Kind.QUOTED);
            if (token.is("(") && (expectOperand || afterName) || token.is("[") && !expectOperand) {
                int close = token.is("(") ? matching(tokens, i, "(", ")") : matching(tokens, i, "[", "]");
                if (close < 0) {
                    return -1;
                }
                end = close;
                expectOperand = false;
                i = next(tokens, close + 1);
                continue;
            }
            if (expectOperand && token.kind() == Kind.WORD && token.is("case")) {
                int close = matching(tokens, i, "case", "end");
                if (close < 0) {
                    return -1;
                }
                end = close;
                expectOperand = false;
                i = next(tokens, close + 1);
                continue;
            }
            if (isOperandToken(token) && (expectOperand || afterName && token.kind() == Kind.STRING)) {
                end = i;
                expectOperand = false;
                i = next(tokens, i + 1);
                continue;
            }
            if (token.kind() == Kind.SYMBOL && (TIGHTER.contains(token.text()) && (!expectOperand || token.is("-") || token.is("+"))
                    || expectOperand && token.is("~"))) {
                end = i;
                expectOperand = true;
                i = next(tokens, i + 1);
                continue;
            }
            break;
        }
        return expectOperand ? -1 : end;
    }

    private static boolean isOperandToken(Token token)
    {
        return switch (token.kind()) {
            case NUMBER, STRING, QUOTED -> true;
            case WORD -> !STOPS.contains(token.lower());
            case SYMBOL -> token.text().startsWith("$");
            default -> false;
        };
    }

    private static int backwards(List<Token> tokens, int close, String opening, String closing)
    {
        int depth = 0;
        for (int i = close; i >= 0; i--) {
            if (tokens.get(i).is(closing)) {
                depth++;
            }
            else if (tokens.get(i).is(opening)) {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
