package dev.sekisho.policies.testcase;

import dev.sekisho.policies.load.DirectoryPolicySource;
import dev.sekisho.policies.load.PolicyDocument;
import dev.sekisho.policies.load.PolicyException;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.validate.DidYouMean;
import dev.sekisho.policies.validate.PolicyProblem;
import dev.sekisho.policies.yaml.YamlException;
import dev.sekisho.policies.yaml.YamlNode;
import dev.sekisho.policies.yaml.YamlReader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads policy test files ({@code *.test.yaml} beside the policy files) into {@link PolicyTestCase}s.
 * <pre>
 * tests:
 *   - name: alice sees JP customers only, emails masked
 *     user: alice
 *     query: SELECT id, email FROM shop.customers
 *     expect: {masked_columns: [email], unmasked_columns: [id]}
 * </pre>
 * Reports every problem with file:line, like the policy parser; the runner lives in the CLI.
 */
public final class PolicyTestParser
{
    static final List<String> TOP_LEVEL_KEYS = List.of("tests");
    static final List<String> TEST_KEYS = List.of("name", "user", "query", "expect");
    static final List<String> USER_KEYS = List.of("name", "groups", "attributes");
    static final List<String> EXPECT_KEYS = List.of("error", "rows", "columns", "absent_columns", "masked_columns", "unmasked_columns");

    private static final Pattern SQLSTATE = Pattern.compile("[0-9A-Z]{5}");

    /** Every test of every {@code *.test.yaml} / {@code *.test.yml} file in a directory, in file order. */
    public List<PolicyTestCase> parseDirectory(Path directory)
    {
        List<PolicyDocument> documents = new ArrayList<>();
        try {
            for (Path file : DirectoryPolicySource.testFiles(directory)) {
                documents.add(new PolicyDocument(file.toString(), Files.readString(file, StandardCharsets.UTF_8)));
            }
        }
        catch (IOException e) {
            throw new PolicyException(List.of(new PolicyProblem(new SourceLocation(directory.toString(), 0), "", "cannot be read: " + e)));
        }
        return parse(documents);
    }

    /** The tests of several documents; names must be unique across them. */
    public List<PolicyTestCase> parse(List<PolicyDocument> documents)
    {
        List<PolicyProblem> problems = new ArrayList<>();
        List<PolicyTestCase> cases = new ArrayList<>();
        Map<String, SourceLocation> names = new HashMap<>();
        for (PolicyDocument document : documents) {
            try {
                for (PolicyTestCase test : parseDocument(YamlReader.read(document.name(), document.content()), problems)) {
                    SourceLocation previous = names.putIfAbsent(test.name(), test.origin());
                    if (previous != null) {
                        problems.add(new PolicyProblem(test.origin(), "tests", "test name '%s' is also used at %s".formatted(test.name(), previous)));
                    }
                    cases.add(test);
                }
            }
            catch (PolicyException e) {
                problems.addAll(e.problems());
            }
            catch (YamlException e) {
                problems.add(new PolicyProblem(e.location(), e.key(), e.problem()));
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return List.copyOf(cases);
    }

    private static List<PolicyTestCase> parseDocument(YamlNode root, List<PolicyProblem> problems)
    {
        if (!(root instanceof YamlNode.MapNode map)) {
            problems.add(new PolicyProblem(root.location(), "", "must be a mapping with tests: [...]"));
            return List.of();
        }
        keys(map, "", TOP_LEVEL_KEYS, problems);
        YamlNode testsNode = map.entries().get("tests");
        if (testsNode == null) {
            problems.add(new PolicyProblem(root.location(), "", "has no tests: list"));
            return List.of();
        }
        if (!(testsNode instanceof YamlNode.ListNode list)) {
            problems.add(new PolicyProblem(testsNode.location(), "tests", "must be a list of tests, not " + testsNode.describe()));
            return List.of();
        }
        List<PolicyTestCase> cases = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            testCase(list.items().get(i), "tests[" + i + "]", problems).ifPresent(cases::add);
        }
        return cases;
    }

    private static Optional<PolicyTestCase> testCase(YamlNode node, String path, List<PolicyProblem> problems)
    {
        if (!(node instanceof YamlNode.MapNode map)) {
            problems.add(new PolicyProblem(node.location(), path, "must be a mapping with name, user, query and expect, not " + node.describe()));
            return Optional.empty();
        }
        int before = problems.size();
        keys(map, path, TEST_KEYS, problems);
        String name = requiredString(map, "name", path, problems);
        String query = requiredString(map, "query", path, problems);
        PolicyTestUser user = null;
        YamlNode userNode = map.entries().get("user");
        if (userNode == null) {
            problems.add(new PolicyProblem(map.location(), path, "has no user; write user: alice"));
        }
        else {
            user = user(userNode, path + ".user", problems);
        }
        PolicyTestExpectation expect = null;
        YamlNode expectNode = map.entries().get("expect");
        if (expectNode == null) {
            problems.add(new PolicyProblem(map.location(), path, "has no expect; write e.g. expect: {rows: 10}"));
        }
        else {
            expect = expectation(expectNode, path + ".expect", problems);
        }
        if (problems.size() > before || name == null || query == null || user == null || expect == null) {
            return Optional.empty();
        }
        return Optional.of(new PolicyTestCase(name, user, query, expect, map.location()));
    }

    private static PolicyTestUser user(YamlNode node, String path, List<PolicyProblem> problems)
    {
        if (node instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String name && !name.isBlank()) {
            return new PolicyTestUser(name.strip(), Optional.empty(), Optional.empty());
        }
        if (!(node instanceof YamlNode.MapNode map)) {
            problems.add(new PolicyProblem(node.location(), path, "must be a user name or {name, groups, attributes}, not " + node.describe()));
            return null;
        }
        keys(map, path, USER_KEYS, problems);
        String name = requiredString(map, "name", path, problems);
        Optional<Set<String>> groups = Optional.empty();
        if (map.entries().containsKey("groups")) {
            groups = Optional.of(new LinkedHashSet<>(strings(map.entries().get("groups"), path + ".groups", problems)));
        }
        Optional<Map<String, String>> attributes = Optional.empty();
        YamlNode attributesNode = map.entries().get("attributes");
        if (attributesNode != null) {
            Map<String, String> values = new LinkedHashMap<>();
            if (attributesNode instanceof YamlNode.MapNode attributesMap) {
                attributesMap.entries().forEach((key, value) -> {
                    if (value instanceof YamlNode.ScalarNode scalar && scalar.value() != null && !(scalar.value() instanceof Boolean)) {
                        values.put(key, scalar.value().toString());
                    }
                    else {
                        problems.add(new PolicyProblem(value.location(), path + ".attributes." + key, "must be a string, not " + value.describe()));
                    }
                });
            }
            else {
                problems.add(new PolicyProblem(attributesNode.location(), path + ".attributes", "must be a mapping, e.g. {region: JP}"));
            }
            attributes = Optional.of(values);
        }
        return name == null ? null : new PolicyTestUser(name, groups, attributes);
    }

    private static PolicyTestExpectation expectation(YamlNode node, String path, List<PolicyProblem> problems)
    {
        if (!(node instanceof YamlNode.MapNode map) || map.entries().isEmpty()) {
            problems.add(new PolicyProblem(node.location(), path, "must be a mapping with at least one of " + String.join(", ", EXPECT_KEYS)));
            return null;
        }
        keys(map, path, EXPECT_KEYS, problems);
        Map<String, YamlNode> entries = map.entries();
        Optional<String> error = Optional.empty();
        if (entries.containsKey("error")) {
            YamlNode errorNode = entries.get("error");
            if (errorNode instanceof YamlNode.ScalarNode scalar && scalar.value() != null && SQLSTATE.matcher(scalar.value().toString()).matches()) {
                error = Optional.of(scalar.value().toString());
            }
            else {
                problems.add(new PolicyProblem(errorNode.location(), path + ".error", "must be a five-character SQLSTATE such as 42P01 (quote codes like \"42501\")"));
            }
            if (entries.size() > 1) {
                problems.add(new PolicyProblem(errorNode.location(), path, "an error expectation cannot be combined with row or column expectations"));
            }
        }
        OptionalLong rows = OptionalLong.empty();
        YamlNode rowsNode = entries.get("rows");
        if (rowsNode != null) {
            if (rowsNode instanceof YamlNode.ScalarNode scalar && (scalar.value() instanceof Integer || scalar.value() instanceof Long)
                    && ((Number) scalar.value()).longValue() >= 0) {
                rows = OptionalLong.of(((Number) scalar.value()).longValue());
            }
            else {
                problems.add(new PolicyProblem(rowsNode.location(), path + ".rows", "must be a whole number of rows, 0 or more"));
            }
        }
        Optional<List<String>> columns = entries.containsKey("columns")
                ? Optional.of(strings(entries.get("columns"), path + ".columns", problems))
                : Optional.empty();
        return new PolicyTestExpectation(
                error,
                rows,
                columns,
                strings(entries.get("absent_columns"), path + ".absent_columns", problems),
                strings(entries.get("masked_columns"), path + ".masked_columns", problems),
                strings(entries.get("unmasked_columns"), path + ".unmasked_columns", problems));
    }

    private static String requiredString(YamlNode.MapNode map, String key, String path, List<PolicyProblem> problems)
    {
        YamlNode node = map.entries().get(key);
        if (node == null) {
            problems.add(new PolicyProblem(map.location(), path, "has no " + key));
            return null;
        }
        if (node instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text && !text.isBlank()) {
            return text.strip();
        }
        problems.add(new PolicyProblem(node.location(), path + "." + key, "must be a non-empty string, not " + node.describe()));
        return null;
    }

    private static List<String> strings(YamlNode node, String path, List<PolicyProblem> problems)
    {
        if (node == null) {
            return List.of();
        }
        List<YamlNode> items = node instanceof YamlNode.ListNode list ? list.items() : List.of(node);
        List<String> strings = new ArrayList<>();
        for (YamlNode item : items) {
            if (item instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text) {
                strings.add(text);
            }
            else {
                problems.add(new PolicyProblem(item.location(), path, "must list names, found " + item.describe()));
            }
        }
        return strings;
    }

    private static void keys(YamlNode.MapNode map, String path, List<String> known, List<PolicyProblem> problems)
    {
        map.entries().keySet().forEach(key -> {
            if (!known.contains(key)) {
                problems.add(new PolicyProblem(map.keyLocations().get(key), path.isEmpty() ? key : path + "." + key,
                        "unknown key '%s'%s (known keys: %s)".formatted(key, DidYouMean.suffix(key, known), String.join(", ", known))));
            }
        });
    }
}
