package dev.sekisho.gateway.audit;

import dev.sekisho.gateway.sql.RedashAnnotation;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TestStatementDigest
{
    @Test
    void literalsDoNotChangeTheDigest()
    {
        StatementDigest first = StatementDigest.of("SELECT name FROM shop.customers WHERE id = 42 AND email = 'a@example.com'");
        StatementDigest second = StatementDigest.of("select  name from shop.customers\n where id = 7 and email = 'b@example.com' -- again");
        assertThat(first.normalized()).isEqualTo("select name from shop . customers where id = ? and email = ?");
        assertThat(second.digest()).isEqualTo(first.digest()).hasSize(16);
        assertThat(StatementDigest.of("SELECT name FROM shop.orders WHERE id = 42").digest()).isNotEqualTo(first.digest());
    }

    @Test
    void passwordsAreReplacedInTheRecordedText()
    {
        assertThat(StatementDigest.of("ALTER ROLE alice PASSWORD 'hunter2'").sql()).isEqualTo("ALTER ROLE alice PASSWORD '***'");
        assertThat(StatementDigest.of("CREATE USER bob IDENTIFIED BY 's3cret' /* x */").sql()).isEqualTo("CREATE USER bob IDENTIFIED BY '***' /* x */");
        assertThat(StatementDigest.of("SELECT 'password' AS word").sql()).isEqualTo("SELECT 'password' AS word");
    }

    @Test
    void anUnterminatedPasswordIsReplacedToo()
    {
        assertThat(StatementDigest.of("ALTER ROLE alice PASSWORD 'hunter2").sql()).doesNotContain("hunter2");
    }

    @Test
    void redashAnnotationNamesTheEndUserAndQuery()
    {
        assertThat(RedashAnnotation.find("/* Username: kim@example.com, query_id: 42, Queue: queries, Job ID: x, Query Hash: y, Scheduled: False */ SELECT 1"))
                .contains(new RedashAnnotation("kim@example.com", Optional.of("42"), Optional.of(false)));
        assertThat(RedashAnnotation.find("/* Username: kim@example.com, query_id: adhoc, Queue: queries */ SELECT 1"))
                .contains(new RedashAnnotation("kim@example.com", Optional.empty(), Optional.empty()));
        assertThat(RedashAnnotation.find("SELECT 1 /* Username: x, query_id: 1 */")).isEmpty();
    }
}
