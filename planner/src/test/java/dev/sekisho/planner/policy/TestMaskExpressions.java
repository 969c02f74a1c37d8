package dev.sekisho.planner.policy;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.sql.Dialects;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.mask.ReferenceMasks;
import dev.sekisho.policies.model.Mask;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingConnector.notNullColumn;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mask's value computed by Calcite's local engine (the federated fallback) equals
 * {@link ReferenceMasks}, and the MySQL text of every mask is the portable form.
 */
class TestMaskExpressions
{
    private static final String SALT = "pepper";

    private static final List<String> TEXTS = List.of(
            "090-1234-5678", "03-1234-5678", "+81 90 1234 5678", "+81-3-1234-5678", "(03) 1234-5678", "09012345678", "+1 (415) 555-0132",
            "5678", "", "alice@example.com", "a@b.co.jp", "not-an-email", "x@y@z.com", "佐藤 陽翔", "Suzuki", "abc", "1234567890");

    private static final PolicySet POLICIES = TestingPolicies.parse("""
            tables:
              shop.people:
                allow: ["group:everyone"]
                columns:
                  p1:   {mask: {partial: {keep_first: 1}}}
                  p2:   {mask: {partial: {keep_first: 2, keep_last: 3, mask_char: '#'}}}
                  p0:   {mask: partial}
                  pl:   {mask: {partial: {keep_last: 4}}}
                  em:   {mask: email}
                  ph:   {mask: phone}
                  hs:   {mask: hash}
                  hi:   {mask: hash}
                  rd:   {mask: redact}
                  rn:   {mask: redact}
                  rb:   {mask: redact}
                  yd:   {mask: year}
                  yt:   {mask: year}
                  rdec: {mask: {round: 100}}
                  rdbl: {mask: {round: 0.5}}
                  rint: {mask: {round: 100}}
                  nu:   {mask: nullify}
                  sq:   {mask: {sql: "concat(left(p1, 1), '***')"}}
              aux.one:
                allow: ["group:everyone"]
            """);

    @Test
    void localEvaluationEqualsReference()
    {
        TestingConnector shop = people();
        TestingConnector other = new TestingConnector("other", SqlDialectKind.MYSQL);
        other.addTable("aux", "one", List.of(notNullColumn("x", ColumnType.of(Kind.INTEGER))), List.of(row(1)));
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(shop, other), PlannerOptions.defaults().withHashSalt(SALT));
        PreparedQuery query = planner.prepare("SELECT p.*, o.x FROM people p CROSS JOIN aux.one o ORDER BY p.id", List.of(),
                TestingPolicies.session(Principal.of("alice"), POLICIES));
        assertThat(query.isFullyPushedDown()).isFalse();
        List<List<Object>> rows = TestingShop.readAll(query.execute(List.of(), TestingShop.context()));
        assertThat(rows).hasSize(TEXTS.size() + 1);
        for (List<Object> actual : rows) {
            int id = (Integer) actual.get(0);
            List<Object> source = sourceRow(id);
            String text = (String) source.get(1);
            assertThat(actual.get(1)).as("p1 of %s", text).isEqualTo(ReferenceMasks.partial(text, new Mask.Partial(1, 0, "*")));
            assertThat(actual.get(2)).as("p2 of %s", text).isEqualTo(ReferenceMasks.partial(text, new Mask.Partial(2, 3, "#")));
            assertThat(actual.get(3)).as("p0 of %s", text).isEqualTo(ReferenceMasks.partial(text, new Mask.Partial(0, 0, "*")));
            assertThat(actual.get(4)).as("pl of %s", text).isEqualTo(ReferenceMasks.partial(text, new Mask.Partial(0, 4, "*")));
            assertThat(actual.get(5)).as("email of %s", text).isEqualTo(ReferenceMasks.email(text));
            assertThat(actual.get(6)).as("phone of %s", text).isEqualTo(ReferenceMasks.phone(text));
            assertThat(actual.get(7)).as("hash of %s", text).isEqualTo(ReferenceMasks.hash(SALT, text));
            Integer code = (Integer) source.get(8);
            assertThat(actual.get(8)).as("hash of %s", code).isEqualTo(code == null ? null : ReferenceMasks.hash(SALT, code.toString()));
            assertThat(actual.get(9)).isEqualTo(ReferenceMasks.REDACTED_TEXT);
            assertThat((BigDecimal) actual.get(10)).isEqualByComparingTo(ReferenceMasks.REDACTED_NUMBER);
            assertThat(actual.get(11)).isEqualTo(false);
            assertThat(actual.get(12)).isEqualTo(ReferenceMasks.year((LocalDate) source.get(12)));
            assertThat(actual.get(13)).isEqualTo(ReferenceMasks.year((LocalDateTime) source.get(13)));
            BigDecimal decimal = (BigDecimal) source.get(14);
            assertDecimal(actual.get(14), decimal == null ? null : ReferenceMasks.round(decimal, new BigDecimal("100")), "round decimal " + decimal);
            Double dbl = (Double) source.get(15);
            assertDecimal(actual.get(15), dbl == null ? null : ReferenceMasks.round(BigDecimal.valueOf(dbl), new BigDecimal("0.5")), "round double " + dbl);
            Integer integer = (Integer) source.get(16);
            assertDecimal(actual.get(16), integer == null ? null : ReferenceMasks.round(BigDecimal.valueOf(integer), new BigDecimal("100")), "round int " + integer);
            assertThat(actual.get(17)).isNull();
            // PostgreSQL's concat() skips NULL arguments
            assertThat(actual.get(18)).isEqualTo(text == null || text.isEmpty() ? "***" : text.substring(0, 1) + "***");
        }
    }

    @Test
    void mysqlText()
    {
        TestingConnector shop = people();
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(shop), PlannerOptions.defaults().withHashSalt(SALT));
        PreparedQuery query = planner.prepare("SELECT * FROM people", List.of(), TestingPolicies.session(Principal.of("alice"), POLICIES));
        assertThat(query.isFullyPushedDown()).isTrue();
        query.execute(List.of(), TestingShop.context()).close();
        String sql = shop.lastQuery().sql();
        assertThat(sql).doesNotContain(SALT);
        assertThat(shop.lastQuery().parameters()).containsExactly(SALT, SALT);
        assertThat(sql).contains("SHA2(CONCAT(?, `hs`), 256)");
        assertThat(sql).contains("REGEXP_REPLACE(`ph`, '" + Dialects.PHONE_MASK_PATTERN + "', '*')");
        assertThat(sql).contains("MAKEDATE(YEAR(`yd`), 1)");
        assertThat(sql).contains("REVERSE(`em`)");
        assertThat(sql).contains("REPEAT(");
    }

    private static void assertDecimal(Object actual, BigDecimal expected, String description)
    {
        if (expected == null) {
            assertThat(actual).as(description).isNull();
            return;
        }
        assertThat(new BigDecimal(actual.toString())).as(description).isEqualByComparingTo(expected);
    }

    private static final List<BigDecimal> DECIMALS = List.of(new BigDecimal("1249.99"), new BigDecimal("1250.00"), new BigDecimal("-1250.00"),
            new BigDecimal("49.99"), new BigDecimal("-49.99"), new BigDecimal("0.00"));
    private static final List<Double> DOUBLES = List.of(0.74, 0.75, -0.75, 1.25, 3.0, -0.24);
    private static final List<Integer> INTEGERS = List.of(1249, 1250, -1250, 50, -50, 7);

    private static List<Object> sourceRow(int id)
    {
        if (id == TEXTS.size()) {
            return java.util.Arrays.asList(id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        String text = TEXTS.get(id);
        List<Object> row = new ArrayList<>(java.util.Arrays.asList(id, text, text, text, text, text, text, text));
        row.add(id * 37 - 100);
        row.add(text);
        row.add(new BigDecimal(id));
        row.add(id % 2 == 0);
        row.add(LocalDate.of(1990 + id, 1 + id % 12, 1 + id));
        row.add(LocalDateTime.of(2000 + id, 12, 31, 23, 59, 59));
        row.add(DECIMALS.get(id % DECIMALS.size()));
        row.add(DOUBLES.get(id % DOUBLES.size()));
        row.add(INTEGERS.get(id % INTEGERS.size()));
        row.add(text);
        row.add(text);
        return row;
    }

    private static TestingConnector people()
    {
        List<ColumnMetadata> columns = new ArrayList<>();
        columns.add(notNullColumn("id", ColumnType.of(Kind.INTEGER)));
        for (String name : List.of("p1", "p2", "p0", "pl", "em", "ph", "hs")) {
            columns.add(column(name, ColumnType.varchar(100)));
        }
        columns.add(column("hi", ColumnType.of(Kind.INTEGER)));
        columns.add(column("rd", ColumnType.varchar(100)));
        columns.add(column("rn", ColumnType.decimal(10, 2)));
        columns.add(column("rb", ColumnType.of(Kind.BOOLEAN)));
        columns.add(column("yd", ColumnType.of(Kind.DATE)));
        columns.add(column("yt", ColumnType.timestamp(0)));
        columns.add(column("rdec", ColumnType.decimal(10, 2)));
        columns.add(column("rdbl", ColumnType.of(Kind.DOUBLE)));
        columns.add(column("rint", ColumnType.of(Kind.INTEGER)));
        columns.add(column("nu", ColumnType.of(Kind.TEXT)));
        columns.add(column("sq", ColumnType.varchar(100)));
        List<List<Object>> rows = new ArrayList<>();
        for (int id = 0; id <= TEXTS.size(); id++) {
            rows.add(sourceRow(id));
        }
        TestingConnector connector = new TestingConnector("shopdb", SqlDialectKind.MYSQL);
        connector.addTable("shop", "people", columns, rows);
        return connector;
    }
}
