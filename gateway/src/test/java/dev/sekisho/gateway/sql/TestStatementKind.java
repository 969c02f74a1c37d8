package dev.sekisho.gateway.sql;

import dev.sekisho.policies.sql.SqlStatement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestStatementKind
{
    @Test
    void aQueryIsToldByItsWholeFirstWordInAnyCase()
    {
        assertThat(classify("TaBlE customers")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("/* Username: a, query_id: 1 */ Values (1)")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("selection")).isEqualTo(StatementKind.OTHER);
        assertThat(classify("\"select\" 1")).isEqualTo(StatementKind.OTHER);
        assertThat(classify("explain select 1")).isEqualTo(StatementKind.EXPLAIN);
    }

    @Test
    void classifies()
    {
        assertThat(classify("SELECT 1")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("/* c */ ((select 1))")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("with x as (select 1) select * from x")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("values (1)")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("-- hi\nSET x = 1")).isEqualTo(StatementKind.SET);
        assertThat(classify("show all")).isEqualTo(StatementKind.SHOW);
        assertThat(classify("reset all")).isEqualTo(StatementKind.RESET);
        assertThat(classify("begin")).isEqualTo(StatementKind.BEGIN);
        assertThat(classify("START TRANSACTION READ ONLY")).isEqualTo(StatementKind.BEGIN);
        assertThat(classify("commit")).isEqualTo(StatementKind.COMMIT);
        assertThat(classify("end")).isEqualTo(StatementKind.COMMIT);
        assertThat(classify("rollback")).isEqualTo(StatementKind.ROLLBACK);
        assertThat(classify("abort")).isEqualTo(StatementKind.ROLLBACK);
        assertThat(classify("rollback to savepoint s1")).isEqualTo(StatementKind.ROLLBACK_TO);
        assertThat(classify("savepoint s1")).isEqualTo(StatementKind.SAVEPOINT);
        assertThat(classify("release s1")).isEqualTo(StatementKind.RELEASE);
        assertThat(classify("discard all")).isEqualTo(StatementKind.DISCARD);
        assertThat(classify("insert into t values (1)")).isEqualTo(StatementKind.WRITE);
        assertThat(classify("CREATE LOCAL TEMPORARY TABLE x (a int)")).isEqualTo(StatementKind.CREATE_TEMP_TABLE);
        assertThat(classify("create temp table x (a int)")).isEqualTo(StatementKind.CREATE_TEMP_TABLE);
        assertThat(classify("create table x (a int)")).isEqualTo(StatementKind.WRITE);
        assertThat(classify("create local view v as select 1")).isEqualTo(StatementKind.WRITE);
        assertThat(classify("DROP TABLE \"#Tableau_1\"")).isEqualTo(StatementKind.DROP_TABLE);
        assertThat(classify("drop view v")).isEqualTo(StatementKind.WRITE);
        assertThat(classify("declare \"SQL_CUR0x1\" cursor with hold for select 1")).isEqualTo(StatementKind.DECLARE);
        assertThat(classify("fetch 100 in \"SQL_CUR0x1\"")).isEqualTo(StatementKind.FETCH);
        assertThat(classify("MOVE 5 c")).isEqualTo(StatementKind.MOVE);
        assertThat(classify("close all")).isEqualTo(StatementKind.CLOSE);
        assertThat(classify("DEALLOCATE PREPARE ALL")).isEqualTo(StatementKind.DEALLOCATE);
        assertThat(classify("Truncate t")).isEqualTo(StatementKind.WRITE);
        assertThat(classify("explain select 1")).isEqualTo(StatementKind.EXPLAIN);
        assertThat(classify("EXPLAIN ANALYZE select 1")).isEqualTo(StatementKind.EXPLAIN);
        assertThat(classify(" /* only */ ")).isEqualTo(StatementKind.EMPTY);
    }

    @Test
    void leadingCommentsDoNotHideTheStatement()
    {
        // Redash prepends a block comment to every query; psql users write line comments
        assertThat(classify("/* Username: alice@example.com, query_id: 42, Queue: queries, Job ID: 5f1c, Query Hash: 0a1b2c, "
                + "Scheduled: False */ SELECT id, amount FROM public.orders LIMIT 1000")).isEqualTo(StatementKind.QUERY);
        assertThat(classify("/* Username: alice, query_id: adhoc */ set search_path to shop")).isEqualTo(StatementKind.SET);
        assertThat(classify("/* Username: alice */ SHOW TRANSACTION ISOLATION LEVEL")).isEqualTo(StatementKind.SHOW);
        assertThat(classify("/* a /* nested */ comment */ -- and a line\n  BEGIN")).isEqualTo(StatementKind.BEGIN);
        assertThat(classify("/* Username: alice */ insert into t values (1)")).isEqualTo(StatementKind.WRITE);
        assertThat(classify("/* Username: alice */ declare c cursor for select 1")).isEqualTo(StatementKind.DECLARE);
        assertThat(classify("-- x\n/* y */ fetch 10 from c")).isEqualTo(StatementKind.FETCH);
        assertThat(parse("/* Username: alice */ set search_path to shop"))
                .isEqualTo(new SessionStatement.Set("search_path", java.util.List.of("shop")));
        assertThat(parse("/* Username: alice */ show DateStyle")).isEqualTo(new SessionStatement.Show("datestyle"));
    }

    @Test
    void parsesCursorStatements()
    {
        assertThat(parse("declare \"SQL_CUR0x55fa3e511a10\" cursor with hold for SELECT \"orders\".\"id\" AS \"id\" FROM \"public\".\"orders\" \"orders\" LIMIT 1000"))
                .isEqualTo(new SessionStatement.Declare("SQL_CUR0x55fa3e511a10", false, false, true,
                        "SELECT \"orders\".\"id\" AS \"id\" FROM \"public\".\"orders\" \"orders\" LIMIT 1000"));
        assertThat(parse("DECLARE C1 BINARY INSENSITIVE NO SCROLL CURSOR WITHOUT HOLD FOR\n  select 1;"))
                .isEqualTo(new SessionStatement.Declare("c1", true, false, false, "select 1"));
        assertThat(parse("declare c scroll cursor for /* q */ values (1)"))
                .isEqualTo(new SessionStatement.Declare("c", false, true, false, "/* q */ values (1)"));

        SessionStatement.Fetch.Direction forward = SessionStatement.Fetch.Direction.FORWARD;
        assertThat(parse("fetch 100 in \"SQL_CUR0x1\"")).isEqualTo(new SessionStatement.Fetch(false, forward, 100, "SQL_CUR0x1"));
        assertThat(parse("FETCH c")).isEqualTo(new SessionStatement.Fetch(false, forward, 1, "c"));
        assertThat(parse("FETCH NEXT FROM c")).isEqualTo(new SessionStatement.Fetch(false, forward, 1, "c"));
        assertThat(parse("FETCH ALL FROM c")).isEqualTo(new SessionStatement.Fetch(false, forward, Long.MAX_VALUE, "c"));
        assertThat(parse("fetch forward 7 c")).isEqualTo(new SessionStatement.Fetch(false, forward, 7, "c"));
        assertThat(parse("fetch forward all in c")).isEqualTo(new SessionStatement.Fetch(false, forward, Long.MAX_VALUE, "c"));
        assertThat(parse("fetch -2 from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.BACKWARD, 2, "c"));
        assertThat(parse("fetch prior from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.BACKWARD, 1, "c"));
        assertThat(parse("fetch absolute 3 from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.ABSOLUTE, 3, "c"));
        assertThat(parse("fetch relative -1 from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.RELATIVE, -1, "c"));
        assertThat(parse("MOVE 5 IN c")).isEqualTo(new SessionStatement.Fetch(true, forward, 5, "c"));
        assertThatThrownBy(() -> parse("fetch 1 2 c")).hasMessageContaining("syntax error");
        assertThatThrownBy(() -> parse("fetch 1 from")).hasMessageContaining("syntax error");

        assertThat(parse("close \"SQL_CUR0x1\"")).isEqualTo(new SessionStatement.Close(java.util.Optional.of("SQL_CUR0x1")));
        assertThat(parse("CLOSE ALL")).isEqualTo(new SessionStatement.Close(java.util.Optional.empty()));
        assertThat(parse("deallocate prepare S_1")).isEqualTo(new SessionStatement.Deallocate(java.util.Optional.of("s_1")));
        assertThat(parse("DEALLOCATE ALL")).isEqualTo(new SessionStatement.Deallocate(java.util.Optional.empty()));
        assertThat(parse("discard temporary")).isEqualTo(new SessionStatement.Discard("TEMP"));
        assertThat(parse("DISCARD ALL")).isEqualTo(new SessionStatement.Discard("ALL"));
        assertThatThrownBy(() -> parse("discard everything")).hasMessageContaining("syntax error");
    }

    @Test
    void parsesTableauTempTables()
    {
        assertThat(parse("CREATE LOCAL TEMPORARY TABLE \"#Tableau___A_1_Connect_Check\" (\"COL\" INTEGER) ON COMMIT PRESERVE ROWS"))
                .isEqualTo(new SessionStatement.CreateTempTable("#Tableau___A_1_Connect_Check", false, false));
        assertThat(parse("create temp table if not exists x as select 1"))
                .isEqualTo(new SessionStatement.CreateTempTable("x", true, true));
        assertThat(parse("DROP TABLE \"#Tableau_1\""))
                .isEqualTo(new SessionStatement.DropTable(java.util.List.of("#Tableau_1"), false));
        assertThat(parse("drop table if exists pg_temp.\"#Tableau_1\", \"#Tableau_2\" cascade"))
                .isEqualTo(new SessionStatement.DropTable(java.util.List.of("#Tableau_1", "#Tableau_2"), true));
    }

    @Test
    void parsesSessionStatements()
    {
        assertThat(parse("SET DateStyle = 'ISO'")).isEqualTo(new SessionStatement.Set("datestyle", java.util.List.of("ISO")));
        assertThat(parse("set search_path to a, \"B\"")).isEqualTo(new SessionStatement.Set("search_path", java.util.List.of("a", "B")));
        assertThat(parse("SET SESSION extra_float_digits TO -3")).isEqualTo(new SessionStatement.Set("extra_float_digits", java.util.List.of("-3")));
        assertThat(parse("set time zone 'Asia/Tokyo'")).isEqualTo(new SessionStatement.Set("timezone", java.util.List.of("Asia/Tokyo")));
        assertThat(parse("SET application_name TO DEFAULT")).isEqualTo(new SessionStatement.Set("application_name", java.util.List.of()));
        assertThat(parse("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED"))
                .isEqualTo(new SessionStatement.Set("", java.util.List.of()));
        assertThat(parse("show \"lc_collate\"")).isEqualTo(new SessionStatement.Show("lc_collate"));
        assertThat(parse("SHOW TRANSACTION ISOLATION LEVEL")).isEqualTo(new SessionStatement.Show("transaction_isolation"));
        assertThat(parse("reset all")).isEqualTo(new SessionStatement.Reset(java.util.Optional.empty()));
        assertThat(parse("reset TimeZone")).isEqualTo(new SessionStatement.Reset(java.util.Optional.of("timezone")));
        assertThat(parse("SET LOCAL statement_timeout = 5")).isEqualTo(new SessionStatement.Set("statement_timeout", java.util.List.of("5"), true));
        assertThat(parse("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")).isEqualTo(new SessionStatement.Set("", java.util.List.of()));
        assertThat(parse("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isEqualTo(new SessionStatement.Set("", java.util.List.of()));
    }

    private static StatementKind classify(String sql)
    {
        return StatementParser.classify(SqlStatement.of(sql));
    }

    private static SessionStatement parse(String sql)
    {
        StatementParser.Parsed parsed = StatementParser.parse(SqlStatement.of(sql));
        return parsed.command().orElseThrow(() -> new AssertionError("not a session command: " + sql));
    }
}
