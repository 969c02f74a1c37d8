package dev.sekisho.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.sekisho.it.QueryAssertions.assertSameRows;
import static dev.sekisho.it.QueryAssertions.normalize;
import static dev.sekisho.it.QueryAssertions.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SQLAlchemy with psycopg2 ({@code postgresql+psycopg2://}, Jupyter's and Superset's path) through
 * {@code clients/sqlalchemy_client.py}: the dialect's first-connect probes, a bound-parameter query
 * and the Inspector. Skipped when {@code /usr/bin/python3} cannot import sqlalchemy and psycopg2.
 */
class TestSqlAlchemy
{
    private static TestingGateway gateway;

    @BeforeAll
    static void setUp()
            throws InterruptedException
    {
        String missing = ClientProcess.missingPythonModules("python3-sqlalchemy python3-psycopg2", "sqlalchemy", "psycopg2");
        if (missing != null) {
            System.out.println("TestSqlAlchemy skipped: " + missing);
        }
        assumeTrue(missing == null, missing);
        gateway = TestingGateway.shared();
    }

    @Test
    void query()
            throws Exception
    {
        JsonNode result = ClientProcess.runPythonClient("sqlalchemy_client.py", gateway, "bob", Map.of(), "query");
        // the dialect parsed version() on connect
        assertThat(result.at("/server_version_info/0").asInt()).isGreaterThanOrEqualTo(12);
        List<List<Object>> gatewayRows = new ArrayList<>();
        for (JsonNode row : result.get("rows")) {
            gatewayRows.add(List.of(
                    normalize(row.get(0).bigIntegerValue()),
                    row.get(1).asText(),
                    LocalDate.parse(row.get(2).asText()),
                    LocalDateTime.parse(row.get(3).asText())));
        }
        try (Connection direct = gateway.connectDirect("shop")) {
            assertSameRows(gatewayRows, rows(direct, "select id, name, birth_date, created_at from customers where id <= 5 order by id"));
        }
    }

    @Test
    void inspector()
            throws Exception
    {
        JsonNode result = ClientProcess.runPythonClient("sqlalchemy_client.py", gateway, "bob", Map.of(), "inspect");
        assertThat(result.has("schemas")).as(result.toString()).isTrue();
        assertThat(result.get("schemas")).extracting(JsonNode::asText).contains("shop", "it");
        assertThat(result.get("tables")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("customers", "orders", "order_items", "products");
        assertThat(result.has("columns")).as("Inspector.get_columns: %s", result).isTrue();
        assertThat(result.get("columns")).extracting(JsonNode::toString).containsExactly(
                "[\"id\",\"INTEGER\",false]",
                "[\"name\",\"VARCHAR(100)\",false]",
                "[\"email\",\"VARCHAR(200)\",true]",
                "[\"phone\",\"VARCHAR(20)\",true]",
                "[\"region\",\"CHAR(2)\",false]",
                "[\"segment\",\"VARCHAR(20)\",false]",
                "[\"birth_date\",\"DATE\",true]",
                "[\"created_at\",\"TIMESTAMP\",false]",
                "[\"is_active\",\"BOOLEAN\",false]");
        assertThat(result.has("primary_key")).as("Inspector.get_pk_constraint: %s", result).isTrue();
        assertThat(result.get("primary_key")).extracting(JsonNode::asText).containsExactly("id");
    }
}
