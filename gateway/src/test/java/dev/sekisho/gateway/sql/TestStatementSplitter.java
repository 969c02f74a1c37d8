package dev.sekisho.gateway.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestStatementSplitter
{
    @Test
    void splitsOnSemicolons()
    {
        assertThat(StatementSplitter.split("select 1; select 2;select 3")).containsExactly("select 1", "select 2", "select 3");
        assertThat(StatementSplitter.split("select 1;")).containsExactly("select 1");
    }

    @Test
    void semicolonsInsideQuotesAndCommentsDoNotSplit()
    {
        assertThat(StatementSplitter.split("select 'a;b''c;'; select 2")).containsExactly("select 'a;b''c;'", "select 2");
        assertThat(StatementSplitter.split("select E'it\\'s;x'; select 2")).containsExactly("select E'it\\'s;x'", "select 2");
        assertThat(StatementSplitter.split("select \"a;\"\"b\" from t; select 2")).containsExactly("select \"a;\"\"b\" from t", "select 2");
        assertThat(StatementSplitter.split("select $$a;b$$, $tag$ $$; $tag$; select 2")).containsExactly("select $$a;b$$, $tag$ $$; $tag$", "select 2");
        assertThat(StatementSplitter.split("select 1 -- a; comment\n; select 2")).containsExactly("select 1 -- a; comment", "select 2");
        assertThat(StatementSplitter.split("select /* a; /* nested; */ still; */ 1; select 2")).containsExactly("select /* a; /* nested; */ still; */ 1", "select 2");
    }

    @Test
    void parametersAndIdentifiersWithDollarsAreNotQuotes()
    {
        assertThat(StatementSplitter.split("select $1, a$b$ from t; select $2")).containsExactly("select $1, a$b$ from t", "select $2");
    }

    @Test
    void standardStringsKeepBackslashes()
    {
        // with standard_conforming_strings on, a backslash does not escape the quote
        assertThat(StatementSplitter.split("select 'a\\'; select 2")).containsExactly("select 'a\\'", "select 2");
    }

    @Test
    void emptyStatementsAreDropped()
    {
        assertThat(StatementSplitter.split("")).isEmpty();
        assertThat(StatementSplitter.split(" ;; -- only a comment\n /* and this */ ;")).isEmpty();
        assertThat(StatementSplitter.isEmpty("  /* x */ ")).isTrue();
        assertThat(StatementSplitter.split(";select 1;;")).containsExactly("select 1");
        assertThat(StatementSplitter.split("/* Username: x */ select 1 LIMIT 1000")).containsExactly("/* Username: x */ select 1 LIMIT 1000");
    }

    @Test
    void unterminatedQuotesRunToTheEnd()
    {
        assertThat(StatementSplitter.split("select 'abc; select 2")).containsExactly("select 'abc; select 2");
    }
}
