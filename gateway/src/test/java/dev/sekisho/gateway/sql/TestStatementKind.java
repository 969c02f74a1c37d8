package dev.sekisho.gateway.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TestStatementKind
{
    @Test
    void classifies()
    {
        assertThat(StatementKind.classify("SELECT 1")).isEqualTo(StatementKind.QUERY);
        assertThat(StatementKind.classify("/* c */ ((select 1))")).isEqualTo(StatementKind.QUERY);
        assertThat(StatementKind.classify("with x as (select 1) select * from x")).isEqualTo(StatementKind.QUERY);
        assertThat(StatementKind.classify("values (1)")).isEqualTo(StatementKind.QUERY);
        assertThat(StatementKind.classify("-- hi\nSET x = 1")).isEqualTo(StatementKind.SET);
        assertThat(StatementKind.classify("show all")).isEqualTo(StatementKind.SHOW);
        assertThat(StatementKind.classify("reset all")).isEqualTo(StatementKind.RESET);
        assertThat(StatementKind.classify("begin")).isEqualTo(StatementKind.BEGIN);
        assertThat(StatementKind.classify("START TRANSACTION READ ONLY")).isEqualTo(StatementKind.BEGIN);
        assertThat(StatementKind.classify("commit")).isEqualTo(StatementKind.COMMIT);
        assertThat(StatementKind.classify("end")).isEqualTo(StatementKind.COMMIT);
        assertThat(StatementKind.classify("rollback")).isEqualTo(StatementKind.ROLLBACK);
        assertThat(StatementKind.classify("abort")).isEqualTo(StatementKind.ROLLBACK);
        assertThat(StatementKind.classify("rollback to savepoint s1")).isEqualTo(StatementKind.ROLLBACK_TO);
        assertThat(StatementKind.classify("savepoint s1")).isEqualTo(StatementKind.SAVEPOINT);
        assertThat(StatementKind.classify("release s1")).isEqualTo(StatementKind.RELEASE);
        assertThat(StatementKind.classify("discard all")).isEqualTo(StatementKind.DISCARD);
        assertThat(StatementKind.classify("insert into t values (1)")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("CREATE LOCAL TEMPORARY TABLE x (a int)")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("Truncate t")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("explain select 1")).isEqualTo(StatementKind.OTHER);
        assertThat(StatementKind.classify(" /* only */ ")).isEqualTo(StatementKind.EMPTY);
    }

    @Test
    void parsesSessionStatements()
    {
        assertThat(SessionStatement.parse("SET DateStyle = 'ISO'")).isEqualTo(new SessionStatement.Set("datestyle", java.util.List.of("ISO")));
        assertThat(SessionStatement.parse("set search_path to a, \"B\"")).isEqualTo(new SessionStatement.Set("search_path", java.util.List.of("a", "B")));
        assertThat(SessionStatement.parse("SET SESSION extra_float_digits TO -3")).isEqualTo(new SessionStatement.Set("extra_float_digits", java.util.List.of("-3")));
        assertThat(SessionStatement.parse("set time zone 'Asia/Tokyo'")).isEqualTo(new SessionStatement.Set("timezone", java.util.List.of("Asia/Tokyo")));
        assertThat(SessionStatement.parse("SET application_name TO DEFAULT")).isEqualTo(new SessionStatement.Set("application_name", java.util.List.of()));
        assertThat(SessionStatement.parse("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED"))
                .isEqualTo(new SessionStatement.Set("", java.util.List.of()));
        assertThat(SessionStatement.parse("show \"lc_collate\"")).isEqualTo(new SessionStatement.Show("lc_collate"));
        assertThat(SessionStatement.parse("SHOW TRANSACTION ISOLATION LEVEL")).isEqualTo(new SessionStatement.Show("transaction_isolation"));
        assertThat(SessionStatement.parse("reset all")).isEqualTo(new SessionStatement.Reset(java.util.Optional.empty()));
        assertThat(SessionStatement.parse("reset TimeZone")).isEqualTo(new SessionStatement.Reset(java.util.Optional.of("timezone")));
    }
}
