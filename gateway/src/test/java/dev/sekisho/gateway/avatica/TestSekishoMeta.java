package dev.sekisho.gateway.avatica;

import dev.sekisho.gateway.execution.ClientConnections;
import dev.sekisho.gateway.execution.Sessions;
import dev.sekisho.gateway.execution.StatementPipeline;
import dev.sekisho.gateway.pgwire.TestingQueryPlanner;
import dev.sekisho.gateway.session.SessionPolicies;
import dev.sekisho.policies.Principal;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Avatica {@code Meta} over sessions, called directly: connections belong to the principal that
 * opened them, the shared connection limit holds, and JDBC's placeholders reach the session as
 * PostgreSQL's.
 */
class TestSekishoMeta
{
    private static final Principal ALICE = new Principal("alice", Set.of(), Map.of());
    private static final Principal BOB = new Principal("bob", Set.of(), Map.of());

    private final Sessions sessions = new Sessions(new TestingQueryPlanner(), SessionPolicies.disabled(), List.of("shop"), StatementPipeline.defaults());

    @Test
    void aConnectionIsOnlyForThePrincipalThatOpenedIt()
    {
        SekishoMeta meta = new SekishoMeta(new RemoteConnections(sessions, new ClientConnections(10)), 100);
        Meta.ConnectionHandle handle = new Meta.ConnectionHandle("c1");
        AvaticaCaller.as(ALICE, () -> {
            meta.openConnection(handle, Map.of("password", "not for the session"));
            return null;
        });
        Meta.StatementHandle statement = AvaticaCaller.as(ALICE, () -> meta.prepare(handle, "select 1", -1));
        assertThat(statement.signature.columns).hasSize(1);
        assertThatThrownBy(() -> AvaticaCaller.as(BOB, () -> meta.prepare(handle, "select 1", -1)))
                .isInstanceOf(AvaticaRuntimeException.class)
                .satisfies(e -> assertThat(((AvaticaRuntimeException) e).getSqlState()).isEqualTo("28000"));
        assertThatThrownBy(() -> AvaticaCaller.as(BOB, () -> {
            meta.openConnection(handle, Map.of());
            return null;
        })).isInstanceOf(AvaticaRuntimeException.class);
        AvaticaCaller.as(ALICE, () -> {
            meta.closeConnection(handle);
            return null;
        });
        assertThat(sessions.size()).isZero();
    }

    @Test
    void theConnectionLimitCountsEverySession()
    {
        SekishoMeta meta = new SekishoMeta(new RemoteConnections(sessions, new ClientConnections(1)), 100);
        AvaticaCaller.as(ALICE, () -> {
            meta.openConnection(new Meta.ConnectionHandle("first"), Map.of());
            return null;
        });
        assertThatThrownBy(() -> AvaticaCaller.as(ALICE, () -> {
            meta.openConnection(new Meta.ConnectionHandle("second"), Map.of());
            return null;
        })).isInstanceOf(AvaticaRuntimeException.class)
                .satisfies(e -> assertThat(((AvaticaRuntimeException) e).getSqlState()).isEqualTo("53300"));
        AvaticaCaller.as(ALICE, () -> {
            meta.closeConnection(new Meta.ConnectionHandle("first"));
            return null;
        });
    }

    @Test
    void jdbcPlaceholdersBecomePostgresParameters()
    {
        assertThat(JdbcPlaceholders.toPostgres("select * from people where id = ?")).isEqualTo("select * from people where id = $1");
        assertThat(JdbcPlaceholders.toPostgres("select '?', \"a?\" /* ? */ from t where a=? and b = ?")).isEqualTo("select '?', \"a?\" /* ? */ from t where a= $1 and b = $2");
        assertThat(JdbcPlaceholders.toPostgres("select ?and")).isEqualTo("select $1 and");
        assertThat(JdbcPlaceholders.toPostgres("select doc ?? 'key' from t")).isEqualTo("select doc ? 'key' from t");
    }
}
