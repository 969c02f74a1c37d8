package dev.sekisho.planner.policy;

import dev.sekisho.planner.plan.CalciteQueryPlanner;
import dev.sekisho.planner.plan.PlannerOptions;
import dev.sekisho.planner.testing.TestingPolicies;
import dev.sekisho.planner.testing.TestingSecuredShop;
import dev.sekisho.planner.testing.TestingShop;
import dev.sekisho.policies.validate.PolicyProblem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestSemanticPolicyCheck
{
    private static final String POLICY = """
            roles:
              analyst: {groups: [analysts]}
            tables:
              shop.custmers:
                allow: [analyst]
              shop.customers:
                allow: [analyst]
                columns:
                  emial:      {mask: email}
                  name:       {mask: year}
                  region:     {mask: {round: 10}}
                  id:         {mask: email}
                  email:      {mask: hash}
                  created_at: {mask: year}
                  bio:        {mask: {sql: "concat(nme, '*')"}}
                  active:     {mask: {sql: "'x' || name"}}
                row_filters:
                  - {name: broken, where: "region = = 'JP'"}
                  - {name: unknown, where: "regoin = :user.region"}
                  - {name: not_boolean, where: "region"}
                  - {name: subquery, where: "id IN (SELECT id FROM shop.orders)"}
                  - {name: fine, where: "region = :user.region AND name IN (:user.groups)"}
              nosuch.*:
                allow: [analyst]
              shop.*:
                allow: [analyst]
                columns:
                  amount: {mask: {round: 100}}
                  nothere: {mask: nullify}
            """;

    @Test
    void reportsEveryProblemWithFileAndLine()
    {
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults());
        List<String> problems = new SemanticPolicyCheck(planner).check(TestingPolicies.parse(POLICY)).stream().map(PolicyProblem::toString).toList();
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:4: tables.shop.custmers: unknown table 'shop.custmers'; did you mean 'shop.customers'?"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:9: tables.shop.customers.columns.emial: unknown column 'emial'").contains("did you mean 'email'?"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:10: tables.shop.customers.columns.name.mask: mask year does not fit column type varchar(100)"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:11: tables.shop.customers.columns.region.mask: mask round does not fit"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:12: tables.shop.customers.columns.id.mask: mask email does not fit column type integer"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:13: tables.shop.customers.columns.email.mask: mask hash needs a secret salt"));
        assertThat(problems).noneSatisfy(problem -> assertThat(problem).startsWith("policies.yaml:14:"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:15: tables.shop.customers.columns.bio.mask.sql: expression is not valid").contains("nme"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:16: tables.shop.customers.columns.active.mask.sql: expression of type varchar does not fit column type boolean"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:18: tables.shop.customers.row_filters[0].where: row filter broken does not parse"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:19: tables.shop.customers.row_filters[1].where: row filter unknown is not valid").contains("regoin"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:20: tables.shop.customers.row_filters[2].where: row filter not_boolean is of type char, not a boolean condition"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:21: tables.shop.customers.row_filters[3].where: row filter subquery must not contain a subquery"));
        assertThat(problems).noneSatisfy(problem -> assertThat(problem).startsWith("policies.yaml:22:"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:23: tables.nosuch.*: unknown schema 'nosuch'"));
        assertThat(problems).anySatisfy(problem -> assertThat(problem).startsWith("policies.yaml:29: tables.shop.*.columns.nothere: unknown column 'nothere' in shop.*"));
        assertThat(problems).hasSize(14);
    }

    @Test
    void validPolicyPasses()
    {
        assertThat(new SemanticPolicyCheck(TestingSecuredShop.planner(TestingShop.mysqlShop())).check(TestingSecuredShop.POLICIES)).isEmpty();
        CalciteQueryPlanner planner = new CalciteQueryPlanner(List.of(TestingShop.mysqlShop()), PlannerOptions.defaults().withHashSalt("s"));
        assertThat(new SemanticPolicyCheck(planner).check(TestingPolicies.parse("""
                tables:
                  shop.customers:
                    allow: ["group:everyone"]
                    columns:
                      email: {mask: hash}
                      id:    {mask: hash}
                """))).isEmpty();
    }
}
