package dev.sekisho.policies.sql;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestSqlStatement
{
    @Test
    void splitsOnSemicolons()
    {
        assertThat(split("select 1; select 2;select 3")).containsExactly("select 1", "select 2", "select 3");
        assertThat(split("select 1;")).containsExactly("select 1");
    }

    @Test
    void semicolonsInsideQuotesAndCommentsDoNotSplit()
    {
        assertThat(split("select 'a;b''c;'; select 2")).containsExactly("select 'a;b''c;'", "select 2");
        assertThat(split("select E'it\\'s;x'; select 2")).containsExactly("select E'it\\'s;x'", "select 2");
        assertThat(split("select \"a;\"\"b\" from t; select 2")).containsExactly("select \"a;\"\"b\" from t", "select 2");
        assertThat(split("select $$a;b$$, $tag$ $$; $tag$; select 2")).containsExactly("select $$a;b$$, $tag$ $$; $tag$", "select 2");
        assertThat(split("select 1 -- a; comment\n; select 2")).containsExactly("select 1 -- a; comment", "select 2");
        assertThat(split("select /* a; /* nested; */ still; */ 1; select 2")).containsExactly("select /* a; /* nested; */ still; */ 1", "select 2");
    }

    @Test
    void parametersAndIdentifiersWithDollarsAreNotQuotes()
    {
        assertThat(split("select $1, a$b$ from t; select $2")).containsExactly("select $1, a$b$ from t", "select $2");
    }

    @Test
    void standardStringsKeepBackslashes()
    {
        // with standard_conforming_strings on, a backslash does not escape the quote
        assertThat(split("select 'a\\'; select 2")).containsExactly("select 'a\\'", "select 2");
    }

    @Test
    void emptyStatementsAreDropped()
    {
        assertThat(split("")).isEmpty();
        assertThat(split(" ;; -- only a comment\n /* and this */ ;")).isEmpty();
        assertThat(SqlStatement.of("  /* x */ ").isEmpty()).isTrue();
        assertThat(split(";select 1;;")).containsExactly("select 1");
        assertThat(split("/* Username: x */ select 1 LIMIT 1000")).containsExactly("/* Username: x */ select 1 LIMIT 1000");
    }

    @Test
    void unterminatedQuotesRunToTheEnd()
    {
        assertThat(split("select 'abc; select 2")).containsExactly("select 'abc; select 2");
    }

    @Test
    void eachStatementKeepsItsTokensRebasedToItsText()
    {
        long before = SqlLexer.invocations();
        List<SqlStatement> statements = SqlStatement.split("  select 1 ;\n /* c */ select 'x' , $1 ; ");
        assertThat(SqlLexer.invocations() - before).as("the text is lexed once").isEqualTo(1);
        assertThat(statements).hasSize(2);
        for (SqlStatement statement : statements) {
            StringBuilder joined = new StringBuilder();
            for (SqlToken token : statement.tokens()) {
                assertThat(statement.text().substring(token.start(), token.end())).isEqualTo(token.text());
                joined.append(token.text());
            }
            assertThat(joined.toString()).isEqualTo(statement.text());
        }
        assertThat(statements.get(1).significant()).extracting(SqlToken::text).containsExactly("select", "'x'", ",", "$1");
    }

    @Test
    void theRestOfAStatementFromOneOfItsTokens()
    {
        SqlStatement declare = SqlStatement.of("DECLARE c CURSOR FOR /* q */ select 1");
        SqlToken forKeyword = declare.significant().stream().filter(token -> token.isWord("for")).findFirst().orElseThrow();
        SqlStatement query = declare.from(declare.tokens().get(declare.tokens().indexOf(forKeyword) + 1));
        assertThat(query.text()).isEqualTo("/* q */ select 1");
        assertThat(query.tokens().get(0).start()).isZero();
    }

    @Test
    void theRestOfAStatementFromATokenIndexIsRebasedAndWholeTextsKeepTheirTokens()
    {
        SqlStatement annotated = SqlStatement.of("/* Username: a@b.c, query_id: adhoc */ select id from t where id = 7");
        SqlStatement query = annotated.from(2);
        assertThat(query.text()).isEqualTo("select id from t where id = 7");
        assertThat(query.tokens()).isEqualTo(SqlStatement.of(query.text()).tokens());
        assertThat(annotated.from(0)).isEqualTo(annotated);
        assertThat(annotated.from(annotated.tokens().size()).text()).isEmpty();
        assertThatThrownBy(() -> annotated.from(annotated.tokens().size() + 1)).isInstanceOf(IndexOutOfBoundsException.class);
        // one statement that is all of the text: the same text, tokens and offsets as lexing it
        SqlStatement whole = SqlStatement.split("select 1 from t").get(0);
        assertThat(whole).isEqualTo(SqlStatement.of("select 1 from t"));
        assertThat(SqlStatement.split("select 1 from t;").get(0)).isEqualTo(whole);
        // the lists a statement keeps without copying are as unmodifiable as the copies were
        SqlToken extra = new SqlToken(SqlToken.Kind.WORD, "x", 0);
        for (List<SqlToken> tokens : List.of(whole.tokens(), query.tokens(), SqlLexer.tokenize("select 1"), SqlStatement.split("select 1; select 2").get(1).tokens())) {
            assertThatThrownBy(() -> tokens.add(extra)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> tokens.set(0, extra)).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(tokens::clear).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    private static List<String> split(String sql)
    {
        return SqlStatement.split(sql).stream().map(SqlStatement::text).toList();
    }
}
