package dev.sekisho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL's C collation on a MySQL source, measured on MariaDB: the exact (byte) comparison
 * alone cannot use an index on a case-insensitive column, the collation's comparison ANDed with it
 * can: the form the MySQL dialect is to generate (see docs/postgres-compatibility.md). The probe
 * table lives in a database of its own that no gateway exposes.
 */
class TestTextCollation
{
    private static TestingGateway gateway;
    private static Connection direct;

    @BeforeAll
    static void setUp()
            throws SQLException
    {
        gateway = TestingGateway.shared();
        direct = gateway.connectDirect("shop");
        try (Statement statement = direct.createStatement()) {
            statement.execute("CREATE DATABASE IF NOT EXISTS sekisho_probe CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            statement.execute("DROP TABLE IF EXISTS sekisho_probe.names");
            statement.execute("CREATE TABLE sekisho_probe.names (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL, KEY names_name (name))");
            statement.execute("INSERT INTO sekisho_probe.names SELECT seq, CONCAT(ELT(1 + seq % 3, 'alpha', 'Alpha', 'ALPHA '), seq % 500) FROM seq_1_to_5000");
            statement.execute("ANALYZE TABLE sekisho_probe.names");
        }
    }

    @AfterAll
    static void tearDown()
            throws SQLException
    {
        if (direct != null) {
            try (Statement statement = direct.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS sekisho_probe");
            }
            direct.close();
        }
    }

    @Test
    void theCollationsEqualityKeepsTheIndexTheBytesAloneDoNot()
            throws SQLException
    {
        String exact = "CAST(`name` AS BINARY) = CAST('Alpha7' AS BINARY)";
        // bytes alone: every index entry is read (type index, or ALL), none looked up
        assertThat(access("SELECT id FROM sekisho_probe.names WHERE " + exact)).isIn("index names_name", "ALL null");
        assertThat(access("SELECT id FROM sekisho_probe.names WHERE `name` = 'Alpha7' AND " + exact)).isEqualTo("ref names_name");
        assertThat(access("SELECT id FROM sekisho_probe.names WHERE `name` LIKE 'Alpha7%' AND (CONVERT(`name` USING utf8mb4) COLLATE utf8mb4_bin) LIKE 'Alpha7%'"))
                .isEqualTo("range names_name");
        // and the combined predicate answers as PostgreSQL: only the exact spelling
        long spelledExactly = 0;
        try (Statement statement = direct.createStatement(); ResultSet resultSet = statement.executeQuery("SELECT name FROM sekisho_probe.names")) {
            while (resultSet.next()) {
                spelledExactly += resultSet.getString(1).equals("Alpha7") ? 1 : 0;
            }
        }
        assertThat(spelledExactly).isPositive();
        assertThat(count("SELECT count(*) FROM sekisho_probe.names WHERE `name` = 'Alpha7'")).as("the collation's equality").isGreaterThan(spelledExactly);
        assertThat(count("SELECT count(*) FROM sekisho_probe.names WHERE `name` = 'Alpha7' AND " + exact)).isEqualTo(spelledExactly);
    }

    /** MariaDB's access type and key for the statement: "ref names_name" is an index lookup. */
    private static String access(String sql)
            throws SQLException
    {
        try (Statement statement = direct.createStatement(); ResultSet resultSet = statement.executeQuery("EXPLAIN " + sql)) {
            assertThat(resultSet.next()).isTrue();
            return resultSet.getString("type") + " " + resultSet.getString("key");
        }
    }

    private static long count(String sql)
            throws SQLException
    {
        try (Statement statement = direct.createStatement(); ResultSet resultSet = statement.executeQuery(sql)) {
            resultSet.next();
            return resultSet.getLong(1);
        }
    }
}
