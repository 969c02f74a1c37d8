package dev.sekisho.it.bigquery;

import com.google.zetasql.Type;
import com.google.zetasql.ZetaSQLType.TypeKind;
import dev.sekisho.connectors.bigquery.BigQueryConnector;
import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.testing.TestingMaskSamples;
import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.sekisho.planner.testing.TestingMaskSamples.SALT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every built-in mask pushed down to a BigQuery source, through the real connector and client,
 * executed by ZetaSQL's reference implementation, gives exactly the {@link dev.sekisho.policies.mask.ReferenceMasks}
 * value over the samples MariaDB ({@code TestMaskConsistency}) and the gateway's engine are checked on.
 */
class TestBigQueryMasks
{
    @Test
    void masksInBigQueryEqualReference()
    {
        TestingBigQueryServer fixture = TestingBigQueryData.fixture();
        TestingBigQueryServer.TableBuilder people = fixture.table("masks", "people");
        for (ColumnMetadata column : TestingMaskSamples.columns()) {
            people.column(column.name(), type(column));
        }
        for (List<Object> row : TestingMaskSamples.rows()) {
            people.row(row.stream().map(value -> value instanceof Integer integer ? (Object) integer.longValue() : value).toArray());
        }
        people.create();

        PolicySet policies = new PolicyParser().parse(List.of(new PolicyDocument("masks.yaml", TestingMaskSamples.policy("masks"))));
        try (BigQueryConnector connector = TestBigQueryConnector.connector(fixture, Map.of("datasets", List.of("masks")))) {
            CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(connector), PlannerOptions.defaults().withHashSalt(SALT));
            PreparedQuery query = planner.prepare("SELECT * FROM people", List.of(), SessionContext.withPolicy(Principal.of("alice"), policies, List.of("masks")));
            assertThat(query.isFullyPushedDown()).isTrue();
            List<List<Object>> rows = TestBigQueryConnector.readAll(query.execute(List.of(), ExecutionContext.uncancellable("alice")));

            // every mask ran inside BigQuery (ZetaSQL analysed and executed the statement), with the salt bound as a parameter
            List<RecordedJob> jobs = fixture.jobs();
            RecordedJob job = jobs.get(jobs.size() - 1);
            assertThat(job.sql()).contains("TO_HEX(SHA256(", "DATE_TRUNC(", "REGEXP_", "FROM masks.people").doesNotContain(SALT);
            assertThat(job.parameterTypes()).containsOnly("STRING").hasSize(2);
            TestingMaskSamples.assertMasked("BigQuery (ZetaSQL)", rows);
        }
    }

    private static Type type(ColumnMetadata column)
    {
        TypeKind kind = switch (column.type().kind()) {
            case SMALLINT, INTEGER, BIGINT -> TypeKind.TYPE_INT64;
            case DECIMAL -> TypeKind.TYPE_NUMERIC;
            case REAL, DOUBLE -> TypeKind.TYPE_DOUBLE;
            case BOOLEAN -> TypeKind.TYPE_BOOL;
            case DATE -> TypeKind.TYPE_DATE;
            case TIMESTAMP -> TypeKind.TYPE_DATETIME;
            default -> TypeKind.TYPE_STRING;
        };
        return TestingBigQueryData.type(kind);
    }
}
