package dev.sekisho.gateway.session;

import dev.sekisho.gateway.sql.RedashAnnotation;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.statement.FoldedLiteral;
import dev.sekisho.planner.statement.NormalizedStatement;
import dev.sekisho.policies.sql.SqlLexer;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The shape of a Parse text whose literals the planner folded: the text outside its folded
 * literals and outside its leading comment. A later text of the same shape (Redash's next run with a
 * new Job ID, a dashboard's next filter value) is recognised by comparing it with the remembered text
 * outside the literals' places and lexing only its new literals and the tokens just before them
 * (whose end may depend on what follows: {@code =} and {@code =-}); what lexing and normalising the
 * whole text would give is then put together from the remembered statement.
 *
 * <p>Why that is exact: the lexer decides a token's extent and kind from the text at and after its
 * start only, looking at most three characters past its end ({@code 1e+5}); a text equal to the
 * remembered one from the same token boundary on is cut into the same tokens, except a token that
 * ends within three characters of a changed place, which is lexed again. The normaliser's choices
 * read a folded literal only through whether it is a foldable number or a foldable plain string,
 * which is checked for each new literal. Everything that depends on the session (the search path,
 * the policy, the end user) is not remembered: it reaches the planner's keys as on every call.
 */
final class StatementShape
{
    /** A token before a literal is lexed again when it ends this close to it (the lexer's longest look past a token's end). */
    private static final int LOOK_AHEAD = 3;

    private final String text;
    /** Offset in {@link #text} of its first significant token, where the planner's statement starts. */
    private final int statementStart;
    private final NormalizedStatement normalized;
    /** The distinct indexes of the folded tokens in the statement's tokens, ascending. */
    private final int[] literalTokens;
    private final List<ColumnType> parameterTypes;

    private StatementShape(String text, int statementStart, NormalizedStatement normalized, int[] literalTokens, List<ColumnType> parameterTypes)
    {
        this.text = text;
        this.statementStart = statementStart;
        this.normalized = normalized;
        this.literalTokens = literalTokens;
        this.parameterTypes = parameterTypes;
    }

    /**
     * The shape of {@code text} (a Parse message's whole text) whose statement, as the planner
     * received it, normalised to {@code normalized}; empty when the text is not of the form
     * recognised here (white space, at most one comment, then the statement).
     */
    static Optional<StatementShape> of(String text, NormalizedStatement normalized, List<ColumnType> parameterTypes)
    {
        requireNonNull(text, "text is null");
        requireNonNull(normalized, "normalized is null");
        requireNonNull(parameterTypes, "parameterTypes is null");
        if (normalized.literals().isEmpty() || normalized.annotation().isPresent()) {
            return Optional.empty();
        }
        Optional<Leading> leading = Leading.of(text);
        SqlStatement statement = normalized.original();
        if (leading.isEmpty() || !text.startsWith(statement.text(), leading.get().statementStart())) {
            return Optional.empty();
        }
        int[] tokens = normalized.literalTokens().stream().mapToInt(Integer::intValue).distinct().toArray();
        for (int i = 1; i < tokens.length; i++) {
            if (tokens[i] <= tokens[i - 1]) {
                return Optional.empty();
            }
        }
        return Optional.of(new StatementShape(text, leading.get().statementStart(), normalized, tokens,
                Collections.unmodifiableList(new ArrayList<>(parameterTypes))));
    }

    /** What a text of this shape is: its statement normalised, the Redash annotation before it, the text for the audit trail. */
    record Match(NormalizedStatement normalized, Optional<RedashAnnotation> annotation, String clientSql)
    {
        Match
        {
            requireNonNull(normalized, "normalized is null");
            requireNonNull(annotation, "annotation is null");
            requireNonNull(clientSql, "clientSql is null");
        }

        /** The statement as the planner is given it (without the annotation), lexed. */
        SqlStatement statement()
        {
            return normalized.original();
        }
    }

    /**
     * {@code sql} as this shape with other literals and another leading comment; empty when it is
     * not of this shape.
     *
     * @param leading what comes before the statement in {@code sql} ({@link Leading#of})
     */
    Optional<Match> match(String sql, Leading leading, List<ColumnType> declaredTypes)
    {
        if (!parameterTypes.equals(declaredTypes)) {
            return Optional.empty();
        }
        int start = leading.statementStart();
        List<SqlToken> tokens = normalized.original().tokens();
        SqlToken[] spliced = new SqlToken[tokens.size()];
        List<FoldedLiteral> literals = new ArrayList<>(literalTokens.length);
        // positions relative to the statement's start; shift: how much longer the new literals are so far
        int shift = 0;
        int segment = 0;
        int token = 0;
        for (int literal : literalTokens) {
            SqlToken old = tokens.get(literal);
            int literalStart = old.start();
            // the text between the last literal and this one, as it was
            if (!sql.regionMatches(start + segment + shift, text, statementStart + segment, literalStart - segment)) {
                return Optional.empty();
            }
            int relex = literal;
            while (relex > token && tokens.get(relex - 1).end() > literalStart - LOOK_AHEAD) {
                relex--;
            }
            for (; token < literal; token++) {
                SqlToken kept = tokens.get(token);
                if (token >= relex && SqlLexer.endOfTokenAt(sql, start + kept.start() + shift) != start + kept.end() + shift) {
                    return Optional.empty();
                }
                spliced[token] = shift == 0 ? kept : new SqlToken(kept.kind(), kept.text(), kept.start() + shift);
            }
            if (start + literalStart + shift >= sql.length()) {
                return Optional.empty();
            }
            SqlToken lexed = SqlLexer.tokenAt(sql, start + literalStart + shift);
            if (lexed.kind() != old.kind()) {
                return Optional.empty();
            }
            Optional<FoldedLiteral> value = FoldedLiteral.of(lexed);
            if (value.isEmpty()) {
                return Optional.empty();
            }
            literals.add(value.get());
            spliced[token] = new SqlToken(lexed.kind(), lexed.text(), literalStart + shift);
            token++;
            shift += lexed.text().length() - old.text().length();
            segment = old.end();
        }
        // the rest of the text, to its end, as it was
        int rest = text.length() - statementStart - segment;
        if (sql.length() - start - segment - shift != rest || !sql.regionMatches(start + segment + shift, text, statementStart + segment, rest)) {
            return Optional.empty();
        }
        for (; token < tokens.size(); token++) {
            SqlToken kept = tokens.get(token);
            spliced[token] = shift == 0 ? kept : new SqlToken(kept.kind(), kept.text(), kept.start() + shift);
        }
        int end = start + normalized.original().text().length() + shift;
        SqlStatement statement = new SqlStatement(sql.substring(start, end), List.of(spliced));
        NormalizedStatement renormalized = normalized.withLiterals(statement, literals);
        return Optional.of(new Match(renormalized, leading.annotation(), sql.substring(leading.clientStart(), end)));
    }

    /**
     * What comes before a statement: white space, then at most one comment, which is a Redash
     * annotation (that comment is taken off the statement; any other would be planned with it).
     *
     * @param clientStart where the text the client's statement is recorded by starts (its comment, else its first token)
     * @param statementStart where the planner's statement starts (the first significant token)
     */
    record Leading(int clientStart, int statementStart, Optional<RedashAnnotation> annotation)
    {
        static Optional<Leading> of(String sql)
        {
            int position = 0;
            int clientStart = -1;
            Optional<RedashAnnotation> annotation = Optional.empty();
            while (position < sql.length()) {
                int end = SqlLexer.endOfTokenAt(sql, position);
                SqlToken.Kind kind = SqlLexer.kindOfTokenAt(sql, position, end);
                if (kind == SqlToken.Kind.COMMENT) {
                    if (clientStart >= 0) {
                        return Optional.empty();
                    }
                    clientStart = position;
                    // only white space before it: the annotation at the start of the text is this comment's, read without cutting it out
                    annotation = StatementText.redashAnnotation(sql);
                    if (annotation.isEmpty()) {
                        return Optional.empty();
                    }
                }
                else if (kind != SqlToken.Kind.WHITESPACE) {
                    return Optional.of(new Leading(clientStart < 0 ? position : clientStart, position, annotation));
                }
                position = end;
            }
            return Optional.empty();
        }
    }
}
