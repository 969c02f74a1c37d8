package dev.sekisho.planner.statement;

import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.policies.sql.SqlStatement;
import dev.sekisho.policies.sql.StatementAnnotation;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;

class TestStatementNormalizer
{
    private static NormalizedStatement normalize(String sql)
    {
        return StatementNormalizer.normalize(SqlStatement.of(sql), 0);
    }

    @Test
    void comparisonLiteralsBecomeParameters()
    {
        NormalizedStatement normalized = normalize("select * from customers where id = 42 and name = 'O''Brien' and score >= 1.5");
        assertThat(normalized.statement().text()).isEqualTo("select * from customers where id = $1 and name = $2 and score >= $3");
        assertThat(normalized.literals()).extracting(FoldedLiteral::value).containsExactly(42, "O'Brien", new BigDecimal("1.5"));
        assertThat(normalized.literals()).extracting(literal -> literal.declaredType().kind())
                .containsExactly(ColumnType.Kind.INTEGER, ColumnType.Kind.UNKNOWN, ColumnType.Kind.DECIMAL);
        assertThat(normalize("select * from t where id = 5000000000").literals().get(0).value()).isEqualTo(5_000_000_000L);
    }

    @Test
    void theNormalisedStatementCarriesItsTokensWithoutLexingAgain()
    {
        long before = dev.sekisho.policies.sql.SqlLexer.invocations();
        SqlStatement original = SqlStatement.of("/* c */ SELECT *  FROM t WHERE id IN (1, 2, 3) AND name = 'x'");
        NormalizedStatement normalized = StatementNormalizer.normalize(original, 0);
        assertThat(dev.sekisho.policies.sql.SqlLexer.invocations() - before).isEqualTo(1);
        // the tokens are what lexing the normalised text would give
        assertThat(normalized.statement().tokens()).isEqualTo(SqlStatement.of(normalized.statement().text()).tokens());
    }

    @Test
    void literalVaryingStatementsShareTheirText()
    {
        assertThat(normalize("SELECT * FROM t WHERE id = 1").statement().text()).isEqualTo(normalize("select  *\nfrom T where ID = 99").statement().text())
                .isEqualTo("select * from t where id = $1");
        assertThat(normalize("select \"Name\" from t").statement().text()).isEqualTo("select \"Name\" from t");
    }

    @Test
    void redashAnnotationIsStrippedAndKept()
    {
        String first = "/* Username: a@x.com, query_id: 42, Queue: queries, Job ID: 5f1e, Query Hash: abc, Scheduled: False */ select * from t where id = 3";
        String second = "/* Username: b@x.com, query_id: adhoc, Queue: queries, Job ID: 77aa, Query Hash: def, Scheduled: True */ select * from t where id = 4";
        NormalizedStatement a = normalize(first);
        NormalizedStatement b = normalize(second);
        assertThat(a.statement().text()).isEqualTo("select * from t where id = $1").isEqualTo(b.statement().text());
        StatementAnnotation annotation = a.annotation().orElseThrow();
        assertThat(annotation.username()).contains("a@x.com");
        assertThat(annotation.queryId()).contains("42");
        assertThat(annotation.jobId()).contains("5f1e");
        assertThat(annotation.queryHash()).contains("abc");
        assertThat(annotation.scheduled()).contains(false);
        assertThat(annotation.field("queue")).contains("queries");
        assertThat(b.annotation().orElseThrow().scheduled()).contains(true);
        assertThat(normalize("/* just a note */ select 1").annotation()).isEmpty();
    }

    @Test
    void literalsThatShapeThePlanStay()
    {
        assertThat(normalize("select * from t where a = 1 order by 2 limit 10 offset 5").statement().text())
                .isEqualTo("select * from t where a = $1 order by 2 limit 10 offset 5");
        assertThat(normalize("select date_trunc('month', d), 1, 'x' from t group by 1").literals()).isEmpty();
        assertThat(normalize("select * from t where d > DATE '2024-01-01'").literals()).isEmpty();
        assertThat(normalize("select * from t where d > '2024-01-01'::date").literals()).isEmpty();
        assertThat(normalize("select * from t where d > now() - interval '1 day'").literals()).isEmpty();
        assertThat(normalize("select * from t where a = 1 + b").literals()).isEmpty();
        assertThat(normalize("select * from t where a = E'x\\n'").literals()).isEmpty();
        assertThat(normalize("select * from t where a = -1").literals()).isEmpty();
        assertThat(normalize("select * from t where 1 = 1").literals()).isEmpty();
        assertThat(normalize("select * from t where a = 'x' collate \"C\"").literals()).isEmpty();
    }

    @Test
    void likeBetweenAndInLists()
    {
        NormalizedStatement normalized = normalize("select * from t where name not like 'A%' and n between 3 and 7 and id in (1, 2, 3)");
        assertThat(normalized.statement().text()).isEqualTo("select * from t where name not like $1 and n between $2 and $3 and id in ($4, $5, $6, $7)");
        // the list of three is padded to four by repeating its last element
        assertThat(normalized.literals()).extracting(FoldedLiteral::value).containsExactly("A%", 3, 7, 1, 2, 3, 3);
    }

    @Test
    void inListLengthsShareOnlyWithinABucket()
    {
        String three = normalize("select * from t where id in (1, 2, 3)").statement().text();
        String four = normalize("select * from t where id in (4, 5, 6, 7)").statement().text();
        String five = normalize("select * from t where id in (1, 2, 3, 4, 5)").statement().text();
        assertThat(three).isEqualTo(four);
        assertThat(five).isNotEqualTo(four).contains("$8)");
        assertThat(StatementNormalizer.bucket(1)).isEqualTo(1);
        assertThat(StatementNormalizer.bucket(2)).isEqualTo(2);
        assertThat(StatementNormalizer.bucket(3)).isEqualTo(4);
        assertThat(StatementNormalizer.bucket(9)).isEqualTo(16);
        // a list mixing numbers and strings, or holding an expression, stays as written
        assertThat(normalize("select * from t where id in (1, '2')").literals()).isEmpty();
        assertThat(normalize("select * from t where id in (1, 2 + 3)").literals()).isEmpty();
    }

    @Test
    void parametersAreNumberedAfterTheClients()
    {
        NormalizedStatement normalized = StatementNormalizer.normalize(SqlStatement.of("select * from t where a = $1 and b = 'x'"), 1);
        assertThat(normalized.statement().text()).isEqualTo("select * from t where a = $1 and b = $2");
        assertThat(normalized.declaredTypes(java.util.List.of())).hasSize(2);
    }

    @Test
    void literalsReadAsTheParameterTypeThePlanChose()
    {
        FoldedLiteral date = normalize("select * from t where d = '2024-02-29'").literals().get(0);
        assertThat(date.as(ColumnType.of(ColumnType.Kind.DATE))).contains(java.time.LocalDate.of(2024, 2, 29));
        assertThat(date.as(ColumnType.of(ColumnType.Kind.INTEGER))).isEmpty();
        FoldedLiteral number = normalize("select * from t where d = 5000000000").literals().get(0);
        assertThat(number.as(ColumnType.of(ColumnType.Kind.INTEGER))).isEmpty();
        assertThat(number.as(ColumnType.of(ColumnType.Kind.BIGINT))).contains(5_000_000_000L);
    }
}
