package dev.sekisho.gateway.sql;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
        assertThat(StatementKind.classify("CREATE LOCAL TEMPORARY TABLE x (a int)")).isEqualTo(StatementKind.CREATE_TEMP_TABLE);
        assertThat(StatementKind.classify("create temp table x (a int)")).isEqualTo(StatementKind.CREATE_TEMP_TABLE);
        assertThat(StatementKind.classify("create table x (a int)")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("create local view v as select 1")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("DROP TABLE \"#Tableau_1\"")).isEqualTo(StatementKind.DROP_TABLE);
        assertThat(StatementKind.classify("drop view v")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("declare \"SQL_CUR0x1\" cursor with hold for select 1")).isEqualTo(StatementKind.DECLARE);
        assertThat(StatementKind.classify("fetch 100 in \"SQL_CUR0x1\"")).isEqualTo(StatementKind.FETCH);
        assertThat(StatementKind.classify("MOVE 5 c")).isEqualTo(StatementKind.MOVE);
        assertThat(StatementKind.classify("close all")).isEqualTo(StatementKind.CLOSE);
        assertThat(StatementKind.classify("DEALLOCATE PREPARE ALL")).isEqualTo(StatementKind.DEALLOCATE);
        assertThat(StatementKind.classify("Truncate t")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("explain select 1")).isEqualTo(StatementKind.OTHER);
        assertThat(StatementKind.classify(" /* only */ ")).isEqualTo(StatementKind.EMPTY);
    }

    @Test
    void leadingCommentsDoNotHideTheStatement()
    {
        // Redash prepends a block comment to every query; psql users write line comments
        assertThat(StatementKind.classify("/* Username: alice@example.com, query_id: 42, Queue: queries, Job ID: 5f1c, Query Hash: 0a1b2c, "
                + "Scheduled: False */ SELECT id, amount FROM public.orders LIMIT 1000")).isEqualTo(StatementKind.QUERY);
        assertThat(StatementKind.classify("/* Username: alice, query_id: adhoc */ set search_path to shop")).isEqualTo(StatementKind.SET);
        assertThat(StatementKind.classify("/* Username: alice */ SHOW TRANSACTION ISOLATION LEVEL")).isEqualTo(StatementKind.SHOW);
        assertThat(StatementKind.classify("/* a /* nested */ comment */ -- and a line\n  BEGIN")).isEqualTo(StatementKind.BEGIN);
        assertThat(StatementKind.classify("/* Username: alice */ insert into t values (1)")).isEqualTo(StatementKind.WRITE);
        assertThat(StatementKind.classify("/* Username: alice */ declare c cursor for select 1")).isEqualTo(StatementKind.DECLARE);
        assertThat(StatementKind.classify("-- x\n/* y */ fetch 10 from c")).isEqualTo(StatementKind.FETCH);
        assertThat(SessionStatement.parse("/* Username: alice */ set search_path to shop"))
                .isEqualTo(new SessionStatement.Set("search_path", java.util.List.of("shop")));
        assertThat(SessionStatement.parse("/* Username: alice */ show DateStyle")).isEqualTo(new SessionStatement.Show("datestyle"));
    }

    @Test
    void parsesCursorStatements()
    {
        assertThat(SessionStatement.parse("declare \"SQL_CUR0x55fa3e511a10\" cursor with hold for SELECT \"orders\".\"id\" AS \"id\" FROM \"public\".\"orders\" \"orders\" LIMIT 1000"))
                .isEqualTo(new SessionStatement.Declare("SQL_CUR0x55fa3e511a10", false, false, true,
                        "SELECT \"orders\".\"id\" AS \"id\" FROM \"public\".\"orders\" \"orders\" LIMIT 1000"));
        assertThat(SessionStatement.parse("DECLARE C1 BINARY INSENSITIVE NO SCROLL CURSOR WITHOUT HOLD FOR\n  select 1;"))
                .isEqualTo(new SessionStatement.Declare("c1", true, false, false, "select 1"));
        assertThat(SessionStatement.parse("declare c scroll cursor for /* q */ values (1)"))
                .isEqualTo(new SessionStatement.Declare("c", false, true, false, "/* q */ values (1)"));

        SessionStatement.Fetch.Direction forward = SessionStatement.Fetch.Direction.FORWARD;
        assertThat(SessionStatement.parse("fetch 100 in \"SQL_CUR0x1\"")).isEqualTo(new SessionStatement.Fetch(false, forward, 100, "SQL_CUR0x1"));
        assertThat(SessionStatement.parse("FETCH c")).isEqualTo(new SessionStatement.Fetch(false, forward, 1, "c"));
        assertThat(SessionStatement.parse("FETCH NEXT FROM c")).isEqualTo(new SessionStatement.Fetch(false, forward, 1, "c"));
        assertThat(SessionStatement.parse("FETCH ALL FROM c")).isEqualTo(new SessionStatement.Fetch(false, forward, Long.MAX_VALUE, "c"));
        assertThat(SessionStatement.parse("fetch forward 7 c")).isEqualTo(new SessionStatement.Fetch(false, forward, 7, "c"));
        assertThat(SessionStatement.parse("fetch forward all in c")).isEqualTo(new SessionStatement.Fetch(false, forward, Long.MAX_VALUE, "c"));
        assertThat(SessionStatement.parse("fetch -2 from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.BACKWARD, 2, "c"));
        assertThat(SessionStatement.parse("fetch prior from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.BACKWARD, 1, "c"));
        assertThat(SessionStatement.parse("fetch absolute 3 from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.ABSOLUTE, 3, "c"));
        assertThat(SessionStatement.parse("fetch relative -1 from c")).isEqualTo(new SessionStatement.Fetch(false, SessionStatement.Fetch.Direction.RELATIVE, -1, "c"));
        assertThat(SessionStatement.parse("MOVE 5 IN c")).isEqualTo(new SessionStatement.Fetch(true, forward, 5, "c"));
        assertThatThrownBy(() -> SessionStatement.parse("fetch 1 2 c")).hasMessageContaining("syntax error");
        assertThatThrownBy(() -> SessionStatement.parse("fetch 1 from")).hasMessageContaining("syntax error");

        assertThat(SessionStatement.parse("close \"SQL_CUR0x1\"")).isEqualTo(new SessionStatement.Close(java.util.Optional.of("SQL_CUR0x1")));
        assertThat(SessionStatement.parse("CLOSE ALL")).isEqualTo(new SessionStatement.Close(java.util.Optional.empty()));
        assertThat(SessionStatement.parse("deallocate prepare S_1")).isEqualTo(new SessionStatement.Deallocate(java.util.Optional.of("s_1")));
        assertThat(SessionStatement.parse("DEALLOCATE ALL")).isEqualTo(new SessionStatement.Deallocate(java.util.Optional.empty()));
        assertThat(SessionStatement.parse("discard temporary")).isEqualTo(new SessionStatement.Discard("TEMP"));
        assertThat(SessionStatement.parse("DISCARD ALL")).isEqualTo(new SessionStatement.Discard("ALL"));
        assertThatThrownBy(() -> SessionStatement.parse("discard everything")).hasMessageContaining("syntax error");
    }

    @Test
    void parsesTableauTempTables()
    {
        assertThat(SessionStatement.parse("CREATE LOCAL TEMPORARY TABLE \"#Tableau___A_1_Connect_Check\" (\"COL\" INTEGER) ON COMMIT PRESERVE ROWS"))
                .isEqualTo(new SessionStatement.CreateTempTable("#Tableau___A_1_Connect_Check", false, false));
        assertThat(SessionStatement.parse("create temp table if not exists x as select 1"))
                .isEqualTo(new SessionStatement.CreateTempTable("x", true, true));
        assertThat(SessionStatement.parse("DROP TABLE \"#Tableau_1\""))
                .isEqualTo(new SessionStatement.DropTable(java.util.List.of("#Tableau_1"), false));
        assertThat(SessionStatement.parse("drop table if exists pg_temp.\"#Tableau_1\", \"#Tableau_2\" cascade"))
                .isEqualTo(new SessionStatement.DropTable(java.util.List.of("#Tableau_1", "#Tableau_2"), true));
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
        assertThat(SessionStatement.parse("SET LOCAL statement_timeout = 5")).isEqualTo(new SessionStatement.Set("statement_timeout", java.util.List.of("5"), true));
        assertThat(SessionStatement.parse("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")).isEqualTo(new SessionStatement.Set("", java.util.List.of()));
        assertThat(SessionStatement.parse("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isEqualTo(new SessionStatement.Set("", java.util.List.of()));
    }
}
