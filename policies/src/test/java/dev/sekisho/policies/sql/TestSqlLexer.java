package dev.sekisho.policies.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.sekisho.policies.sql.SqlToken.Kind.COMMENT;
import static dev.sekisho.policies.sql.SqlToken.Kind.NUMBER;
import static dev.sekisho.policies.sql.SqlToken.Kind.PARAMETER;
import static dev.sekisho.policies.sql.SqlToken.Kind.QUOTED_IDENTIFIER;
import static dev.sekisho.policies.sql.SqlToken.Kind.STRING;
import static dev.sekisho.policies.sql.SqlToken.Kind.SYMBOL;
import static dev.sekisho.policies.sql.SqlToken.Kind.WHITESPACE;
import static dev.sekisho.policies.sql.SqlToken.Kind.WORD;
import static org.assertj.core.api.Assertions.assertThat;

class TestSqlLexer
{
    @Test
    void tokensGiveBackTheTextExactly()
    {
        for (String sql : List.of("", "select 1", "SELECT  \"A\"\"b\", 'it''s', E'a\\'b', $$x;y$$, $t$ $$ $t$ FROM t -- c\n/* a /* b */ c */ WHERE x::int <= $1",
                "select 'unterminated", "select /* unterminated", "a$b$c, 1.5e-3, .5, 1..2, x=-1, a||b, 日本語 = 'テキスト'", "\t\r\n\f")) {
            StringBuilder joined = new StringBuilder();
            int offset = 0;
            for (SqlToken token : SqlLexer.tokenize(sql)) {
                assertThat(token.start()).as(sql).isEqualTo(offset);
                joined.append(token.text());
                offset = token.end();
            }
            assertThat(joined.toString()).isEqualTo(sql);
        }
    }

    /** One token lexed where a token starts is the token the whole text's lexing cuts there, and it does not count as a lexing. */
    @Test
    void oneTokenAtATokenStart()
    {
        for (String sql : List.of("SELECT  \"A\"\"b\", 'it''s', E'a\\'b', $$x;y$$, $t$ $$ $t$ FROM t -- c\n/* a /* b */ c */ WHERE x::int <= $1",
                "select 'unterminated", "a$b$c, 1.5e-3, 1e+5, 1e, .5, 1..2, x=-1, a||b, 日本語 = 'テキスト'", "x between 1 and.5 and5")) {
            long before = SqlLexer.invocations();
            List<SqlToken> tokens = SqlLexer.tokenize(sql);
            for (SqlToken token : tokens) {
                assertThat(SqlLexer.tokenAt(sql, token.start())).as(sql).isEqualTo(token);
                assertThat(SqlLexer.endOfTokenAt(sql, token.start())).isEqualTo(token.end());
                assertThat(SqlLexer.kindOfTokenAt(sql, token.start(), token.end())).isEqualTo(token.kind());
            }
            assertThat(SqlLexer.invocations() - before).isEqualTo(1);
        }
    }

    @Test
    void stringsIdentifiersAndTheirValues()
    {
        List<SqlToken> tokens = significant("'it''s' E'a\\nb\\'c' $$d;e$$ $tag$f$$g$tag$ \"Mixed\"\"Case\" plain e 'x'");
        assertThat(tokens).extracting(SqlToken::kind).containsExactly(STRING, STRING, STRING, STRING, QUOTED_IDENTIFIER, WORD, WORD, STRING);
        assertThat(tokens).extracting(SqlToken::value).containsExactly("it's", "a\nb'c", "d;e", "f$$g", "Mixed\"Case", "plain", "e", "x");
        assertThat(tokens.get(1).isEscapeString()).isTrue();
        assertThat(tokens.get(2).isDollarString()).isTrue();
        assertThat(tokens.get(4).name()).isEqualTo("Mixed\"Case");
        assertThat(tokens.get(5).name()).isEqualTo("plain");
        assertThat(significant("SELECT Foo").get(1).name()).isEqualTo("foo");
    }

    @Test
    void standardStringsKeepBackslashes()
    {
        List<SqlToken> tokens = significant("'a\\' , 'b'");
        assertThat(tokens).extracting(SqlToken::text).containsExactly("'a\\'", ",", "'b'");
        assertThat(tokens.get(0).value()).isEqualTo("a\\");
    }

    @Test
    void commentsNest()
    {
        List<SqlToken> tokens = SqlLexer.tokenize("/* a /* b */ c */x-- d\ny");
        assertThat(tokens).extracting(SqlToken::kind).containsExactly(COMMENT, WORD, COMMENT, WHITESPACE, WORD);
        assertThat(tokens.get(0).text()).isEqualTo("/* a /* b */ c */");
    }

    /**
     * The block comment's end, found by jumping between {@code *}s, is where a scan of every
     * character for both marks ends it, for every text of the characters that matter up to length
     * 9 (overlapping marks such as {@code /}{@code *}{@code /} and {@code *}{@code /}{@code *},
     * nesting, an unterminated comment).
     */
    @Test
    void blockCommentsEndWhereACharacterByCharacterScanEndsThem()
    {
        char[] alphabet = {'/', '*', 'a'};
        for (int length = 0; length <= 9; length++) {
            int count = (int) Math.pow(alphabet.length, length);
            for (int n = 0; n < count; n++) {
                StringBuilder body = new StringBuilder("/*");
                for (int i = 0, rest = n; i < length; i++, rest /= alphabet.length) {
                    body.append(alphabet[rest % alphabet.length]);
                }
                String sql = body.toString();
                assertThat(SqlLexer.endOfTokenAt(sql, 0)).as(sql).isEqualTo(scannedCommentEnd(sql));
                assertThat(SqlLexer.endOfTokenAt(" " + sql + "x", 1)).as(sql).isEqualTo(scannedCommentEnd(sql + "x") + 1);
            }
        }
        assertThat(SqlLexer.endOfTokenAt("/* Username: a@x.com, query_id: 42, Job ID: 7f, Query Hash: 9c, Scheduled: False */ select 1", 0)).isEqualTo(83);
    }

    /** The end of the block comment at the start of {@code sql} as a scan testing each character for both marks finds it. */
    private static int scannedCommentEnd(String sql)
    {
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            if (sql.startsWith("/*", i)) {
                depth++;
                i += 2;
            }
            else if (sql.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            }
            else {
                i++;
            }
        }
        return sql.length();
    }

    @Test
    void parametersNumbersAndOperators()
    {
        assertThat(significant("$1 + $23 a$1")).extracting(SqlToken::kind).containsExactly(PARAMETER, SYMBOL, PARAMETER, WORD);
        assertThat(significant("$12").get(0).value()).isEqualTo("12");
        assertThat(significant("1 1.5 .5 1e10 2.5E-3")).extracting(SqlToken::kind).containsOnly(NUMBER);
        assertThat(significant("1e10 2.5E-3")).extracting(SqlToken::text).containsExactly("1e10", "2.5E-3");
        assertThat(significant("x::int <= y <> z || w != v ->> 'k'")).extracting(SqlToken::text)
                .containsExactly("x", "::", "int", "<=", "y", "<>", "z", "||", "w", "!=", "v", "->>", "'k'");
        // PostgreSQL's rule: "=-" is "=" then "-" (a math operator run does not end in + or -), "@-" stays one
        assertThat(significant("x=-1 y@-2")).extracting(SqlToken::text).containsExactly("x", "=", "-", "1", "y", "@-", "2");
        assertThat(significant("a[1:2] (b) ;")).extracting(SqlToken::text).containsExactly("a", "[", "1", ":", "2", "]", "(", "b", ")", ";");
    }

    @Test
    void countsInvocations()
    {
        long before = SqlLexer.invocations();
        SqlLexer.tokenize("select 1");
        SqlLexer.tokenize("select 2");
        assertThat(SqlLexer.invocations() - before).isGreaterThanOrEqualTo(2);
    }

    private static List<SqlToken> significant(String sql)
    {
        return SqlLexer.tokenize(sql).stream().filter(SqlToken::isSignificant).toList();
    }
}
