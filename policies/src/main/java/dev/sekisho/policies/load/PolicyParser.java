package dev.sekisho.policies.load;

import dev.sekisho.policies.PolicySet;
import dev.sekisho.policies.model.ColumnRule;
import dev.sekisho.policies.model.DefaultAccess;
import dev.sekisho.policies.model.Defaults;
import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.Mask;
import dev.sekisho.policies.model.Role;
import dev.sekisho.policies.model.RowFilter;
import dev.sekisho.policies.model.RowFilterMode;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.model.TableRule;
import dev.sekisho.policies.validate.DidYouMean;
import dev.sekisho.policies.validate.PolicyProblem;
import dev.sekisho.policies.yaml.YamlException;
import dev.sekisho.policies.yaml.YamlNode;
import dev.sekisho.policies.yaml.YamlReader;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Policy files -> one {@link PolicySet}. Reads the YAML shape only: every key known, every value of
 * the right kind, each table and role defined once across all files; it reports every problem it
 * finds with file:line and throws {@link PolicyException}. Value ranges and references are left
 * to {@link dev.sekisho.policies.validate.StructuralChecks}. Expressions are kept as text.
 */
public final class PolicyParser
{
    /** Top-level keys of a policy file. */
    public static final List<String> TOP_LEVEL_KEYS = List.of("roles", "defaults", "tables", "budgets", "resource_groups", "end_users");
    static final List<String> ROLE_KEYS = List.of("groups", "users");
    static final List<String> DEFAULTS_KEYS = List.of("access");
    static final List<String> TABLE_KEYS = List.of("allow", "deny", "columns", "unmasked_for", "unfiltered_for", "row_filters");
    static final List<String> COLUMN_KEYS = List.of("mask", "allow", "deny", "unmasked_for");
    static final List<String> ROW_FILTER_KEYS = List.of("name", "for", "where", "mode");
    static final List<String> PARTIAL_KEYS = List.of("keep_first", "keep_last", "mask_char");

    private static final Pattern TABLE_PATTERN = Pattern.compile("[^.\\s*]+\\.([^.\\s*]+|\\*)");

    /** Reads and parses every file of a source. */
    public PolicySet parse(PolicySource source)
    {
        List<PolicyDocument> documents;
        try {
            documents = source.read();
        }
        catch (IOException e) {
            throw new PolicyException(List.of(new PolicyProblem(new SourceLocation(source.describe(), 0), "",
                    "cannot be read: " + e.getClass().getSimpleName() + ": " + e.getMessage())));
        }
        return parse(documents);
    }

    /** Parses documents into one snapshot; their order only matters for messages. */
    public PolicySet parse(List<PolicyDocument> documents)
    {
        Parse parse = new Parse();
        for (PolicyDocument document : documents) {
            YamlNode root;
            try {
                root = YamlReader.read(document.name(), document.content());
            }
            catch (YamlException e) {
                parse.problems.add(new PolicyProblem(e.location(), e.key(), e.problem()));
                continue;
            }
            parse.document(root);
        }
        parse.guards.finish(parse.roles.keySet());
        if (!parse.problems.isEmpty()) {
            throw new PolicyException(parse.problems);
        }
        return new PolicySet(
                version(documents),
                documents.stream().map(PolicyDocument::name).toList(),
                parse.defaults == null ? Defaults.denyByDefault() : parse.defaults,
                parse.roles,
                parse.tables,
                parse.guards.budgets(),
                parse.guards.resourceGroups(),
                parse.guards.endUsers());
    }

    /** {@code sha256:} and the first 16 hex digits of the hash of the files' names and contents. */
    static String version(List<PolicyDocument> documents)
    {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (PolicyDocument document : documents) {
                digest.update(document.name().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(document.content().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return "sha256:" + HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The state of one parse: what has been read so far and what is wrong. */
    private static final class Parse
    {
        final List<PolicyProblem> problems = new ArrayList<>();
        final Map<String, Role> roles = new LinkedHashMap<>();
        final Map<String, TableRule> tables = new LinkedHashMap<>();
        final GuardSectionsParser guards = new GuardSectionsParser(problems);
        Defaults defaults;

        void document(YamlNode root)
        {
            Optional<YamlNode.MapNode> map = map(root, "", "a mapping with " + String.join(", ", TOP_LEVEL_KEYS));
            if (map.isEmpty()) {
                return;
            }
            knownKeys(map.get(), "", TOP_LEVEL_KEYS);
            entries(map.get(), "roles").ifPresent(this::roles);
            YamlNode defaultsNode = map.get().entries().get("defaults");
            if (defaultsNode != null) {
                defaults(defaultsNode, map.get().keyLocations().get("defaults"));
            }
            entries(map.get(), "tables").ifPresent(this::tables);
            guards.document(map.get());
        }

        private void roles(YamlNode.MapNode roles)
        {
            roles.entries().forEach((name, node) -> {
                String path = "roles." + name;
                SourceLocation location = roles.keyLocations().get(name);
                Role existing = this.roles.get(name);
                if (existing != null) {
                    problem(location, path, "role '%s' is also defined at %s; define each role once".formatted(name, existing.origin()));
                    return;
                }
                Set<String> groups = Set.of();
                Set<String> users = Set.of();
                if (!isNull(node)) {
                    Optional<YamlNode.MapNode> map = map(node, path, "a mapping with groups and/or users, e.g. {groups: [analysts]}");
                    if (map.isEmpty()) {
                        return;
                    }
                    knownKeys(map.get(), path, ROLE_KEYS);
                    groups = names(map.get().entries().get("groups"), path + ".groups");
                    users = names(map.get().entries().get("users"), path + ".users");
                }
                this.roles.put(name, new Role(name, groups, users, location));
            });
        }

        private void defaults(YamlNode node, SourceLocation location)
        {
            if (defaults != null) {
                problem(location, "defaults", "defaults are also given at %s; give them in one file only".formatted(defaults.origin()));
                return;
            }
            Optional<YamlNode.MapNode> map = map(node, "defaults", "a mapping, e.g. {access: deny}");
            if (map.isEmpty()) {
                return;
            }
            knownKeys(map.get(), "defaults", DEFAULTS_KEYS);
            DefaultAccess access = DefaultAccess.DENY;
            YamlNode accessNode = map.get().entries().get("access");
            if (accessNode != null) {
                Optional<String> text = string(accessNode, "defaults.access");
                if (text.isEmpty()) {
                    return;
                }
                switch (text.get()) {
                    case "deny":
                        access = DefaultAccess.DENY;
                        break;
                    case "allow":
                        access = DefaultAccess.ALLOW;
                        break;
                    default:
                        problem(accessNode.location(), "defaults.access", "must be deny or allow, not '%s'".formatted(text.get()));
                        return;
                }
            }
            defaults = new Defaults(access, location);
        }

        private void tables(YamlNode.MapNode tables)
        {
            tables.entries().forEach((key, node) -> {
                String path = "tables." + key;
                SourceLocation location = tables.keyLocations().get(key);
                String pattern = key.strip().toLowerCase(Locale.ROOT);
                if (!TABLE_PATTERN.matcher(pattern).matches()) {
                    problem(location, path, "is not a table name; write schema.table (e.g. shop.customers) or schema.* for every table of a schema");
                    return;
                }
                TableRule existing = this.tables.get(pattern);
                if (existing != null) {
                    problem(location, path, "table '%s' is also defined at %s; define each table in one place".formatted(pattern, existing.origin()));
                    return;
                }
                table(pattern, node, path, location).ifPresent(rule -> this.tables.put(pattern, rule));
            });
        }

        private Optional<TableRule> table(String pattern, YamlNode node, String path, SourceLocation location)
        {
            if (isNull(node)) {
                return Optional.of(new TableRule(pattern, Optional.empty(), List.of(), Map.of(), List.of(), List.of(), List.of(), location));
            }
            Optional<YamlNode.MapNode> map = map(node, path, "a mapping with " + String.join(", ", TABLE_KEYS));
            if (map.isEmpty()) {
                return Optional.empty();
            }
            knownKeys(map.get(), path, TABLE_KEYS);
            Map<String, YamlNode> entries = map.get().entries();
            Optional<List<Grantee>> allow = optionalGrantees(entries.get("allow"), path + ".allow");
            List<Grantee> deny = grantees(entries.get("deny"), path + ".deny");
            List<Grantee> unmaskedFor = grantees(entries.get("unmasked_for"), path + ".unmasked_for");
            List<Grantee> unfilteredFor = grantees(entries.get("unfiltered_for"), path + ".unfiltered_for");

            Map<String, ColumnRule> columns = new LinkedHashMap<>();
            entries(map.get(), "columns", path).ifPresent(columnNodes -> columnNodes.entries().forEach((name, columnNode) -> {
                String columnPath = path + ".columns." + name;
                String column = name.strip().toLowerCase(Locale.ROOT);
                SourceLocation columnLocation = columnNodes.keyLocations().get(name);
                if (column.isEmpty()) {
                    problem(columnLocation, columnPath, "is not a column name");
                    return;
                }
                ColumnRule existing = columns.get(column);
                if (existing != null) {
                    problem(columnLocation, columnPath, "column '%s' is also given at %s (names are not case-sensitive)".formatted(column, existing.origin()));
                    return;
                }
                column(column, columnNode, columnPath, columnLocation).ifPresent(rule -> columns.put(column, rule));
            }));

            List<RowFilter> rowFilters = new ArrayList<>();
            YamlNode filtersNode = entries.get("row_filters");
            if (filtersNode != null && !isNull(filtersNode)) {
                if (filtersNode instanceof YamlNode.ListNode list) {
                    for (int i = 0; i < list.items().size(); i++) {
                        rowFilter(list.items().get(i), path + ".row_filters[" + i + "]", i).ifPresent(rowFilters::add);
                    }
                }
                else {
                    problem(filtersNode.location(), path + ".row_filters", "must be a list of filters, e.g. [{for: [viewer], where: \"region = :user.region\"}], not " + filtersNode.describe());
                }
            }
            return Optional.of(new TableRule(pattern, allow, deny, columns, unmaskedFor, unfilteredFor, rowFilters, location));
        }

        private Optional<ColumnRule> column(String column, YamlNode node, String path, SourceLocation location)
        {
            Optional<YamlNode.MapNode> map = map(node, path, "a mapping with " + String.join(", ", COLUMN_KEYS) + ", e.g. {mask: email}");
            if (map.isEmpty()) {
                return Optional.empty();
            }
            knownKeys(map.get(), path, COLUMN_KEYS);
            Map<String, YamlNode> entries = map.get().entries();
            Optional<Mask> mask = Optional.empty();
            YamlNode maskNode = entries.get("mask");
            if (maskNode != null) {
                mask = mask(maskNode, path + ".mask");
                if (mask.isEmpty()) {
                    return Optional.empty();
                }
            }
            return Optional.of(new ColumnRule(
                    column,
                    optionalGrantees(entries.get("allow"), path + ".allow"),
                    grantees(entries.get("deny"), path + ".deny"),
                    mask,
                    grantees(entries.get("unmasked_for"), path + ".unmasked_for"),
                    location));
        }

        private Optional<Mask> mask(YamlNode node, String path)
        {
            List<String> kinds = java.util.Arrays.stream(Mask.Kind.values()).map(Mask.Kind::key).toList();
            if (node instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String name) {
                switch (name) {
                    case "redact":
                        return Optional.of(new Mask.Redact());
                    case "email":
                        return Optional.of(new Mask.Email());
                    case "hash":
                        return Optional.of(new Mask.Hash());
                    case "nullify":
                        return Optional.of(new Mask.Nullify());
                    case "year":
                        return Optional.of(new Mask.Year());
                    case "phone":
                        return Optional.of(new Mask.Phone());
                    case "partial":
                        return Optional.of(new Mask.Partial(0, 0, "*"));
                    case "round":
                        problem(node.location(), path, "round needs a step; write {round: 100}");
                        return Optional.empty();
                    case "sql":
                        problem(node.location(), path, "sql needs an expression; write {sql: \"concat(left(name, 1), '***')\"}");
                        return Optional.empty();
                    default:
                        problem(node.location(), path, "unknown mask '%s'%s (masks: %s)".formatted(name, DidYouMean.suffix(name, kinds), String.join(", ", kinds)));
                        return Optional.empty();
                }
            }
            if (!(node instanceof YamlNode.MapNode map) || map.entries().size() != 1) {
                problem(node.location(), path, "must be a mask name (e.g. email) or a mapping with one mask and its parameters (e.g. {round: 100}), not " + node.describe());
                return Optional.empty();
            }
            String name = map.entries().keySet().iterator().next();
            YamlNode value = map.entries().get(name);
            String valuePath = path + "." + name;
            SourceLocation location = map.keyLocations().get(name);
            switch (name) {
                case "partial":
                    return partial(value, valuePath);
                case "round": {
                    if (value instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof Number number) {
                        return Optional.of(new Mask.Round(decimal(number)));
                    }
                    problem(location, valuePath, "must be a number, the step to round to (e.g. {round: 100}), not " + value.describe());
                    return Optional.empty();
                }
                case "sql": {
                    if (value instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String expression) {
                        return Optional.of(new Mask.Sql(expression));
                    }
                    problem(location, valuePath, "must be a SQL expression in a string, not " + value.describe());
                    return Optional.empty();
                }
                case "redact":
                case "email":
                case "hash":
                case "nullify":
                case "year":
                case "phone":
                    problem(location, valuePath, "takes no parameters; write mask: " + name);
                    return Optional.empty();
                default:
                    problem(location, valuePath, "unknown mask '%s'%s (masks: %s)".formatted(name, DidYouMean.suffix(name, kinds), String.join(", ", kinds)));
                    return Optional.empty();
            }
        }

        private Optional<Mask> partial(YamlNode node, String path)
        {
            if (isNull(node)) {
                return Optional.of(new Mask.Partial(0, 0, "*"));
            }
            Optional<YamlNode.MapNode> map = map(node, path, "a mapping with keep_first, keep_last and mask_char");
            if (map.isEmpty()) {
                return Optional.empty();
            }
            int before = problems.size();
            knownKeys(map.get(), path, PARTIAL_KEYS);
            int keepFirst = integer(map.get().entries().get("keep_first"), path + ".keep_first").orElse(0);
            int keepLast = integer(map.get().entries().get("keep_last"), path + ".keep_last").orElse(0);
            String maskChar = "*";
            YamlNode charNode = map.get().entries().get("mask_char");
            if (charNode != null) {
                maskChar = string(charNode, path + ".mask_char").orElse("*");
            }
            if (problems.size() > before) {
                return Optional.empty();
            }
            return Optional.of(new Mask.Partial(keepFirst, keepLast, maskChar));
        }

        private Optional<RowFilter> rowFilter(YamlNode node, String path, int index)
        {
            Optional<YamlNode.MapNode> map = map(node, path, "a mapping with name, for, where and mode, e.g. {for: [viewer], where: \"region = :user.region\"}");
            if (map.isEmpty()) {
                return Optional.empty();
            }
            int before = problems.size();
            knownKeys(map.get(), path, ROW_FILTER_KEYS);
            Map<String, YamlNode> entries = map.get().entries();
            String name = "row_filters[" + index + "]";
            if (entries.containsKey("name")) {
                name = string(entries.get("name"), path + ".name").orElse(name);
            }
            Optional<List<Grantee>> grantees = optionalGrantees(entries.get("for"), path + ".for");
            String where = null;
            YamlNode whereNode = entries.get("where");
            if (whereNode == null) {
                problem(node.location(), path, "has no where; write the SQL condition, e.g. where: \"region = :user.region\"");
            }
            else if (whereNode instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof Boolean) {
                problem(whereNode.location(), path + ".where", "must be a SQL expression in a string; quote it: where: \"%s\"".formatted(scalar.value()));
            }
            else {
                where = string(whereNode, path + ".where").orElse(null);
            }
            RowFilterMode mode = RowFilterMode.PERMISSIVE;
            YamlNode modeNode = entries.get("mode");
            if (modeNode != null) {
                Optional<String> text = string(modeNode, path + ".mode");
                if (text.isPresent()) {
                    switch (text.get()) {
                        case "permissive":
                            mode = RowFilterMode.PERMISSIVE;
                            break;
                        case "restrictive":
                            mode = RowFilterMode.RESTRICTIVE;
                            break;
                        default:
                            problem(modeNode.location(), path + ".mode", "must be permissive or restrictive, not '%s'".formatted(text.get()));
                    }
                }
            }
            if (problems.size() > before || where == null) {
                return Optional.empty();
            }
            return Optional.of(new RowFilter(name, grantees, where, mode, map.get().location()));
        }

        private Optional<List<Grantee>> optionalGrantees(YamlNode node, String path)
        {
            if (node == null) {
                return Optional.empty();
            }
            return Optional.of(grantees(node, path));
        }

        /** A grantee list: one string or a list of strings; absent or null is empty. */
        private List<Grantee> grantees(YamlNode node, String path)
        {
            List<Grantee> grantees = new ArrayList<>();
            for (YamlNode.ScalarNode item : stringItems(node, path, "roles, group:NAME or user:NAME entries, e.g. [viewer, group:finance]")) {
                try {
                    grantees.add(Grantee.parse((String) item.value(), item.location()));
                }
                catch (IllegalArgumentException e) {
                    problem(item.location(), path, e.getMessage());
                }
            }
            return grantees;
        }

        /** A list of plain names (or one name); absent or null is empty. */
        private Set<String> names(YamlNode node, String path)
        {
            Set<String> names = new LinkedHashSet<>();
            for (YamlNode.ScalarNode item : stringItems(node, path, "names, e.g. [analysts, finance]")) {
                String name = ((String) item.value()).strip();
                if (name.isEmpty()) {
                    problem(item.location(), path, "holds an empty name");
                }
                else {
                    names.add(name);
                }
            }
            return names;
        }

        private List<YamlNode.ScalarNode> stringItems(YamlNode node, String path, String what)
        {
            if (node == null || isNull(node)) {
                return List.of();
            }
            List<YamlNode> items = node instanceof YamlNode.ListNode list ? list.items() : List.of(node);
            List<YamlNode.ScalarNode> strings = new ArrayList<>();
            for (YamlNode item : items) {
                if (item instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String) {
                    strings.add(scalar);
                }
                else {
                    problem(item.location(), path, "must list " + what + "; found " + item.describe());
                }
            }
            return strings;
        }

        private Optional<YamlNode.MapNode> entries(YamlNode.MapNode parent, String key)
        {
            return entries(parent, key, "");
        }

        private Optional<YamlNode.MapNode> entries(YamlNode.MapNode parent, String key, String parentPath)
        {
            YamlNode node = parent.entries().get(key);
            if (node == null || isNull(node)) {
                return Optional.empty();
            }
            return map(node, parentPath.isEmpty() ? key : parentPath + "." + key, "a mapping");
        }

        private Optional<YamlNode.MapNode> map(YamlNode node, String path, String what)
        {
            if (node instanceof YamlNode.MapNode map) {
                return Optional.of(map);
            }
            problem(node.location(), path, "must be " + what + ", not " + node.describe());
            return Optional.empty();
        }

        private Optional<String> string(YamlNode node, String path)
        {
            if (node instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text) {
                return Optional.of(text);
            }
            problem(node.location(), path, "must be a string, not " + node.describe());
            return Optional.empty();
        }

        private Optional<Integer> integer(YamlNode node, String path)
        {
            if (node == null) {
                return Optional.empty();
            }
            if (node instanceof YamlNode.ScalarNode scalar
                    && (scalar.value() instanceof Integer || scalar.value() instanceof Long || scalar.value() instanceof BigInteger)) {
                Number number = (Number) scalar.value();
                if (number.longValue() == number.intValue() && !(number instanceof BigInteger big && big.bitLength() > 31)) {
                    return Optional.of(number.intValue());
                }
                problem(node.location(), path, "is too large");
                return Optional.empty();
            }
            problem(node.location(), path, "must be a whole number, not " + node.describe());
            return Optional.empty();
        }

        private void knownKeys(YamlNode.MapNode map, String path, List<String> known)
        {
            map.entries().keySet().forEach(key -> {
                if (!known.contains(key)) {
                    problem(map.keyLocations().get(key), path.isEmpty() ? key : path + "." + key,
                            "unknown key '%s'%s (known keys: %s)".formatted(key, DidYouMean.suffix(key, known), String.join(", ", known)));
                }
            });
        }

        private void problem(SourceLocation location, String path, String message)
        {
            problems.add(new PolicyProblem(location, path, message));
        }
    }

    private static boolean isNull(YamlNode node)
    {
        return node instanceof YamlNode.ScalarNode scalar && scalar.value() == null;
    }

    private static BigDecimal decimal(Number number)
    {
        if (number instanceof BigDecimal decimal) {
            return decimal;
        }
        if (number instanceof BigInteger integer) {
            return new BigDecimal(integer);
        }
        return BigDecimal.valueOf(number.longValue());
    }
}
