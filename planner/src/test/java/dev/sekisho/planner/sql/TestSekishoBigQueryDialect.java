package dev.sekisho.planner.sql;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.TableContent;
import com.google.zetasql.Type;
import com.google.zetasql.TypeFactory;
import com.google.zetasql.Value;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions.ParameterMode;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.ZetaSQLType.TypeKind;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ColumnType;
import dev.sekisho.planner.spi.ColumnType.Kind;
import dev.sekisho.planner.spi.SqlDialectKind;
import dev.sekisho.planner.testing.TestingConnector;
import dev.sekisho.planner.testing.TestingMaskSamples;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.Principal;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.sekisho.planner.testing.TestingConnector.notNullColumn;
import static dev.sekisho.planner.testing.TestingShop.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BigQuery SQL of every mask, checked with Google's ZetaSQL (BigQuery's SQL front end and
 * reference implementation): it analyses as GoogleSQL, and evaluated over the sample rows it gives
 * exactly the {@link dev.sekisho.policies.mask.ReferenceMasks} values, as the gateway's local
 * evaluation does. Not checked against the BigQuery service itself.
 */
class TestSekishoBigQueryDialect
{
    @Test
    void masksInZetaSqlEqualReference()
    {
        BackendQuery query = pushedDownBigQuery();
        String sql = query.sql();
        assertThat(sql).doesNotContain(TestingMaskSamples.SALT);
        assertThat(sql).contains("TO_HEX(SHA256(? || hs))", "DATE_TRUNC(yd, YEAR)", "REGEXP_EXTRACT(ph, ", "NUMERIC '0.5'", "BIGNUMERIC(38, 10)");
        assertThat(sql).doesNotContain("(?=", "_UTF", "FLOOR(");
        assertThat(query.parameters()).containsExactly(TestingMaskSamples.SALT, TestingMaskSamples.SALT);

        // analysed as GoogleSQL with BigQuery's positional parameters and dataset-qualified table
        AnalyzerOptions analyzerOptions = analyzerOptions();
        analyzerOptions.setParameterMode(ParameterMode.PARAMETER_POSITIONAL);
        query.parameters().forEach(parameter -> analyzerOptions.addPositionalQueryParameter(TypeFactory.createSimpleType(TypeKind.TYPE_STRING)));
        SimpleCatalog analysisCatalog = catalog();
        analysisCatalog.addNewSimpleCatalog("shop").addSimpleTable("people", table("people"));
        Analyzer.analyzeStatement(sql, analyzerOptions, analysisCatalog);

        // evaluated by the reference implementation, which binds named parameters and reads root tables only
        assertThat(sql).contains(" FROM shop.people");
        String executable = namedParameters(sql).replace(" FROM shop.people", " FROM people");
        AnalyzerOptions executionOptions = analyzerOptions();
        Map<String, Value> parameters = new HashMap<>();
        for (int i = 0; i < query.parameters().size(); i++) {
            executionOptions.addQueryParameter("p" + i, TypeFactory.createSimpleType(TypeKind.TYPE_STRING));
            parameters.put("p" + i, Value.createStringValue((String) query.parameters().get(i)));
        }
        SimpleCatalog executionCatalog = catalog();
        executionCatalog.addSimpleTable(table("people"));
        List<List<Object>> rows = new ArrayList<>();
        try (com.google.zetasql.PreparedQuery prepared = com.google.zetasql.PreparedQuery.builder()
                .setSql(executable)
                .setAnalyzerOptions(executionOptions)
                .setCatalog(executionCatalog)
                .setTablesContents(Map.of("people", contents()))
                .prepare()) {
            assertThat(prepared.getColumns()).extracting(SimpleColumn::getName).containsExactlyElementsOf(TestingMaskSamples.COLUMNS);
            for (List<Value> row : prepared.execute(parameters).getTableData()) {
                rows.add(row.stream().map(TestSekishoBigQueryDialect::javaValue).toList());
            }
        }
        TestingMaskSamples.assertMasked("ZetaSQL", rows);
    }

    @Test
    void masksInGatewayEqualReference()
    {
        TestingConnector shop = new TestingConnector("shopdb", SqlDialectKind.MYSQL);
        shop.addTable("shop", "people", TestingMaskSamples.columns(), TestingMaskSamples.rows());
        TestingConnector other = new TestingConnector("other", SqlDialectKind.MYSQL);
        other.addTable("aux", "one", List.of(notNullColumn("x", ColumnType.of(Kind.INTEGER))), List.of(row(1)));
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(shop, other), PlannerOptions.defaults().withHashSalt(TestingMaskSamples.SALT));
        // a join across two sources: the masks run in the gateway
        PreparedQuery query = planner.prepare("SELECT p.* FROM people p CROSS JOIN aux.one o", List.of(),
                TestingPolicies.session(Principal.of("alice"), TestingMaskSamples.policies()));
        assertThat(query.isFullyPushedDown()).isFalse();
        TestingMaskSamples.assertMasked("Calcite", TestingShop.readAll(query.execute(List.of(), TestingShop.context())));
    }

    @Test
    void lookAheadIsNotValidInBigQuery()
    {
        // why the phone mask needs its own BigQuery form: RE2 rejects the portable pattern
        SimpleCatalog catalog = catalog();
        catalog.addSimpleTable(table("people"));
        String sql = "SELECT REGEXP_REPLACE(ph, '" + Dialects.PHONE_MASK_PATTERN + "', '*') FROM people";
        AnalyzerOptions options = analyzerOptions();
        try (com.google.zetasql.PreparedQuery prepared = com.google.zetasql.PreparedQuery.builder()
                .setSql(sql)
                .setAnalyzerOptions(options)
                .setCatalog(catalog)
                .setTablesContents(Map.of("people", contents()))
                .prepare()) {
            assertThatThrownBy(() -> prepared.execute(Map.of())).hasMessageContaining("invalid perl operator");
        }
    }

    @Test
    void literalsAndCasts()
    {
        SekishoBigQueryDialect dialect = SekishoBigQueryDialect.INSTANCE;
        assertThat(dialect.quoteStringLiteral("it's a \\ path\nnext")).isEqualTo("'it\\'s a \\\\ path\\nnext'");
        assertThat(dialect.quoteStringLiteral("佐藤")).isEqualTo("'佐藤'");
    }

    private static BackendQuery pushedDownBigQuery()
    {
        TestingConnector warehouse = new TestingConnector("warehouse", SqlDialectKind.BIGQUERY);
        warehouse.addTable("shop", "people", TestingMaskSamples.columns(), TestingMaskSamples.rows());
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(warehouse), PlannerOptions.defaults().withHashSalt(TestingMaskSamples.SALT));
        PreparedQuery query = planner.prepare("SELECT * FROM people", List.of(), TestingPolicies.session(Principal.of("alice"), TestingMaskSamples.policies()));
        assertThat(query.isFullyPushedDown()).isTrue();
        query.execute(List.of(), TestingShop.context()).close();
        return warehouse.lastQuery();
    }

    /** GoogleSQL as BigQuery speaks it: external product mode (INT64, FLOAT64), released features, UTC. */
    private static AnalyzerOptions analyzerOptions()
    {
        LanguageOptions language = new LanguageOptions().enableMaximumLanguageFeatures();
        language.setProductMode(ProductMode.PRODUCT_EXTERNAL);
        AnalyzerOptions options = new AnalyzerOptions();
        options.setLanguageOptions(language);
        options.setDefaultTimezone("UTC");
        return options;
    }

    private static SimpleCatalog catalog()
    {
        SimpleCatalog catalog = new SimpleCatalog("bigquery");
        catalog.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(analyzerOptions().getLanguageOptions()));
        return catalog;
    }

    private static SimpleTable table(String name)
    {
        List<SimpleColumn> columns = new ArrayList<>();
        for (ColumnMetadata column : TestingMaskSamples.columns()) {
            columns.add(new SimpleColumn(name, column.name(), bigQueryType(column.type())));
        }
        return new SimpleTable(name, columns);
    }

    private static TableContent contents()
    {
        List<ColumnMetadata> columns = TestingMaskSamples.columns();
        List<List<Value>> rows = new ArrayList<>();
        for (List<Object> row : TestingMaskSamples.rows()) {
            List<Value> values = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                values.add(bigQueryValue(columns.get(i).type(), row.get(i)));
            }
            rows.add(values);
        }
        return TableContent.create(rows);
    }

    /** The BigQuery type a BigQuery connector would map to each column type. */
    private static Type bigQueryType(ColumnType type)
    {
        TypeKind kind = switch (type.kind()) {
            case CHAR, VARCHAR, TEXT -> TypeKind.TYPE_STRING;
            case SMALLINT, INTEGER, BIGINT -> TypeKind.TYPE_INT64;
            case DECIMAL -> TypeKind.TYPE_NUMERIC;
            case REAL, DOUBLE -> TypeKind.TYPE_DOUBLE;
            case BOOLEAN -> TypeKind.TYPE_BOOL;
            case DATE -> TypeKind.TYPE_DATE;
            case TIMESTAMP -> TypeKind.TYPE_DATETIME;
            default -> throw new IllegalArgumentException("no sample column of type " + type);
        };
        return TypeFactory.createSimpleType(kind);
    }

    private static Value bigQueryValue(ColumnType type, Object value)
    {
        if (value == null) {
            return Value.createNullValue(bigQueryType(type));
        }
        if (value instanceof String text) {
            return Value.createStringValue(text);
        }
        if (value instanceof Integer integer) {
            return Value.createInt64Value(integer);
        }
        if (value instanceof BigDecimal decimal) {
            return Value.createNumericValue(decimal);
        }
        if (value instanceof Double dbl) {
            return Value.createDoubleValue(dbl);
        }
        if (value instanceof Boolean bool) {
            return Value.createBoolValue(bool);
        }
        if (value instanceof LocalDate date) {
            return Value.createDateValue(date);
        }
        if (value instanceof LocalDateTime dateTime) {
            return Value.createDatetimeValue(dateTime);
        }
        throw new IllegalArgumentException("no sample value of " + value.getClass());
    }

    private static Object javaValue(Value value)
    {
        if (value.isNull()) {
            return null;
        }
        return switch (value.getType().getKind()) {
            case TYPE_STRING -> value.getStringValue();
            case TYPE_INT64 -> value.getInt64Value();
            case TYPE_NUMERIC -> value.getNumericValue();
            case TYPE_BIGNUMERIC -> value.getBigNumericValue();
            case TYPE_DOUBLE -> BigDecimal.valueOf(value.getDoubleValue());
            case TYPE_BOOL -> value.getBoolValue();
            case TYPE_DATE -> value.getLocalDateValue();
            case TYPE_DATETIME -> value.getLocalDateTimeValue();
            default -> throw new IllegalArgumentException("unexpected result type " + value.getType());
        };
    }

    /** {@code ?} placeholders (outside string literals) as {@code @p0}, {@code @p1}, ... */
    private static String namedParameters(String sql)
    {
        StringBuilder out = new StringBuilder();
        boolean quoted = false;
        int next = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quoted && c == '\\') {
                out.append(c).append(sql.charAt(++i));
                continue;
            }
            if (c == '\'') {
                quoted = !quoted;
            }
            if (!quoted && c == '?') {
                out.append("@p").append(next++);
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }
}
