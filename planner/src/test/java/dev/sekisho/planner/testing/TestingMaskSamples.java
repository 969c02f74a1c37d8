package dev.sekisho.planner.testing;

import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.mask.ReferenceMasks;
import dev.sekisho.policies.model.Mask;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.sekisho.planner.testing.TestingConnector.column;
import static dev.sekisho.planner.testing.TestingConnector.notNullColumn;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A table {@code shop.people} with one column per mask, its sample rows (Japanese phone formats,
 * short and empty values, NULL, non-ASCII names, odd e-mail addresses, halves and negatives,
 * dates and timestamps) and the value {@link ReferenceMasks} defines for each, to compare every
 * engine's masked output with. Shared with the integration tests (MariaDB) through the planner's
 * test jar, so that every engine is checked on the same samples.
 */
public final class TestingMaskSamples
{
    public static final String SALT = "pepper";

    public static final List<String> TEXTS = List.of(
            "090-1234-5678", "03-1234-5678", "+81 90 1234 5678", "+81-3-1234-5678", "(03) 1234-5678", "09012345678",
            "+1 (415) 555-0132", "tel. 090 1234 5678 (ext. 12)", "０９０－１２３４－５６７８", "5678", "123", "1", "", "a",
            "alice@example.com", "a@b.co.jp", "not-an-email", "x@y@z.com", "@example.com", "trailing@", "佐藤@例え.jp",
            "佐藤 陽翔", "Suzuki", "ab", "line\nbreak 12345", "it's \\ 0123456", "1234567890");
    public static final List<BigDecimal> DECIMALS = List.of(new BigDecimal("1249.99"), new BigDecimal("1250.00"), new BigDecimal("-1250.00"),
            new BigDecimal("49.99"), new BigDecimal("-49.99"), new BigDecimal("0.00"), new BigDecimal("50.00"), new BigDecimal("-50.00"),
            new BigDecimal("149.50"), new BigDecimal("99999999.99"));
    public static final List<Double> DOUBLES = List.of(0.74, 0.75, -0.75, 1.25, 3.0, -0.24, 0.25, -0.25, 0.35, -0.35, 0.05, 1.0E9 + 0.25);
    public static final List<Integer> INTEGERS = List.of(1249, 1250, -1250, 50, -50, 7, 149, -149, 0, 2_147_483_600);
    public static final List<LocalDate> DATES = List.of(LocalDate.of(1990, 6, 15), LocalDate.of(2024, 2, 29), LocalDate.of(2000, 1, 1),
            LocalDate.of(1969, 12, 31), LocalDate.of(1999, 12, 31));
    public static final List<LocalDateTime> TIMESTAMPS = List.of(LocalDateTime.of(2000, 12, 31, 23, 59, 59), LocalDateTime.of(2024, 2, 29, 12, 34, 56, 789_000_000),
            LocalDateTime.of(1970, 1, 1, 0, 0), LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_999_000));

    /** Column names, in table order; {@code id} first. */
    public static final List<String> COLUMNS = List.of("id", "p1", "p2", "p0", "pl", "em", "ph", "hs", "rd", "sq", "hi", "rn", "rb", "yd", "yt",
            "rdec", "rdbl", "rdbl1", "rint", "nu");

    // declared before POLICY, which reads it while the class initialises
    private static final String PEOPLE = """
              shop.people:
                allow: ["group:everyone"]
                columns:
                  p1:    {mask: {partial: {keep_first: 1}}}
                  p2:    {mask: {partial: {keep_first: 2, keep_last: 3, mask_char: '#'}}}
                  p0:    {mask: partial}
                  pl:    {mask: {partial: {keep_last: 4}}}
                  em:    {mask: email}
                  ph:    {mask: phone}
                  hs:    {mask: hash}
                  rd:    {mask: redact}
                  sq:    {mask: {sql: "concat(left(p1, 1), '***')"}}
                  hi:    {mask: hash}
                  rn:    {mask: redact}
                  rb:    {mask: redact}
                  yd:    {mask: year}
                  yt:    {mask: year}
                  rdec:  {mask: {round: 100}}
                  rdbl:  {mask: {round: 0.5}}
                  rdbl1: {mask: {round: 0.1}}
                  rint:  {mask: {round: 100}}
                  nu:    {mask: nullify}
            """;

    public static final String POLICY = policy("shop") + """
              aux.one:
                allow: ["group:everyone"]
            """;

    private TestingMaskSamples() {}

    /** A policy for {@code <schema>.people} with one mask per column, as the samples expect. */
    public static String policy(String schema)
    {
        return """
                tables:
                """ + PEOPLE.replace("shop.people", schema + ".people");
    }

    public static PolicySet policies()
    {
        return TestingPolicies.parse(POLICY);
    }

    public static List<ColumnMetadata> columns()
    {
        List<ColumnMetadata> columns = new ArrayList<>();
        columns.add(notNullColumn("id", ColumnType.of(Kind.INTEGER)));
        for (String name : List.of("p1", "p2", "p0", "pl", "em", "ph", "hs", "rd", "sq")) {
            columns.add(column(name, ColumnType.varchar(100)));
        }
        columns.add(column("hi", ColumnType.of(Kind.INTEGER)));
        columns.add(column("rn", ColumnType.decimal(10, 2)));
        columns.add(column("rb", ColumnType.of(Kind.BOOLEAN)));
        columns.add(column("yd", ColumnType.of(Kind.DATE)));
        columns.add(column("yt", ColumnType.timestamp(6)));
        columns.add(column("rdec", ColumnType.decimal(10, 2)));
        columns.add(column("rdbl", ColumnType.of(Kind.DOUBLE)));
        columns.add(column("rdbl1", ColumnType.of(Kind.DOUBLE)));
        columns.add(column("rint", ColumnType.of(Kind.INTEGER)));
        columns.add(column("nu", ColumnType.of(Kind.TEXT)));
        return columns;
    }

    /** One row per text sample and a last row of NULLs; the other columns cycle through their samples. */
    public static List<List<Object>> rows()
    {
        List<List<Object>> rows = new ArrayList<>();
        for (int id = 0; id < TEXTS.size(); id++) {
            String text = TEXTS.get(id);
            List<Object> row = new ArrayList<>();
            row.add(id);
            for (int i = 0; i < 9; i++) {
                row.add(text);
            }
            row.add(id * 37 - 100);
            row.add(DECIMALS.get(id % DECIMALS.size()));
            row.add(id % 2 == 0);
            row.add(DATES.get(id % DATES.size()));
            row.add(TIMESTAMPS.get(id % TIMESTAMPS.size()));
            row.add(DECIMALS.get(id % DECIMALS.size()));
            row.add(DOUBLES.get(id % DOUBLES.size()));
            row.add(DOUBLES.get((id + 3) % DOUBLES.size()));
            row.add(INTEGERS.get(id % INTEGERS.size()));
            row.add(text);
            rows.add(row);
        }
        List<Object> nulls = new ArrayList<>(Arrays.asList(new Object[COLUMNS.size()]));
        nulls.set(0, TEXTS.size());
        rows.add(nulls);
        return rows;
    }

    /** The masked value of column {@code name} whose raw value is {@code raw}, as {@link ReferenceMasks} defines it. */
    public static Object expected(String name, Object raw)
    {
        return switch (name) {
            case "id" -> raw;
            case "p1" -> ReferenceMasks.partial((String) raw, new Mask.Partial(1, 0, "*"));
            case "p2" -> ReferenceMasks.partial((String) raw, new Mask.Partial(2, 3, "#"));
            case "p0" -> ReferenceMasks.partial((String) raw, new Mask.Partial(0, 0, "*"));
            case "pl" -> ReferenceMasks.partial((String) raw, new Mask.Partial(0, 4, "*"));
            case "em" -> ReferenceMasks.email((String) raw);
            case "ph" -> ReferenceMasks.phone((String) raw);
            case "hs" -> ReferenceMasks.hash(SALT, (String) raw);
            case "rd" -> ReferenceMasks.REDACTED_TEXT;
            // PostgreSQL: concat() skips NULL arguments, left('', 1) is ''
            case "sq" -> (raw == null || ((String) raw).isEmpty() ? "" : ((String) raw).substring(0, ((String) raw).offsetByCodePoints(0, 1))) + "***";
            case "hi" -> raw == null ? null : ReferenceMasks.hash(SALT, raw.toString());
            case "rn" -> ReferenceMasks.REDACTED_NUMBER;
            case "rb" -> false;
            case "yd" -> ReferenceMasks.year((LocalDate) raw);
            case "yt" -> ReferenceMasks.year((LocalDateTime) raw);
            case "rdec" -> raw == null ? null : ReferenceMasks.round((BigDecimal) raw, new BigDecimal("100"));
            case "rdbl" -> raw == null ? null : ReferenceMasks.round(BigDecimal.valueOf((Double) raw), new BigDecimal("0.5"));
            case "rdbl1" -> raw == null ? null : ReferenceMasks.round(BigDecimal.valueOf((Double) raw), new BigDecimal("0.1"));
            case "rint" -> raw == null ? null : ReferenceMasks.round(BigDecimal.valueOf((Integer) raw), new BigDecimal("100"));
            case "nu" -> null;
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * Asserts that {@code actual} (one row per id, in any order, columns as in {@link #COLUMNS})
     * holds the reference value of every sample; numbers compare by value.
     */
    public static void assertMasked(String engine, List<List<Object>> actual)
    {
        List<List<Object>> source = rows();
        assertThat(actual).as(engine + " rows").hasSize(source.size());
        for (List<Object> row : actual) {
            assertThat(row).as(engine + " row").hasSize(COLUMNS.size());
            int id = ((Number) row.get(0)).intValue();
            for (int i = 1; i < COLUMNS.size(); i++) {
                String name = COLUMNS.get(i);
                Object raw = source.get(id).get(i);
                Object expected = expected(name, raw);
                Object value = row.get(i);
                String description = "%s: mask of column %s over %s".formatted(engine, name, raw instanceof String text ? "'" + text + "'" : raw);
                if (expected instanceof BigDecimal decimal) {
                    assertThat(value).as(description).isNotNull();
                    assertThat(new BigDecimal(value.toString())).as(description).isEqualByComparingTo(decimal);
                }
                else {
                    assertThat(value).as(description).isEqualTo(expected);
                }
            }
        }
    }
}
