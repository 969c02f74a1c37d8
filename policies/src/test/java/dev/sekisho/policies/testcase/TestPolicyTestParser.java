package dev.sekisho.policies.testcase;

import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyException;
import dev.sekisho.policies.validate.PolicyProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

class TestPolicyTestParser
{
    private final PolicyTestParser parser = new PolicyTestParser();

    @Test
    void parsesCases()
    {
        List<PolicyTestCase> cases = parser.parse(List.of(new PolicyDocument("shop.test.yaml", """
                tests:
                  - name: alice sees masked emails
                    user: alice
                    query: SELECT id, email FROM shop.customers
                    expect:
                      masked_columns: [email]
                      unmasked_columns: [id]
                      columns: [id, email]
                      absent_columns: [ssn]
                      rows: 600
                  - name: strangers see nothing
                    user: {name: mallory, groups: [contractors], attributes: {region: US, level: 3}}
                    query: SELECT 1 FROM shop.customers
                    expect: {error: 42P01}
                """)));
        assertThat(cases).hasSize(2);
        PolicyTestCase first = cases.get(0);
        assertThat(first.name()).isEqualTo("alice sees masked emails");
        assertThat(first.user()).isEqualTo(new PolicyTestUser("alice", Optional.empty(), Optional.empty()));
        assertThat(first.user().isInline()).isFalse();
        assertThat(first.query()).isEqualTo("SELECT id, email FROM shop.customers");
        assertThat(first.expect()).isEqualTo(new PolicyTestExpectation(Optional.empty(), OptionalLong.of(600), Optional.of(List.of("id", "email")),
                List.of("ssn"), List.of("email"), List.of("id")));
        assertThat(first.origin()).hasToString("shop.test.yaml:2");
        PolicyTestCase second = cases.get(1);
        assertThat(second.user().groups()).contains(Set.of("contractors"));
        assertThat(second.user().attributes()).contains(Map.of("region", "US", "level", "3"));
        assertThat(second.expect().error()).contains("42P01");
    }

    @Test
    void reportsProblemsWithLines()
    {
        assertThatThrownBy(() -> parser.parse(List.of(
                new PolicyDocument("a.test.yaml", """
                        tests:
                          - name: one
                            user: alice
                            querry: SELECT 1
                            expect: {error: 42P01, rows: 3}
                          - name: two
                            query: SELECT 1
                            expect: {rows: -1, masked: [a]}
                        """),
                new PolicyDocument("b.test.yaml", """
                        tests:
                          - {name: one, user: bob, query: SELECT 1, expect: {error: 4201}}
                        """))))
                .asInstanceOf(type(PolicyException.class))
                .extracting(PolicyException::problems)
                .asList()
                .extracting(problem -> ((PolicyProblem) problem).toString())
                .containsExactlyInAnyOrder(
                        "a.test.yaml:4: tests[0].querry: unknown key 'querry'; did you mean 'query'? (known keys: name, user, query, expect)",
                        "a.test.yaml:2: tests[0]: has no query",
                        "a.test.yaml:5: tests[0].expect: an error expectation cannot be combined with row or column expectations",
                        "a.test.yaml:6: tests[1]: has no user; write user: alice",
                        "a.test.yaml:8: tests[1].expect.masked: unknown key 'masked'; did you mean 'masked_columns'? (known keys: error, rows, columns, absent_columns, masked_columns, unmasked_columns)",
                        "a.test.yaml:8: tests[1].expect.rows: must be a whole number of rows, 0 or more",
                        "b.test.yaml:2: tests[0].expect.error: must be a five-character SQLSTATE such as 42P01 (quote codes like \"42501\")");
    }

    @Test
    void namesAreUniqueAcrossFiles()
    {
        assertThatThrownBy(() -> parser.parse(List.of(
                new PolicyDocument("a.test.yaml", "tests: [{name: t, user: a, query: q, expect: {rows: 1}}]\n"),
                new PolicyDocument("b.test.yaml", "tests: [{name: t, user: a, query: q, expect: {rows: 1}}]\n"))))
                .hasMessage("b.test.yaml:1: tests: test name 't' is also used at a.test.yaml:1");
    }
}
