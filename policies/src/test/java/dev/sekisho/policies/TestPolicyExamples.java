package dev.sekisho.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyParser;
import dev.sekisho.policies.load.TestPolicyParser;
import dev.sekisho.policies.model.TableName;
import dev.sekisho.policies.testcase.PolicyTestCase;
import dev.sekisho.policies.testcase.PolicyTestParser;
import dev.sekisho.policies.validate.StructuralChecks;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps docs/policies.md, docs/policy.schema.json, the demo's policies and the code in agreement:
 * every example validates against the schema and parses and checks cleanly with the code.
 */
class TestPolicyExamples
{
    private static final Path ROOT = Path.of("..");
    private static final Path SCHEMA = ROOT.resolve("docs/policy.schema.json");
    private static final Path REFERENCE = ROOT.resolve("docs/policies.md");
    private static final Path DEMO = ROOT.resolve("examples/policies");
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonSchema schema = schema();

    @Test
    void referenceExamplesMatchTheSchemaAndTheCode()
            throws IOException
    {
        List<String> blocks = yamlBlocks(Files.readString(REFERENCE));
        assertThat(blocks).hasSizeGreaterThan(10);
        int policies = 0;
        int tests = 0;
        for (int i = 0; i < blocks.size(); i++) {
            String block = blocks.get(i);
            String name = "policies.md block " + (i + 1);
            if (block.startsWith("tests:")) {
                assertThat(new PolicyTestParser().parse(List.of(new PolicyDocument(name, block)))).as(name).isNotEmpty();
                tests++;
                continue;
            }
            assertThat(validate(block)).as(name + ":\n" + block).isEmpty();
            PolicySet parsed = new PolicyParser().parse(List.of(new PolicyDocument(name, block)));
            if (block.contains("roles:")) {
                assertThat(new StructuralChecks().check(parsed)).as(name).isEmpty();
            }
            policies++;
        }
        assertThat(policies).isGreaterThan(10);
        assertThat(tests).isPositive();
    }

    @Test
    void demoPoliciesMatchTheSchemaAndTheCode()
            throws IOException
    {
        List<Path> files = DirectoryPolicySource.policyFiles(DEMO);
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(validate(Files.readString(file))).as(file.toString()).isEmpty();
        }
        PolicySet policies = new PolicyParser().parse(new DirectoryPolicySource(DEMO));
        assertThat(new StructuralChecks().check(policies)).isEmpty();

        PolicyEvaluator evaluator = new PolicyEvaluator(policies);
        Principal alice = new Principal("alice", Set.of("analysts"), Map.of("region", "JP", "department", "marketing"));
        Principal bob = new Principal("bob", Set.of("finance"), Map.of("region", "US", "department", "finance"));
        Principal admin = new Principal("admin", Set.of("admins"), Map.of());
        TableName customers = TableName.parse("shop.customers");
        EffectivePolicy aliceCustomers = evaluator.evaluate(alice, customers);
        assertThat(aliceCustomers.masks()).containsOnlyKeys("name", "email", "phone", "birth_date");
        assertThat(aliceCustomers.permissiveFilters()).singleElement().satisfies(filter -> assertThat(filter.where()).isEqualTo("region = :user.region"));
        assertThat(aliceCustomers.parameters()).containsEntry("region", new ParameterValue.Text("JP"));
        assertThat(evaluator.evaluate(bob, customers).permissiveFilters()).isEmpty();
        assertThat(evaluator.evaluate(bob, customers).noRows()).isFalse();
        assertThat(evaluator.evaluate(admin, customers).isUnrestricted()).isTrue();
        assertThat(evaluator.isVisible(new Principal("mallory", Set.of(), Map.of()), customers)).isFalse();

        List<PolicyTestCase> tests = new PolicyTestParser().parseDirectory(DEMO);
        assertThat(tests).hasSizeGreaterThan(3);
    }

    @Test
    void schemaRejectsWhatTheParserRejects()
    {
        assertThat(validate("tabels: {}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {columns: {email: {mask: emial}}}}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {columns: {a: {mask: {round: 0}}}}}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {columns: {a: {mask: {partial: {keep_first: -1}}}}}}\n")).isNotEmpty();
        assertThat(validate("tables: {customers: {}}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {row_filters: [{for: [x]}]}}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {row_filters: [{where: \"a = 1; drop table x\"}]}}\n")).isNotEmpty();
        assertThat(validate("defaults: {access: maybe}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {columns: {a: {mask: {sql: \"x; y\"}}}}}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {allow: [\"grp:x\"]}}\n")).isNotEmpty();
        assertThat(validate("tables: {shop.customers: {allow: [\"group:x\", \"user:y\", viewer]}}\n")).isEmpty();
        assertThat(validate(TestPolicyParser.SKETCH)).isEmpty();
    }

    private List<String> validate(String yaml)
    {
        try {
            JsonNode node = YAML.readTree(yaml);
            if (node == null || node.isMissingNode()) {
                node = YAML.createObjectNode();
            }
            List<String> messages = new ArrayList<>();
            for (ValidationMessage message : schema.validate(node)) {
                messages.add(message.getMessage());
            }
            return messages;
        }
        catch (IOException e) {
            return List.of("not YAML: " + e.getMessage());
        }
    }

    private static List<String> yamlBlocks(String markdown)
    {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = YAML_BLOCK.matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1));
        }
        return blocks;
    }

    private static JsonSchema schema()
    {
        try {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
            return factory.getSchema(Files.readString(SCHEMA));
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
