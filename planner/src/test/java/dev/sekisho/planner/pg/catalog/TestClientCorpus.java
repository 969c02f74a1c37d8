package dev.sekisho.planner.pg.catalog;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.QueryPlanner;
import dev.sekisho.planner.ResultColumn;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.testing.TestingClientCorpus;
import dev.sekisho.planner.testing.TestingClientCorpus.Entry;
import dev.sekisho.planner.testing.TestingClientCorpus.Field;
import dev.sekisho.planner.testing.TestingCorpusConnector;
import dev.sekisho.planner.testing.TestingShop;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static dev.sekisho.planner.testing.TestingClientCorpus.SESSION_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every statement of the client corpus ({@code shared/clients/*.sql}, beside the repository)
 * through the planner against a fixture mirroring the corpus's, and checks each against its
 * {@code expects} line: column names and type OIDs, row counts of catalog queries where they
 * depend only on the fixture's shape, or an error where PostgreSQL answers with one.
 */
class TestClientCorpus
{
    record Outcome(Entry entry, boolean passed, String reason) {}

    @Test
    void corpus()
            throws IOException
    {
        Optional<Path> directory = TestingClientCorpus.directory();
        if (directory.isEmpty()) {
            System.out.println("TestClientCorpus skipped: no ../shared/clients directory beside the repository");
            Assumptions.abort("client corpus not found");
        }
        List<Entry> entries = TestingClientCorpus.entries(directory.get());
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(new TestingCorpusConnector()), PlannerOptions.defaults());
        SessionContext session = new SessionContext(SESSION_USER, List.of("public"));
        Map<Long, Long> oids = fixtureOids(planner, session);

        List<Outcome> outcomes = new ArrayList<>();
        int skipped = 0;
        for (Entry entry : entries) {
            List<String> statements = entry.plannerStatements();
            if (statements.isEmpty()) {
                skipped++;
                continue;
            }
            outcomes.add(check(planner, session, entry, statements, oids));
        }
        long passed = outcomes.stream().filter(Outcome::passed).count();
        StringBuilder report = new StringBuilder();
        report.append("Client corpus: %d entries, %d session-only (answered by the gateway: TestClientCorpusOverTheWire), %d checked, %d pass, %d fail%n"
                .formatted(entries.size(), skipped, outcomes.size(), passed, outcomes.size() - passed));
        for (Outcome outcome : outcomes) {
            if (!outcome.passed()) {
                String sql = outcome.entry().sql().replaceAll("\\s+", " ");
                report.append("FAIL %s: %s%n    %s%n".formatted(outcome.entry().id(), outcome.reason(), sql.substring(0, Math.min(140, sql.length()))));
            }
        }
        System.out.println(report);
        assertThat(outcomes).as(report.toString()).isNotEmpty().allMatch(Outcome::passed);
    }

    /** Sekisho's OIDs for the fixture objects whose OIDs appear as literals in the corpus. */
    private static Map<Long, Long> fixtureOids(QueryPlanner planner, SessionContext session)
    {
        Map<Long, Long> oids = new LinkedHashMap<>();
        TestingClientCorpus.FIXTURE_OID_QUERIES.forEach((fixture, sql) -> oids.put(fixture, (Long) single(planner.prepare(sql, List.of(), session))));
        return oids;
    }

    private static Outcome check(CalciteQueryPlanner planner, SessionContext session, Entry entry, List<String> statements, Map<Long, Long> fixtureOids)
    {
        boolean expectsError = entry.expectsError();
        for (int i = 0; i < statements.size(); i++) {
            String sql = TestingClientCorpus.withOids(statements.get(i), fixtureOids);
            boolean last = i == statements.size() - 1;
            PreparedQuery query;
            List<List<Object>> result = null;
            try {
                query = planner.prepare(sql, List.of(), session);
                if (!query.isFullyPushedDown()) {
                    result = readAll(query.execute(List.of(), context()));
                }
            }
            catch (QueryException e) {
                if (expectsError && last) {
                    Optional<String> expected = entry.expectedSqlState();
                    if (expected.isPresent() && !expected.get().equals(e.sqlState())) {
                        return new Outcome(entry, false, "SQLSTATE %s (%s), expected %s".formatted(e.sqlState(), e.getMessage(), expected.get()));
                    }
                    return new Outcome(entry, true, "error " + e.sqlState());
                }
                Throwable cause = e.getCause();
                while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                return new Outcome(entry, false, "%s %s%s".formatted(e.sqlState(), e.getMessage(), cause == null ? "" : " (" + cause + ")"));
            }
            catch (RuntimeException e) {
                return new Outcome(entry, false, "unexpected " + e);
            }
            if (!last) {
                continue;
            }
            if (expectsError) {
                return new Outcome(entry, false, "PostgreSQL answers with an error; Sekisho returned a result");
            }
            Optional<List<Field>> fields = entry.expectedFields();
            if (fields.isPresent()) {
                List<String> expectedNames = fields.get().stream().map(Field::name).toList();
                List<Integer> expectedOids = fields.get().stream().map(Field::oid).toList();
                List<String> names = query.columns().stream().map(ResultColumn::name).toList();
                List<Integer> oids = query.columns().stream().map(ResultColumn::pgTypeOid).toList();
                if (!names.equals(expectedNames)) {
                    return new Outcome(entry, false, "columns " + names + ", expected " + expectedNames);
                }
                if (!oids.equals(expectedOids)) {
                    return new Outcome(entry, false, "type OIDs " + oids + ", expected " + expectedOids);
                }
            }
            OptionalInt expectedRows = entry.expectedShapeRows();
            // sources answer the corpus connector with no rows: counts are checked where the gateway computes the result
            if (expectedRows.isPresent() && result != null && result.size() != expectedRows.getAsInt()) {
                return new Outcome(entry, false, "%d rows, expected %d".formatted(result.size(), expectedRows.getAsInt()));
            }
        }
        return new Outcome(entry, true, "");
    }

    private static Object single(PreparedQuery query)
    {
        List<List<Object>> rows = readAll(query.execute(List.of(), context()));
        assertThat(rows).hasSize(1);
        return rows.get(0).get(0);
    }

    static List<List<Object>> readAll(ResultStream stream)
    {
        return TestingShop.readAll(stream);
    }

    static ExecutionContext context()
    {
        return TestingShop.context(TestingClientCorpus.SESSION_USER);
    }
}
