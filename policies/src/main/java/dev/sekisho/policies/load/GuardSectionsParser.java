package dev.sekisho.policies.load;

import dev.sekisho.policies.guard.Allowance;
import dev.sekisho.policies.guard.Budgets;
import dev.sekisho.policies.guard.EndUsers;
import dev.sekisho.policies.guard.GroupSelector;
import dev.sekisho.policies.guard.ResourceGroup;
import dev.sekisho.policies.guard.ResourceGroups;
import dev.sekisho.policies.guard.StatementLimit;
import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.SourceLocation;
import dev.sekisho.policies.validate.DidYouMean;
import dev.sekisho.policies.validate.PolicyProblem;
import dev.sekisho.policies.yaml.YamlNode;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The cost guard's sections of the policy files ({@code budgets}, {@code resource_groups},
 * {@code end_users}) -> their records, with every problem at file:line. Each section is given in
 * one file only. References between them (a selector's group, the default group, the unknown end
 * user's role) are checked by {@link #finish} once every file is read.
 */
final class GuardSectionsParser
{
    static final List<String> SECTIONS = List.of("budgets", "resource_groups", "end_users");
    static final List<String> BUDGET_KEYS = List.of("time_zone", "statement", "people", "teams");
    static final List<String> STATEMENT_KEYS = List.of("for", "max_bytes", "max_rows_examined", "max_full_scan_rows");
    static final List<String> PEOPLE_KEYS = List.of("for", "bytes_per_day", "bytes_per_month");
    static final List<String> TEAM_KEYS = List.of("bytes_per_day", "bytes_per_month");
    static final List<String> RESOURCE_GROUPS_KEYS = List.of("groups", "select", "default");
    static final List<String> GROUP_KEYS = List.of("max_concurrent", "max_queued", "queue_timeout", "statement_timeout", "max_rows");
    static final List<String> SELECTOR_KEYS = List.of("for", "application_name", "scheduled", "attributes", "group");
    static final List<String> END_USERS_KEYS = List.of("trusted_accounts", "unknown_end_user");

    private static final Pattern BYTES = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|PB|KiB|MiB|GiB|TiB|PiB)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofMinutes(5);

    private final List<PolicyProblem> problems;
    private Budgets budgets;
    private SourceLocation budgetsOrigin;
    private ResourceGroups resourceGroups;
    private SourceLocation resourceGroupsOrigin;
    private EndUsers endUsers;

    GuardSectionsParser(List<PolicyProblem> problems)
    {
        this.problems = requireNonNull(problems, "problems is null");
    }

    /** Reads the guard sections of one file's top-level mapping. */
    void document(YamlNode.MapNode root)
    {
        section(root, "budgets").ifPresent(map -> {
            SourceLocation location = root.keyLocations().get("budgets");
            if (budgetsOrigin != null) {
                problem(location, "budgets", "budgets are also given at %s; give them in one file only".formatted(budgetsOrigin));
                return;
            }
            budgetsOrigin = location;
            budgets = budgets(map);
        });
        section(root, "resource_groups").ifPresent(map -> {
            SourceLocation location = root.keyLocations().get("resource_groups");
            if (resourceGroupsOrigin != null) {
                problem(location, "resource_groups", "resource groups are also given at %s; give them in one file only".formatted(resourceGroupsOrigin));
                return;
            }
            resourceGroupsOrigin = location;
            resourceGroups = resourceGroups(map);
        });
        section(root, "end_users").ifPresent(map -> {
            SourceLocation location = root.keyLocations().get("end_users");
            if (endUsers != null) {
                problem(location, "end_users", "end_users is also given at %s; give it in one file only".formatted(endUsers.origin()));
                return;
            }
            endUsers = endUsers(map, location);
        });
    }

    Budgets budgets()
    {
        return budgets == null ? Budgets.none() : budgets;
    }

    ResourceGroups resourceGroups()
    {
        return resourceGroups == null ? ResourceGroups.none() : resourceGroups;
    }

    EndUsers endUsers()
    {
        return endUsers == null ? EndUsers.none() : endUsers;
    }

    /** Checks the references between sections and to roles, once every file is read. */
    void finish(Set<String> roles)
    {
        ResourceGroups groups = resourceGroups();
        for (GroupSelector selector : groups.selectors()) {
            if (!groups.groups().containsKey(selector.group())) {
                problem(selector.origin(), "resource_groups.select", "names group '%s', which resource_groups.groups does not define%s"
                        .formatted(selector.group(), DidYouMean.suffix(selector.group(), List.copyOf(groups.groups().keySet()))));
            }
        }
        groups.defaultGroup().filter(name -> !groups.groups().containsKey(name)).ifPresent(name -> problem(resourceGroupsOrigin, "resource_groups.default",
                "names group '%s', which resource_groups.groups does not define%s".formatted(name, DidYouMean.suffix(name, List.copyOf(groups.groups().keySet())))));
        endUsers().unknownRole().filter(role -> !roles.contains(role)).ifPresent(role -> problem(endUsers().origin(), "end_users.unknown_end_user",
                "names role '%s', which no file defines%s; write deny or a role name".formatted(role, DidYouMean.suffix(role, List.copyOf(roles)))));
    }

    private Budgets budgets(YamlNode.MapNode map)
    {
        knownKeys(map, "budgets", BUDGET_KEYS);
        ZoneId zone = ZoneOffset.UTC;
        YamlNode zoneNode = map.entries().get("time_zone");
        if (zoneNode != null) {
            Optional<String> text = string(zoneNode, "budgets.time_zone");
            if (text.isPresent()) {
                try {
                    zone = ZoneId.of(text.get());
                }
                catch (DateTimeException e) {
                    problem(zoneNode.location(), "budgets.time_zone", "'%s' is not a time zone; write a region such as Asia/Tokyo or UTC".formatted(text.get()));
                }
            }
        }
        List<StatementLimit> statement = new ArrayList<>();
        for (Item item : items(map.entries().get("statement"), "budgets.statement", "a list of limits, e.g. [{max_bytes: 10 GB}]")) {
            if (knownKeys(item.map(), item.path(), STATEMENT_KEYS)) {
                statement.add(new StatementLimit(grantees(item.map().entries().get("for"), item.path() + ".for"),
                        bytes(item.map().entries().get("max_bytes"), item.path() + ".max_bytes"),
                        count(item.map().entries().get("max_rows_examined"), item.path() + ".max_rows_examined"),
                        count(item.map().entries().get("max_full_scan_rows"), item.path() + ".max_full_scan_rows"),
                        item.map().location()));
            }
        }
        List<Allowance> people = new ArrayList<>();
        for (Item item : items(map.entries().get("people"), "budgets.people", "a list of allowances, e.g. [{for: [analyst], bytes_per_day: 100 GB}]")) {
            if (knownKeys(item.map(), item.path(), PEOPLE_KEYS)) {
                people.add(new Allowance(grantees(item.map().entries().get("for"), item.path() + ".for"),
                        bytes(item.map().entries().get("bytes_per_day"), item.path() + ".bytes_per_day"),
                        bytes(item.map().entries().get("bytes_per_month"), item.path() + ".bytes_per_month"),
                        item.map().location()));
            }
        }
        Map<String, Allowance> teams = new LinkedHashMap<>();
        YamlNode teamsNode = map.entries().get("teams");
        if (teamsNode != null && !isNull(teamsNode)) {
            if (teamsNode instanceof YamlNode.MapNode teamMap) {
                teamMap.entries().forEach((group, node) -> {
                    String path = "budgets.teams." + group;
                    if (node instanceof YamlNode.MapNode allowance) {
                        if (knownKeys(allowance, path, TEAM_KEYS)) {
                            teams.put(group.strip(), new Allowance(Optional.empty(), bytes(allowance.entries().get("bytes_per_day"), path + ".bytes_per_day"),
                                    bytes(allowance.entries().get("bytes_per_month"), path + ".bytes_per_month"), teamMap.keyLocations().get(group)));
                        }
                    }
                    else {
                        problem(node.location(), path, "must be a mapping with bytes_per_day and/or bytes_per_month, not " + node.describe());
                    }
                });
            }
            else {
                problem(teamsNode.location(), "budgets.teams", "must be a mapping of group names to allowances, e.g. {analysts: {bytes_per_day: 1 TB}}, not "
                        + teamsNode.describe());
            }
        }
        return new Budgets(zone, statement, people, teams);
    }

    private ResourceGroups resourceGroups(YamlNode.MapNode map)
    {
        knownKeys(map, "resource_groups", RESOURCE_GROUPS_KEYS);
        Map<String, ResourceGroup> groups = new LinkedHashMap<>();
        YamlNode groupsNode = map.entries().get("groups");
        if (groupsNode instanceof YamlNode.MapNode groupMap) {
            groupMap.entries().forEach((name, node) -> {
                String path = "resource_groups.groups." + name;
                if (!(node instanceof YamlNode.MapNode group)) {
                    problem(node.location(), path, "must be a mapping with " + String.join(", ", GROUP_KEYS) + ", not " + node.describe());
                    return;
                }
                int before = problems.size();
                knownKeys(group, path, GROUP_KEYS);
                YamlNode concurrentNode = group.entries().get("max_concurrent");
                if (concurrentNode == null) {
                    problem(group.location(), path, "has no max_concurrent; write how many of its statements may run at once, e.g. max_concurrent: 4");
                }
                long concurrent = count(concurrentNode, path + ".max_concurrent").orElse(1);
                long queued = count(group.entries().get("max_queued"), path + ".max_queued").orElse(0);
                Duration queueTimeout = duration(group.entries().get("queue_timeout"), path + ".queue_timeout").orElse(DEFAULT_QUEUE_TIMEOUT);
                Optional<Duration> statementTimeout = duration(group.entries().get("statement_timeout"), path + ".statement_timeout");
                OptionalLong maxRows = count(group.entries().get("max_rows"), path + ".max_rows");
                if (concurrent < 1 || concurrent > 100_000) {
                    problem(concurrentNode == null ? group.location() : concurrentNode.location(), path + ".max_concurrent", "must be between 1 and 100000");
                }
                if (queued > 1_000_000) {
                    problem(group.location(), path + ".max_queued", "must be at most 1000000");
                }
                if (problems.size() == before) {
                    groups.put(name, new ResourceGroup(name, (int) concurrent, (int) queued, queueTimeout, statementTimeout, maxRows, groupMap.keyLocations().get(name)));
                }
            });
        }
        else if (groupsNode == null || isNull(groupsNode)) {
            problem(map.location(), "resource_groups", "has no groups; define them, e.g. groups: {adhoc: {max_concurrent: 4}}");
        }
        else {
            problem(groupsNode.location(), "resource_groups.groups", "must be a mapping of group names to their limits, not " + groupsNode.describe());
        }
        List<GroupSelector> selectors = new ArrayList<>();
        for (Item item : items(map.entries().get("select"), "resource_groups.select", "a list of selectors, e.g. [{scheduled: true, group: scheduled}]")) {
            int before = problems.size();
            knownKeys(item.map(), item.path(), SELECTOR_KEYS);
            Map<String, YamlNode> entries = item.map().entries();
            Optional<String> group = entries.containsKey("group") ? string(entries.get("group"), item.path() + ".group") : Optional.empty();
            if (!entries.containsKey("group")) {
                problem(item.map().location(), item.path(), "has no group; write the group the statements it matches go to, e.g. group: adhoc");
            }
            Optional<String> application = entries.containsKey("application_name") ? string(entries.get("application_name"), item.path() + ".application_name")
                    : Optional.empty();
            Optional<Boolean> scheduled = Optional.empty();
            YamlNode scheduledNode = entries.get("scheduled");
            if (scheduledNode != null) {
                if (scheduledNode instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof Boolean flag) {
                    scheduled = Optional.of(flag);
                }
                else {
                    problem(scheduledNode.location(), item.path() + ".scheduled", "must be true or false, not " + scheduledNode.describe());
                }
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            YamlNode attributesNode = entries.get("attributes");
            if (attributesNode instanceof YamlNode.MapNode attributeMap) {
                attributeMap.entries().forEach((key, value) -> {
                    if (value instanceof YamlNode.ScalarNode scalar && scalar.value() != null && !(scalar.value() instanceof Boolean)) {
                        attributes.put(key, scalar.value().toString());
                    }
                    else {
                        problem(value.location(), item.path() + ".attributes." + key, "must be a single value, not " + value.describe());
                    }
                });
            }
            else if (attributesNode != null && !isNull(attributesNode)) {
                problem(attributesNode.location(), item.path() + ".attributes", "must be a mapping, e.g. {department: finance}, not " + attributesNode.describe());
            }
            Optional<List<Grantee>> grantees = grantees(entries.get("for"), item.path() + ".for");
            if (problems.size() == before && group.isPresent()) {
                selectors.add(new GroupSelector(grantees, application, scheduled, attributes, group.get(), item.map().location()));
            }
        }
        Optional<String> defaultGroup = Optional.empty();
        if (map.entries().containsKey("default")) {
            defaultGroup = string(map.entries().get("default"), "resource_groups.default");
        }
        return new ResourceGroups(groups, selectors, defaultGroup);
    }

    private EndUsers endUsers(YamlNode.MapNode map, SourceLocation location)
    {
        knownKeys(map, "end_users", END_USERS_KEYS);
        Set<String> accounts = new LinkedHashSet<>();
        YamlNode accountsNode = map.entries().get("trusted_accounts");
        List<YamlNode> items = accountsNode == null || isNull(accountsNode) ? List.of()
                : accountsNode instanceof YamlNode.ListNode list ? list.items() : List.of(accountsNode);
        for (YamlNode item : items) {
            if (item instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String name && !name.isBlank()) {
                accounts.add(name.strip());
            }
            else {
                problem(item.location(), "end_users.trusted_accounts", "must list user names of shared accounts, e.g. [redash, tableau]; found " + item.describe());
            }
        }
        Optional<String> unknownRole = Optional.empty();
        YamlNode unknownNode = map.entries().get("unknown_end_user");
        if (unknownNode != null) {
            Optional<String> text = string(unknownNode, "end_users.unknown_end_user");
            if (text.isPresent() && !text.get().strip().equals("deny")) {
                unknownRole = Optional.of(text.get().strip());
            }
        }
        return new EndUsers(accounts, unknownRole, location);
    }

    /** A list item that is a mapping, with its path for messages. */
    private record Item(YamlNode.MapNode map, String path) {}

    private List<Item> items(YamlNode node, String path, String what)
    {
        if (node == null || isNull(node)) {
            return List.of();
        }
        if (!(node instanceof YamlNode.ListNode list)) {
            problem(node.location(), path, "must be " + what + ", not " + node.describe());
            return List.of();
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < list.items().size(); i++) {
            YamlNode item = list.items().get(i);
            String itemPath = path + "[" + i + "]";
            if (item instanceof YamlNode.MapNode map) {
                items.add(new Item(map, itemPath));
            }
            else {
                problem(item.location(), itemPath, "must be a mapping, not " + item.describe());
            }
        }
        return items;
    }

    private Optional<YamlNode.MapNode> section(YamlNode.MapNode root, String key)
    {
        YamlNode node = root.entries().get(key);
        if (node == null || isNull(node)) {
            return Optional.empty();
        }
        if (node instanceof YamlNode.MapNode map) {
            return Optional.of(map);
        }
        problem(node.location(), key, "must be a mapping, not " + node.describe());
        return Optional.empty();
    }

    private Optional<List<Grantee>> grantees(YamlNode node, String path)
    {
        if (node == null) {
            return Optional.empty();
        }
        List<YamlNode> items = isNull(node) ? List.of() : node instanceof YamlNode.ListNode list ? list.items() : List.of(node);
        List<Grantee> grantees = new ArrayList<>();
        for (YamlNode item : items) {
            if (item instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text) {
                try {
                    grantees.add(Grantee.parse(text, item.location()));
                }
                catch (IllegalArgumentException e) {
                    problem(item.location(), path, e.getMessage());
                }
            }
            else {
                problem(item.location(), path, "must list roles, group:NAME or user:NAME entries; found " + item.describe());
            }
        }
        return Optional.of(grantees);
    }

    /** Bytes: a whole number, or a number with a unit (KB, MB, GB, TB, PB are powers of 1000; KiB ... PiB of 1024). */
    private OptionalLong bytes(YamlNode node, String path)
    {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node instanceof YamlNode.ScalarNode scalar) {
            Object value = scalar.value();
            if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
                return OptionalLong.of(((Number) value).longValue());
            }
            if (value instanceof String text) {
                Matcher matcher = BYTES.matcher(text.strip());
                if (matcher.matches()) {
                    try {
                        BigInteger bytes = new BigInteger(matcher.group(1)).multiply(BigInteger.valueOf(unit(matcher.group(2))));
                        return OptionalLong.of(bytes.longValueExact());
                    }
                    catch (ArithmeticException e) {
                        problem(node.location(), path, "is too large");
                        return OptionalLong.empty();
                    }
                }
            }
        }
        problem(node.location(), path, "must be a number of bytes, e.g. 500 GB, 1 TiB or 1000000, not " + node.describe());
        return OptionalLong.empty();
    }

    private static long unit(String unit)
    {
        if (unit == null || unit.equals("B")) {
            return 1;
        }
        int power = "KMGTP".indexOf(unit.charAt(0)) + 1;
        long base = unit.contains("i") ? 1024 : 1000;
        long result = 1;
        for (int i = 0; i < power; i++) {
            result *= base;
        }
        return result;
    }

    private OptionalLong count(YamlNode node, String path)
    {
        if (node == null) {
            return OptionalLong.empty();
        }
        if (node instanceof YamlNode.ScalarNode scalar && (scalar.value() instanceof Integer || scalar.value() instanceof Long)
                && ((Number) scalar.value()).longValue() >= 0) {
            return OptionalLong.of(((Number) scalar.value()).longValue());
        }
        problem(node.location(), path, "must be a whole number of at least 0, not " + node.describe());
        return OptionalLong.empty();
    }

    /** A duration: a whole number with ms, s, m or h. */
    private Optional<Duration> duration(YamlNode node, String path)
    {
        if (node == null) {
            return Optional.empty();
        }
        if (node instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text) {
            Matcher matcher = DURATION.matcher(text.strip());
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                return Optional.of(switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                });
            }
        }
        problem(node.location(), path, "must be a duration such as 500ms, 30s, 5m or 1h, not " + node.describe());
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

    /** Reports unknown keys; true when every key is known. */
    private boolean knownKeys(YamlNode.MapNode map, String path, List<String> known)
    {
        boolean allKnown = true;
        for (String key : map.entries().keySet()) {
            if (!known.contains(key)) {
                allKnown = false;
                problem(map.keyLocations().get(key), path + "." + key,
                        "unknown key '%s'%s (known keys: %s)".formatted(key, DidYouMean.suffix(key, known), String.join(", ", known)));
            }
        }
        return allKnown;
    }

    private void problem(SourceLocation location, String path, String message)
    {
        problems.add(new PolicyProblem(location, path, message));
    }

    private static boolean isNull(YamlNode node)
    {
        return node instanceof YamlNode.ScalarNode scalar && scalar.value() == null;
    }
}
