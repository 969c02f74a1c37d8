package dev.sekisho.policies.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestStatementAnnotation
{
    @Test
    void redashAnnotationNamesTheEndUserAndQuery()
    {
        StatementAnnotation saved = StatementAnnotation.of(SqlStatement.of(
                "/* Username: kim@example.com, query_id: 42, Queue: queries, Job ID: x, Query Hash: y, Scheduled: False */ SELECT 1")).orElseThrow();
        assertThat(saved.username()).contains("kim@example.com");
        assertThat(saved.queryId()).contains("42");
        assertThat(saved.jobId()).contains("x");
        assertThat(saved.queryHash()).contains("y");
        assertThat(saved.scheduled()).contains(false);
        assertThat(StatementAnnotation.of(SqlStatement.of("/* Username: kim@example.com, query_id: adhoc, Queue: queries */ SELECT 1")).orElseThrow().queryId())
                .contains("adhoc");
    }

    @Test
    void onlyACommentAheadOfTheStatementIsAnAnnotation()
    {
        assertThat(StatementAnnotation.of(SqlStatement.of("SELECT 1 /* Username: x, query_id: 1 */"))).isEmpty();
        assertThat(StatementAnnotation.of(SqlStatement.of("/* just a remark */ SELECT 1"))).isEmpty();
        assertThat(StatementAnnotation.of(SqlStatement.of("SELECT '/* Username: x, query_id: 1 */'"))).isEmpty();
    }
}
