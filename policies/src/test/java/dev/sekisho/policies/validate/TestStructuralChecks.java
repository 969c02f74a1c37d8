package dev.sekisho.policies.validate;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TestStructuralChecks
{
    private final StructuralChecks checks = new StructuralChecks();

    @Test
    void acceptsAValidPolicy()
    {
        assertThat(checks.check(parse(dev.sekisho.policies.load.TestPolicyParser.SKETCH))).isEmpty();
        assertThat(checks.check(PolicySet.denyAll())).isEmpty();
    }

    @Test
    void reportsUnknownRolesWithSuggestions()
    {
        List<PolicyProblem> problems = checks.check(parse("""
                roles:
                  viewer: {groups: [everyone]}
                  nobody: {}
                tables:
                  shop.customers:
                    allow: [viewr, "group:analysts", "user:carol"]
                    deny: [contractors]
                    unmasked_for: [admin]
                    columns:
                      email: {mask: email, unmasked_for: [viewers], deny: [x], allow: [y]}
                    row_filters:
                      - {for: [veiwer], where: "true"}
                """));
        assertThat(problems).extracting(PolicyProblem::toString).containsExactly(
                "p.yaml:3: roles.nobody: role matches nobody; give groups and/or users, e.g. {groups: [analysts]}",
                "p.yaml:6: tables.shop.customers.allow: unknown role 'viewr'; did you mean 'viewer'? (define it under roles:, or write group:viewr for a group or user:viewr for a user)",
                "p.yaml:7: tables.shop.customers.deny: unknown role 'contractors' (define it under roles:, or write group:contractors for a group or user:contractors for a user)",
                "p.yaml:8: tables.shop.customers.unmasked_for: unknown role 'admin' (define it under roles:, or write group:admin for a group or user:admin for a user)",
                "p.yaml:10: tables.shop.customers.columns.email.allow: unknown role 'y' (define it under roles:, or write group:y for a group or user:y for a user)",
                "p.yaml:10: tables.shop.customers.columns.email.deny: unknown role 'x' (define it under roles:, or write group:x for a group or user:x for a user)",
                "p.yaml:10: tables.shop.customers.columns.email.unmasked_for: unknown role 'viewers'; did you mean 'viewer'? (define it under roles:, or write group:viewers for a group or user:viewers for a user)",
                "p.yaml:12: tables.shop.customers.row_filters[0].for: unknown role 'veiwer'; did you mean 'viewer'? (define it under roles:, or write group:veiwer for a group or user:veiwer for a user)");
    }

    @Test
    void reportsBadMaskParameters()
    {
        List<PolicyProblem> problems = checks.check(parse("""
                tables:
                  s.t:
                    columns:
                      a: {mask: {partial: {keep_first: -1, keep_last: -2, mask_char: "**"}}}
                      b: {mask: {partial: {mask_char: ""}}}
                      c: {mask: {round: 0}}
                      d: {mask: {round: -0.5}}
                      e: {mask: {sql: "  "}}
                      f: {mask: {sql: "upper(x); drop table t"}}
                """));
        assertThat(problems).extracting(PolicyProblem::toString).containsExactly(
                "p.yaml:4: tables.s.t.columns.a.mask.partial.keep_first: must not be negative: -1",
                "p.yaml:4: tables.s.t.columns.a.mask.partial.keep_last: must not be negative: -2",
                "p.yaml:4: tables.s.t.columns.a.mask.partial.mask_char: must be exactly one character, not '**'",
                "p.yaml:5: tables.s.t.columns.b.mask.partial.mask_char: must be exactly one character, not ''",
                "p.yaml:6: tables.s.t.columns.c.mask.round: the step must be greater than 0, not 0",
                "p.yaml:7: tables.s.t.columns.d.mask.round: the step must be greater than 0, not -0.5",
                "p.yaml:8: tables.s.t.columns.e.mask.sql: is empty; write a SQL expression",
                "p.yaml:9: tables.s.t.columns.f.mask.sql: must be one SQL expression, without ';'");
    }

    @Test
    void reportsBadFilterExpressions()
    {
        List<PolicyProblem> problems = checks.check(parse("""
                tables:
                  s.t:
                    row_filters:
                      - {name: a, where: "  "}
                      - {name: b, where: "region = :user.region; delete from t"}
                      - {name: c, where: "region = :region"}
                      - {name: c, where: "x = :usr.region AND y = ':not.a.placeholder' AND z::text = :user.name"}
                """));
        assertThat(problems).extracting(PolicyProblem::toString).containsExactly(
                "p.yaml:4: tables.s.t.row_filters[0].where: is empty; write a SQL expression",
                "p.yaml:5: tables.s.t.row_filters[1].where: must be one SQL expression, without ';'",
                "p.yaml:6: tables.s.t.row_filters[2].where: ':region' is not a user attribute; write :user.name, :user.groups or :user.<attribute> (e.g. :user.region)",
                "p.yaml:7: tables.s.t.row_filters[3].name: row filter name 'c' is also used at p.yaml:6; names must be unique within a table",
                "p.yaml:7: tables.s.t.row_filters[3].where: ':usr.region' is not a user attribute; write :user.name, :user.groups or :user.<attribute>");
    }

    @Test
    void mask_charMayBeOneNonAsciiCharacter()
    {
        assertThat(checks.check(parse("tables: {s.t: {columns: {a: {mask: {partial: {mask_char: '●'}}}}}}\n"))).isEmpty();
        assertThat(checks.check(parse("tables: {s.t: {columns: {a: {mask: {partial: {mask_char: '😀'}}}}}}\n"))).isEmpty();
    }

    private static PolicySet parse(String yaml)
    {
        return new PolicyParser().parse(List.of(new PolicyDocument("p.yaml", yaml)));
    }
}
