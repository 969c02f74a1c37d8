package dev.sekisho.policies.load;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.model.ColumnRule;
import dev.sekisho.policies.model.DefaultAccess;
import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.RowFilterMode;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.model.TableName;
import dev.sekisho.policies.model.TableRule;
import dev.sekisho.policies.validate.PolicyProblem;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.type;

public class TestPolicyParser
{
    public static final String SKETCH = """
            roles:
              admin:   {groups: [admins]}
              creator: {groups: [analysts, finance], users: [carol]}
              viewer:  {groups: [everyone]}
            defaults:
              access: deny
            tables:
              shop.customers:
                allow: [viewer, creator, admin]
                deny: []
                columns:
                  email:      {mask: email}
                  phone:      {mask: phone}
                  name:       {mask: {partial: {keep_first: 1, keep_last: 0, mask_char: '*'}}}
                  birth_date: {mask: year}
                  ssn:        {deny: [viewer, creator]}
                  amount:     {mask: {round: 100}}
                  email_hash: {mask: hash}
                  note:       {mask: nullify}
                  secret:     {mask: redact}
                  custom:     {mask: {sql: "concat(left(name, 1), '***')"}}
                unmasked_for: [admin]
                row_filters:
                  - {name: own_region, for: [viewer, creator], where: "region = :user.region"}
                  - {name: active_only, for: [viewer], where: "is_active", mode: restrictive}
            """;

    private final PolicyParser parser = new PolicyParser();

    @Test
    void parsesEveryKeyOfTheSketch()
    {
        PolicySet policies = parse("shop.yaml", SKETCH);

        assertThat(policies.defaults().access()).isEqualTo(DefaultAccess.DENY);
        assertThat(policies.defaults().origin()).hasToString("shop.yaml:5");
        assertThat(policies.roles()).containsOnlyKeys("admin", "creator", "viewer");
        assertThat(policies.roles().get("creator").groups()).containsExactlyInAnyOrder("analysts", "finance");
        assertThat(policies.roles().get("creator").users()).containsExactly("carol");
        assertThat(policies.roles().get("creator").origin()).hasToString("shop.yaml:3");

        TableRule customers = policies.ruleFor(new TableName("shop", "customers")).orElseThrow();
        assertThat(customers.origin()).hasToString("shop.yaml:8");
        assertThat(customers.allow()).get().asList().extracting(g -> ((Grantee) g).text()).containsExactly("viewer", "creator", "admin");
        assertThat(customers.deny()).isEmpty();
        assertThat(customers.unmaskedFor()).extracting(Grantee::text).containsExactly("admin");

        assertThat(mask(customers, "email")).isEqualTo(new Mask.Email());
        assertThat(mask(customers, "phone")).isEqualTo(new Mask.Phone());
        assertThat(mask(customers, "name")).isEqualTo(new Mask.Partial(1, 0, "*"));
        assertThat(mask(customers, "birth_date")).isEqualTo(new Mask.Year());
        assertThat(mask(customers, "amount")).isEqualTo(new Mask.Round(new BigDecimal("100")));
        assertThat(mask(customers, "email_hash")).isEqualTo(new Mask.Hash());
        assertThat(mask(customers, "note")).isEqualTo(new Mask.Nullify());
        assertThat(mask(customers, "secret")).isEqualTo(new Mask.Redact());
        assertThat(mask(customers, "custom")).isEqualTo(new Mask.Sql("concat(left(name, 1), '***')"));
        ColumnRule ssn = customers.columns().get("ssn");
        assertThat(ssn.mask()).isEmpty();
        assertThat(ssn.deny()).extracting(Grantee::text).containsExactly("viewer", "creator");
        assertThat(ssn.origin()).hasToString("shop.yaml:16");
        assertThat(customers.columns().get("email").origin()).hasToString("shop.yaml:12");

        assertThat(customers.rowFilters()).hasSize(2);
        RowFilter ownRegion = customers.rowFilters().get(0);
        assertThat(ownRegion.name()).isEqualTo("own_region");
        assertThat(ownRegion.mode()).isEqualTo(RowFilterMode.PERMISSIVE);
        assertThat(ownRegion.where()).isEqualTo("region = :user.region");
        assertThat(ownRegion.userAttributes()).containsExactly("region");
        assertThat(ownRegion.origin()).hasToString("shop.yaml:24");
        RowFilter activeOnly = customers.rowFilters().get(1);
        assertThat(activeOnly.mode()).isEqualTo(RowFilterMode.RESTRICTIVE);
        assertThat(activeOnly.origin()).hasToString("shop.yaml:25");
        assertThat(activeOnly.grantees()).get().asList().hasSize(1);
        assertThat(policies.files()).containsExactly("shop.yaml");
    }

    @Test
    void granteesNameRolesGroupsAndUsers()
    {
        PolicySet policies = parse("a.yaml", """
                tables:
                  shop.orders:
                    allow: [viewer, "group:finance", "user:carol"]
                    deny: group:contractors
                """);
        TableRule orders = policies.tables().get("shop.orders");
        assertThat(orders.allow().orElseThrow()).extracting(Grantee::kind, Grantee::name)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Grantee.Kind.ROLE, "viewer"),
                        org.assertj.core.groups.Tuple.tuple(Grantee.Kind.GROUP, "finance"),
                        org.assertj.core.groups.Tuple.tuple(Grantee.Kind.USER, "carol"));
        assertThat(orders.deny()).extracting(Grantee::text).containsExactly("group:contractors");
        assertThat(orders.deny().get(0).origin()).hasToString("a.yaml:4");
        assertThat(orders.allow().orElseThrow().get(1).origin()).hasToString("a.yaml:3");
    }

    @Test
    void absentAllowIsNotAnEmptyAllow()
    {
        PolicySet policies = parse("a.yaml", """
                tables:
                  shop.a: {deny: [x]}
                  shop.b: {allow: []}
                  shop.c:
                """);
        assertThat(policies.tables().get("shop.a").allow()).isEmpty();
        assertThat(policies.tables().get("shop.b").allow()).contains(List.of());
        assertThat(policies.tables().get("shop.c").allow()).isEmpty();
    }

    @Test
    void tableNamesAreCaseInsensitiveAndSchemaPatternsApply()
    {
        PolicySet policies = parse("a.yaml", """
                tables:
                  Shop.Customers: {allow: [a]}
                  shop.*: {allow: [b]}
                """);
        assertThat(policies.ruleFor(TableName.parse("SHOP.customers")).orElseThrow().pattern()).isEqualTo("shop.customers");
        assertThat(policies.ruleFor(TableName.parse("shop.orders")).orElseThrow().pattern()).isEqualTo("shop.*");
        assertThat(policies.ruleFor(TableName.parse("shop.orders")).orElseThrow().isSchemaWide()).isTrue();
        assertThat(policies.ruleFor(TableName.parse("other.orders"))).isEmpty();
    }

    @Test
    void sameTableInTwoFilesNamesBothPlaces()
    {
        List<PolicyProblem> problems = problems(
                new PolicyDocument("a.yaml", "tables:\n  shop.customers: {allow: [x]}\n"),
                new PolicyDocument("b.yaml", "roles:\n  x: {users: [u]}\ntables:\n  SHOP.customers: {allow: [x]}\n"));
        assertThat(problems).singleElement().hasToString(
                "b.yaml:4: tables.SHOP.customers: table 'shop.customers' is also defined at a.yaml:2; define each table in one place");
    }

    @Test
    void sameRoleOrDefaultsInTwoFilesIsAnError()
    {
        List<PolicyProblem> problems = problems(
                new PolicyDocument("a.yaml", "roles:\n  viewer: {groups: [g]}\ndefaults: {access: deny}\n"),
                new PolicyDocument("b.yaml", "defaults: {access: allow}\nroles:\n  viewer: {groups: [h]}\n"));
        assertThat(problems).extracting(PolicyProblem::toString).containsExactlyInAnyOrder(
                "b.yaml:3: roles.viewer: role 'viewer' is also defined at a.yaml:2; define each role once",
                "b.yaml:1: defaults: defaults are also given at a.yaml:3; give them in one file only");
    }

    @Test
    void unknownKeysAreErrorsWithSuggestions()
    {
        List<PolicyProblem> problems = problems(new PolicyDocument("a.yaml", """
                tabels: {}
                tables:
                  shop.customers:
                    alow: [x]
                    colums: {}
                    columns:
                      email: {mask: emial, unmasked: [x]}
                      name: {mask: {partial: {keep_frist: 1}}}
                    row_filters:
                      - {where: "true", mode: permisive, fro: [x]}
                """));
        assertThat(problems).extracting(PolicyProblem::toString).containsExactlyInAnyOrder(
                "a.yaml:1: tabels: unknown key 'tabels'; did you mean 'tables'? (known keys: roles, defaults, tables, budgets, resource_groups, end_users)",
                "a.yaml:4: tables.shop.customers.alow: unknown key 'alow'; did you mean 'allow'? (known keys: allow, deny, columns, unmasked_for, unfiltered_for, row_filters)",
                "a.yaml:5: tables.shop.customers.colums: unknown key 'colums'; did you mean 'columns'? (known keys: allow, deny, columns, unmasked_for, unfiltered_for, row_filters)",
                "a.yaml:7: tables.shop.customers.columns.email.unmasked: unknown key 'unmasked'; did you mean 'unmasked_for'? (known keys: mask, allow, deny, unmasked_for)",
                "a.yaml:7: tables.shop.customers.columns.email.mask: unknown mask 'emial'; did you mean 'email'? (masks: redact, partial, email, hash, nullify, year, round, phone, sql)",
                "a.yaml:8: tables.shop.customers.columns.name.mask.partial.keep_frist: unknown key 'keep_frist'; did you mean 'keep_first'? (known keys: keep_first, keep_last, mask_char)",
                "a.yaml:10: tables.shop.customers.row_filters[0].fro: unknown key 'fro'; did you mean 'for'? (known keys: name, for, where, mode)",
                "a.yaml:10: tables.shop.customers.row_filters[0].mode: must be permissive or restrictive, not 'permisive'");
    }

    @Test
    void wrongShapesAreReportedWithLines()
    {
        List<PolicyProblem> problems = problems(new PolicyDocument("a.yaml", """
                roles:
                  viewer: [a, b]
                defaults: {access: maybe}
                tables:
                  customers: {allow: [x]}
                  shop.orders:
                    allow: [{role: x}]
                    columns:
                      amount: {mask: round}
                      total: {mask: {round: "100"}}
                      code: {mask: {email: true}}
                      raw: {mask: sql}
                    row_filters:
                      - {for: [x]}
                      - {where: true}
                """));
        assertThat(problems).extracting(PolicyProblem::toString).containsExactlyInAnyOrder(
                "a.yaml:2: roles.viewer: must be a mapping with groups and/or users, e.g. {groups: [analysts]}, not a list",
                "a.yaml:3: defaults.access: must be deny or allow, not 'maybe'",
                "a.yaml:5: tables.customers: is not a table name; write schema.table (e.g. shop.customers) or schema.* for every table of a schema",
                "a.yaml:7: tables.shop.orders.allow: must list roles, group:NAME or user:NAME entries, e.g. [viewer, group:finance]; found a mapping",
                "a.yaml:9: tables.shop.orders.columns.amount.mask: round needs a step; write {round: 100}",
                "a.yaml:10: tables.shop.orders.columns.total.mask.round: must be a number, the step to round to (e.g. {round: 100}), not a string",
                "a.yaml:11: tables.shop.orders.columns.code.mask.email: takes no parameters; write mask: email",
                "a.yaml:12: tables.shop.orders.columns.raw.mask: sql needs an expression; write {sql: \"concat(left(name, 1), '***')\"}",
                "a.yaml:14: tables.shop.orders.row_filters[0]: has no where; write the SQL condition, e.g. where: \"region = :user.region\"",
                "a.yaml:15: tables.shop.orders.row_filters[1].where: must be a SQL expression in a string; quote it: where: \"true\"");
    }

    @Test
    void invalidYamlAndRepeatedKeysNameTheLine()
    {
        assertThat(problems(new PolicyDocument("bad.yaml", "tables:\n  shop.a: {allow: [x]\n  shop.b: {}\n")))
                .singleElement()
                .satisfies(problem -> {
                    assertThat(problem.location().file()).isEqualTo("bad.yaml");
                    assertThat(problem.location().line()).isPositive();
                    assertThat(problem.message()).startsWith("is not valid YAML");
                });
        assertThat(problems(new PolicyDocument("dup.yaml", "tables:\n  shop.a: {}\n  shop.a: {}\n")))
                .singleElement()
                .hasToString("dup.yaml:3: shop.a: is given twice in one mapping (first on line 2)");
    }

    @Test
    void problemsOfEveryFileAreReportedTogether()
    {
        List<PolicyProblem> problems = problems(
                new PolicyDocument("a.yaml", "tabels: {}\n"),
                new PolicyDocument("b.yaml", "roles: {x: {grups: [g]}}\n"));
        assertThat(problems).extracting(problem -> problem.location().file()).containsExactly("a.yaml", "b.yaml");
    }

    @Test
    void maskForms()
    {
        PolicySet policies = parse("a.yaml", """
                tables:
                  s.t:
                    columns:
                      a: {mask: partial}
                      b: {mask: {partial: {keep_last: 4}}}
                      c: {mask: {round: 0.5}}
                      d: {mask: {partial: {mask_char: '#', keep_first: 2}}}
                """);
        TableRule rule = policies.tables().get("s.t");
        assertThat(mask(rule, "a")).isEqualTo(new Mask.Partial(0, 0, "*"));
        assertThat(mask(rule, "b")).isEqualTo(new Mask.Partial(0, 4, "*"));
        assertThat(mask(rule, "c")).isEqualTo(new Mask.Round(new BigDecimal("0.50")));
        assertThat(mask(rule, "c").describe()).isEqualTo("round(step=0.5)");
        assertThat(mask(rule, "d").describe()).isEqualTo("partial(keep_first=2,keep_last=0,mask_char='#')");
    }

    @Test
    void versionFollowsContent()
    {
        String a = parse("a.yaml", "tables: {s.t: {allow: [x]}}\n").version();
        String same = parse("a.yaml", "tables: {s.t: {allow: [x]}}\n").version();
        String other = parse("a.yaml", "tables: {s.t: {allow: [y]}}\n").version();
        assertThat(a).startsWith("sha256:").hasSize("sha256:".length() + 16).isEqualTo(same).isNotEqualTo(other);
    }

    @Test
    void emptyFilesAndDirectoriesDenyEverything()
    {
        PolicySet policies = parse("empty.yaml", "");
        assertThat(policies.tables()).isEmpty();
        assertThat(policies.defaults().access()).isEqualTo(DefaultAccess.DENY);
        assertThat(policies.defaults().origin()).isEqualTo(SourceLocation.builtIn());
    }

    @Test
    void directorySourceReadsPolicyFilesOnly(@org.junit.jupiter.api.io.TempDir Path directory)
            throws Exception
    {
        Files.writeString(directory.resolve("b.yaml"), "tables: {s.b: {allow: [x]}}\n");
        Files.writeString(directory.resolve("a.yml"), "tables: {s.a: {allow: [x]}}\n");
        Files.writeString(directory.resolve("a.test.yaml"), "tests: []\n");
        Files.writeString(directory.resolve(".hidden.yaml"), "garbage: [\n");
        Files.writeString(directory.resolve("notes.txt"), "not yaml: [\n");
        Files.createDirectory(directory.resolve("sub.yaml"));

        PolicySet policies = parser.parse(new DirectoryPolicySource(directory));
        assertThat(policies.files()).containsExactly(directory.resolve("a.yml").toString(), directory.resolve("b.yaml").toString());
        assertThat(policies.tables()).containsOnlyKeys("s.a", "s.b");

        assertThatThrownBy(() -> parser.parse(new DirectoryPolicySource(directory.resolve("missing"))))
                .asInstanceOf(type(PolicyException.class))
                .extracting(PolicyException::problems)
                .asList()
                .singleElement()
                .asString()
                .contains("missing").contains("cannot be read");
    }

    private PolicySet parse(String file, String yaml)
    {
        return parser.parse(List.of(new PolicyDocument(file, yaml)));
    }

    private List<PolicyProblem> problems(PolicyDocument... documents)
    {
        try {
            parser.parse(List.of(documents));
        }
        catch (PolicyException e) {
            return e.problems();
        }
        throw new AssertionError("expected problems");
    }

    private static Mask mask(TableRule rule, String column)
    {
        Optional<Mask> mask = rule.columns().get(column).mask();
        assertThat(mask).isPresent();
        return mask.get();
    }
}
