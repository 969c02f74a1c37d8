package dev.sekisho.policies;

import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.TableName;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;

import static dev.sekisho.policies.TestingPolicies.parse;
import static dev.sekisho.policies.TestingPolicies.user;
import static org.assertj.core.api.Assertions.assertThat;

class TestPolicyEvaluator
{
    private static final TableName CUSTOMERS = TableName.parse("shop.customers");
    private static final TableName ORDERS = TableName.parse("shop.orders");

    private static final PolicySet POLICIES = parse("""
            roles:
              admin:   {groups: [admins]}
              creator: {groups: [analysts, finance], users: [carol]}
              viewer:  {groups: [everyone]}
            tables:
              shop.customers:
                allow: [viewer, creator, admin]
                deny: ["group:contractors"]
                columns:
                  email:      {mask: email}
                  phone:      {mask: phone, unmasked_for: [creator]}
                  name:       {mask: {partial: {keep_first: 1}}}
                  ssn:        {deny: [viewer, creator]}
                  salary:     {allow: [admin, "user:carol"]}
                  custom:     {mask: {sql: "concat(:user.department, '-', id)"}}
                unmasked_for: [admin]
                unfiltered_for: [admin]
                row_filters:
                  - {name: own_region, for: [creator], where: "region = :user.region"}
                  - {name: own_rows, for: ["group:partners"], where: "owner = :user.name"}
                  - {name: active_only, for: [creator], where: "is_active", mode: restrictive}
                  - {name: not_deleted, where: "deleted = 0", mode: restrictive}
              shop.orders:
                allow: ["group:finance"]
            """);

    private final PolicyEvaluator evaluator = new PolicyEvaluator(POLICIES);

    private final Principal alice = user("alice", Set.of("analysts"), Map.of("region", "JP", "department", "marketing"));
    private final Principal ann = user("ann", Set.of("analysts"), Map.of("region", "JP", "department", "marketing", "team", "x"));
    private final Principal bob = user("bob", Set.of("finance"), Map.of("region", "US", "department", "finance"));
    private final Principal admin = user("admin", Set.of("admins"), Map.of());
    private final Principal guest = user("guest", Set.of(), Map.of());
    private final Principal contractor = user("con", Set.of("analysts", "contractors"), Map.of("region", "JP"));

    @Test
    void rolesComeFromGroupsUsersAndEveryone()
    {
        assertThat(evaluator.rolesOf(alice)).containsExactly("creator", "viewer");
        assertThat(evaluator.rolesOf(user("carol", Set.of(), Map.of()))).containsExactly("creator", "viewer");
        assertThat(evaluator.rolesOf(admin)).containsExactly("admin", "viewer");
        assertThat(evaluator.rolesOf(guest)).containsExactly("viewer");
    }

    @Test
    void denyByDefault()
    {
        EffectivePolicy unknown = evaluator.evaluate(alice, TableName.parse("shop.products"));
        assertThat(unknown.visible()).isFalse();
        assertThat(unknown.firedRules()).singleElement().satisfies(rule -> {
            assertThat(rule.kind()).isEqualTo(FiredRule.Kind.DEFAULT_ACCESS);
            assertThat(rule.detail()).contains("defaults.access: deny");
        });
        assertThat(new PolicyEvaluator(PolicySet.denyAll()).evaluate(admin, CUSTOMERS).visible()).isFalse();
        assertThat(evaluator.isVisible(alice, ORDERS)).isFalse();
        assertThat(evaluator.isVisible(bob, ORDERS)).isTrue();
    }

    @Test
    void defaultAllowShowsUnlistedTablesUnrestricted()
    {
        PolicySet open = parse("""
                defaults: {access: allow}
                roles: {r: {users: [u]}}
                tables:
                  shop.secret: {deny: [r]}
                  shop.open: {columns: {email: {mask: email}}}
                  shop.listed: {allow: [r]}
                """);
        PolicyEvaluator openEvaluator = new PolicyEvaluator(open);
        Principal u = user("u", Set.of(), Map.of());
        Principal v = user("v", Set.of(), Map.of());
        assertThat(openEvaluator.evaluate(v, TableName.parse("shop.anything")).isUnrestricted()).isTrue();
        assertThat(openEvaluator.evaluate(u, TableName.parse("shop.secret")).visible()).isFalse();
        assertThat(openEvaluator.evaluate(v, TableName.parse("shop.secret")).visible()).isTrue();
        assertThat(openEvaluator.evaluate(v, TableName.parse("shop.open")).mask("EMAIL")).contains(new Mask.Email());
        assertThat(openEvaluator.evaluate(v, TableName.parse("shop.listed")).visible()).isFalse();
        assertThat(openEvaluator.evaluate(u, TableName.parse("shop.listed")).visible()).isTrue();
    }

    @Test
    void denyWinsOverAllow()
    {
        EffectivePolicy policy = evaluator.evaluate(contractor, CUSTOMERS);
        assertThat(policy.visible()).isFalse();
        assertThat(policy.deniedColumns()).isEmpty();
        assertThat(policy.firedRules()).singleElement().satisfies(rule -> {
            assertThat(rule.kind()).isEqualTo(FiredRule.Kind.TABLE_DENIED);
            assertThat(rule.toString()).isEqualTo("p.yaml:8: shop.customers: deny group:contractors");
        });
    }

    @Test
    void schemaPatternsApplyToTablesWithoutTheirOwnRule()
    {
        PolicySet policies = parse("""
                tables:
                  shop.*: {allow: ["group:everyone"]}
                  shop.secret: {allow: ["user:root"]}
                """);
        PolicyEvaluator patterns = new PolicyEvaluator(policies);
        assertThat(patterns.isVisible(guest, TableName.parse("shop.orders"))).isTrue();
        assertThat(patterns.isVisible(guest, TableName.parse("shop.secret"))).isFalse();
        assertThat(patterns.isVisible(guest, TableName.parse("other.orders"))).isFalse();
    }

    @Test
    void masksPerRoleAndUnmaskedFor()
    {
        EffectivePolicy viewer = evaluator.evaluate(guest, CUSTOMERS);
        assertThat(viewer.masks()).containsOnlyKeys("email", "phone", "name", "custom");
        assertThat(viewer.mask("phone")).contains(new Mask.Phone());
        assertThat(viewer.deniedColumns()).containsExactlyInAnyOrder("ssn", "salary");
        assertThat(viewer.isColumnVisible("SSN")).isFalse();
        assertThat(viewer.isColumnVisible("email")).isTrue();

        EffectivePolicy creator = evaluator.evaluate(alice, CUSTOMERS);
        assertThat(creator.masks()).containsOnlyKeys("email", "name", "custom");
        assertThat(creator.firedRules()).anySatisfy(rule -> assertThat(rule.toString()).isEqualTo("p.yaml:11: shop.customers.phone: unmasked_for creator"));
        assertThat(creator.deniedColumns()).containsExactlyInAnyOrder("ssn", "salary");

        EffectivePolicy carol = evaluator.evaluate(user("carol", Set.of(), Map.of()), CUSTOMERS);
        assertThat(carol.deniedColumns()).containsExactly("ssn");

        EffectivePolicy raw = evaluator.evaluate(admin, CUSTOMERS);
        assertThat(raw.masks()).isEmpty();
        // Deny wins: admin also holds viewer (every user does), and ssn is denied to viewer.
        assertThat(raw.deniedColumns()).containsExactly("ssn");
        assertThat(raw.noRows()).isFalse();
        assertThat(raw.permissiveFilters()).isEmpty();
        assertThat(raw.restrictiveFilters()).isEmpty();
        assertThat(raw.isUnrestricted()).isFalse();
        assertThat(raw.firedRules()).anySatisfy(rule -> assertThat(rule.kind()).isEqualTo(FiredRule.Kind.UNFILTERED));
    }

    @Test
    void sqlMaskBindsAttributesAndNullifiesWhenOneIsMissing()
    {
        EffectivePolicy withDepartment = evaluator.evaluate(alice, CUSTOMERS);
        assertThat(withDepartment.mask("custom")).contains(new Mask.Sql("concat(:user.department, '-', id)"));
        assertThat(withDepartment.parameters()).containsEntry("department", new ParameterValue.Text("marketing"));

        EffectivePolicy without = evaluator.evaluate(guest, CUSTOMERS);
        assertThat(without.mask("custom")).contains(new Mask.Nullify());
        assertThat(without.parameters()).doesNotContainKey("department");
    }

    @Test
    void permissiveFiltersCombineWithOrAndRestrictiveWithAnd()
    {
        Principal partnerAnalyst = user("pat", Set.of("analysts", "partners"), Map.of("region", "EU"));
        EffectivePolicy policy = evaluator.evaluate(partnerAnalyst, CUSTOMERS);
        assertThat(policy.noRows()).isFalse();
        assertThat(policy.permissiveFilters()).extracting(RowFilter::name).containsExactly("own_region", "own_rows");
        assertThat(policy.restrictiveFilters()).extracting(RowFilter::name).containsExactly("active_only", "not_deleted");
        assertThat(policy.parameters()).containsOnly(
                Map.entry("region", new ParameterValue.Text("EU")),
                Map.entry("name", new ParameterValue.Text("pat")));
        assertThat(policy.firedRules()).filteredOn(rule -> rule.kind() == FiredRule.Kind.ROW_FILTER)
                .extracting(FiredRule::toString)
                .containsExactly(
                        "p.yaml:19: shop.customers: row filter own_region (permissive): region = :user.region",
                        "p.yaml:20: shop.customers: row filter own_rows (permissive): owner = :user.name",
                        "p.yaml:21: shop.customers: row filter active_only (restrictive): is_active",
                        "p.yaml:22: shop.customers: row filter not_deleted (restrictive): deleted = 0");
    }

    @Test
    void noApplicablePermissiveFilterMeansNoRows()
    {
        EffectivePolicy viewer = evaluator.evaluate(guest, CUSTOMERS);
        assertThat(viewer.visible()).isTrue();
        assertThat(viewer.noRows()).isTrue();
        assertThat(viewer.permissiveFilters()).isEmpty();
        assertThat(viewer.restrictiveFilters()).isEmpty();
        assertThat(viewer.firedRules()).anySatisfy(rule -> assertThat(rule.kind()).isEqualTo(FiredRule.Kind.NO_ROWS));
    }

    @Test
    void missingAttributeDeniesInsteadOfFailingOpen()
    {
        Principal noRegion = user("nora", Set.of("analysts"), Map.of());
        EffectivePolicy policy = evaluator.evaluate(noRegion, CUSTOMERS);
        assertThat(policy.noRows()).isTrue();
        assertThat(policy.firedRules()).anySatisfy(rule -> {
            assertThat(rule.kind()).isEqualTo(FiredRule.Kind.ROW_FILTER_UNSATISFIED);
            assertThat(rule.detail()).contains(":user.region").contains("nora");
        });

        // A permissive filter that cannot be evaluated only drops out of the OR...
        Principal partner = user("pat", Set.of("analysts", "partners"), Map.of());
        EffectivePolicy partnerPolicy = evaluator.evaluate(partner, CUSTOMERS);
        assertThat(partnerPolicy.noRows()).isFalse();
        assertThat(partnerPolicy.permissiveFilters()).extracting(RowFilter::name).containsExactly("own_rows");

        // ...while a restrictive one that cannot be evaluated denies every row.
        PolicySet restrictive = parse("""
                tables:
                  s.t:
                    allow: ["group:everyone"]
                    row_filters:
                      - {where: "true"}
                      - {where: "dept = :user.department", mode: restrictive}
                """);
        EffectivePolicy denied = new PolicyEvaluator(restrictive).evaluate(guest, TableName.parse("s.t"));
        assertThat(denied.noRows()).isTrue();
        assertThat(denied.permissiveFilters()).isEmpty();
        assertThat(denied.parameters()).isEmpty();
    }

    @Test
    void groupsAreBoundAsASortedList()
    {
        PolicySet policies = parse("""
                tables:
                  s.t:
                    allow: ["group:everyone"]
                    row_filters: [{where: "team IN (:user.groups)"}]
                """);
        EffectivePolicy policy = new PolicyEvaluator(policies).evaluate(user("u", Set.of("b", "a"), Map.of()), TableName.parse("s.t"));
        assertThat(policy.parameters()).containsOnly(Map.entry("groups", new ParameterValue.TextList(java.util.List.of("a", "b"))));
    }

    @Test
    void fingerprintIsEqualExactlyWhenTheEffectIs()
    {
        // Same roles, same attribute values used: same fingerprint, though names and unused attributes differ.
        assertThat(evaluator.evaluate(alice, CUSTOMERS).fingerprint()).isEqualTo(evaluator.evaluate(ann, CUSTOMERS).fingerprint());
        // A different value of an attribute a filter uses.
        Principal usAnalyst = user("dave", Set.of("analysts"), Map.of("region", "US", "department", "marketing"));
        assertThat(evaluator.evaluate(alice, CUSTOMERS).fingerprint()).isNotEqualTo(evaluator.evaluate(usAnalyst, CUSTOMERS).fingerprint());
        // A different value of an attribute a sql mask uses.
        Principal otherDepartment = user("erin", Set.of("analysts"), Map.of("region", "JP", "department", "sales"));
        assertThat(evaluator.evaluate(alice, CUSTOMERS).fingerprint()).isNotEqualTo(evaluator.evaluate(otherDepartment, CUSTOMERS).fingerprint());
        // Different rules.
        assertThat(evaluator.evaluate(alice, CUSTOMERS).fingerprint()).isNotEqualTo(evaluator.evaluate(admin, CUSTOMERS).fingerprint());
        assertThat(evaluator.evaluate(guest, CUSTOMERS).fingerprint()).isNotEqualTo(evaluator.evaluate(alice, CUSTOMERS).fingerprint());
        // Invisible is invisible, whatever the reason; but per table.
        assertThat(evaluator.evaluate(contractor, CUSTOMERS).fingerprint()).isEqualTo(evaluator.evaluate(user("c2", Set.of("contractors"), Map.of()), CUSTOMERS).fingerprint());
        assertThat(evaluator.evaluate(guest, ORDERS).fingerprint()).isNotEqualTo(evaluator.evaluate(contractor, CUSTOMERS).fingerprint());
        // Stable across snapshots when the table's effect is unchanged, and different when it changes.
        PolicySet moved = parse("# a comment moves every line\n" + POLICIES_TEXT_WITH_LINES_SHIFTED);
        assertThat(new PolicyEvaluator(moved).evaluate(alice, CUSTOMERS).fingerprint()).isEqualTo(evaluator.evaluate(alice, CUSTOMERS).fingerprint());
        PolicySet changed = parse(POLICIES_TEXT_WITH_LINES_SHIFTED.replace("keep_first: 1", "keep_first: 2"));
        assertThat(new PolicyEvaluator(changed).evaluate(alice, CUSTOMERS).fingerprint()).isNotEqualTo(evaluator.evaluate(alice, CUSTOMERS).fingerprint());
        assertThat(evaluator.evaluate(alice, CUSTOMERS).fingerprint()).matches("sha256:[0-9a-f]{64}");
    }

    private static final String POLICIES_TEXT_WITH_LINES_SHIFTED = """
            roles:
              admin:   {groups: [admins]}
              creator: {groups: [analysts, finance], users: [carol]}
              viewer:  {groups: [everyone]}
            tables:
              shop.orders:
                allow: ["group:finance"]
              shop.customers:
                allow: [viewer, creator, admin]
                deny: ["group:contractors"]
                columns:
                  custom:     {mask: {sql: "concat(:user.department, '-', id)"}}
                  email:      {mask: email}
                  phone:      {mask: phone, unmasked_for: [creator]}
                  name:       {mask: {partial: {keep_first: 1}}}
                  ssn:        {deny: [viewer, creator]}
                  salary:     {allow: [admin, "user:carol"]}
                unmasked_for: [admin]
                unfiltered_for: [admin]
                row_filters:
                  - {name: region, for: [creator], where: "region = :user.region"}
                  - {name: own_rows, for: ["group:partners"], where: "owner = :user.name"}
                  - {name: active_only, for: [creator], where: "is_active", mode: restrictive}
                  - {name: not_deleted, where: "deleted = 0", mode: restrictive}
            """;
}
