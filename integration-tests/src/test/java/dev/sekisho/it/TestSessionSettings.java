package dev.sekisho.it;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code current_setting} answers from the session's settings, as SHOW does, through the real gateway and pgjdbc. */
class TestSessionSettings
{
    @Test
    void currentSettingSeesTheSessionsSettings()
            throws SQLException
    {
        try (Connection connection = TestingGateway.shared().connect("alice"); Statement statement = connection.createStatement()) {
            statement.execute("SET application_name = 'weekly report'");
            statement.execute("SET search_path = shop, public");
            try (ResultSet rows = statement.executeQuery("select current_setting('application_name'), current_setting('search_path'), "
                    + "current_setting('timezone'), current_setting('server_version_num')")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("weekly report");
                assertThat(rows.getString(2)).isEqualTo(showValue(connection, "search_path")).contains("shop");
                // names are case-insensitive
                assertThat(rows.getString(3)).isEqualTo(showValue(connection, "TimeZone"));
                assertThat(rows.getString(4)).isEqualTo(showValue(connection, "server_version_num"));
            }
            // a setting only the session has (unknown ones are remembered, as PostgreSQL does for dotted names)
            statement.execute("SET sekisho_it.team = 'growth'");
            try (ResultSet rows = statement.executeQuery("select current_setting('sekisho_it.team'), current_setting('nobody.knows', true)")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("growth");
                assertThat(rows.getString(2)).isNull();
            }
            assertThatThrownBy(() -> statement.executeQuery("select current_setting('no_such_setting')"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42704"));
        }
    }

    private static String showValue(Connection connection, String name)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SHOW " + name)) {
            assertThat(rows.next()).isTrue();
            return rows.getString(1);
        }
    }
}
