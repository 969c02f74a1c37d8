package dev.sekisho.gateway.config;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Typed reads from a {@link ConfigNode.MapNode}, each failure a {@link ConfigException} that names
 * the file, the line and the full key path.
 */
public final class ConfigReader
{
    private final String file;
    private final String path;
    private final ConfigNode.MapNode node;

    public ConfigReader(String file, String path, ConfigNode.MapNode node)
    {
        this.file = requireNonNull(file, "file is null");
        this.path = requireNonNull(path, "path is null");
        this.node = requireNonNull(node, "node is null");
    }

    /** Reads the top of a document, which must be a mapping. */
    public static ConfigReader root(String file, ConfigNode root)
    {
        if (!(root instanceof ConfigNode.MapNode map)) {
            throw new ConfigException(file, root.line(), "", "must be a mapping of settings, not " + root.kind());
        }
        return new ConfigReader(file, "", map);
    }

    public String file()
    {
        return file;
    }

    public ConfigNode.MapNode node()
    {
        return node;
    }

    /** The full dotted path of a key below this node. */
    public String keyPath(String key)
    {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Fails on any key outside {@code allowed}, suggesting the closest allowed key. */
    public void rejectUnknownKeys(Set<String> allowed)
    {
        for (String key : node.entries().keySet()) {
            if (!allowed.contains(key)) {
                String suggestion = closest(key, allowed).map(s -> " (did you mean '" + s + "'?)").orElse("");
                List<String> sorted = new ArrayList<>(allowed);
                sorted.sort(Comparator.naturalOrder());
                throw error(key, "is not a known setting" + suggestion + "; known settings here: " + String.join(", ", sorted));
            }
        }
    }

    public boolean has(String key)
    {
        ConfigNode value = node.entries().get(key);
        return value != null && !(value instanceof ConfigNode.ScalarNode scalar && scalar.value() == null);
    }

    public Optional<String> optionalString(String key)
    {
        ConfigNode value = node.entries().get(key);
        if (value == null || (value instanceof ConfigNode.ScalarNode scalar && scalar.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof ConfigNode.ScalarNode scalar) {
            String text = scalar.value().toString();
            if (text.isBlank()) {
                throw error(key, "must not be empty");
            }
            return Optional.of(text);
        }
        throw error(key, "must be a single value, not " + value.kind());
    }

    public String requireString(String key)
    {
        return optionalString(key).orElseThrow(() -> error(key, "is required"));
    }

    public int intValue(String key, int defaultValue, int min, int max)
    {
        ConfigNode value = node.entries().get(key);
        if (value == null || (value instanceof ConfigNode.ScalarNode s && s.value() == null)) {
            return defaultValue;
        }
        if (value instanceof ConfigNode.ScalarNode scalar
                && (scalar.value() instanceof Integer || scalar.value() instanceof Long || scalar.value() instanceof BigInteger)) {
            long number = ((Number) scalar.value()).longValue();
            if (number >= min && number <= max && !(scalar.value() instanceof BigInteger && ((BigInteger) scalar.value()).bitLength() > 62)) {
                return (int) number;
            }
        }
        String shown = value instanceof ConfigNode.ScalarNode scalar ? "'" + scalar.value() + "'" : value.kind();
        if (value instanceof ConfigNode.ScalarNode scalar && scalar.value() instanceof BigDecimal) {
            shown = "'" + scalar.value() + "' (a fraction)";
        }
        throw error(key, "must be a whole number from " + min + " to " + max + ", got " + shown);
    }

    public boolean booleanValue(String key, boolean defaultValue)
    {
        ConfigNode value = node.entries().get(key);
        if (value == null || (value instanceof ConfigNode.ScalarNode s && s.value() == null)) {
            return defaultValue;
        }
        if (value instanceof ConfigNode.ScalarNode scalar && scalar.value() instanceof Boolean bool) {
            return bool;
        }
        throw error(key, "must be true or false, got " + describe(value));
    }

    /** A list of strings; a single string is taken as a list of one. */
    public Optional<List<String>> optionalStringList(String key)
    {
        ConfigNode value = node.entries().get(key);
        if (value == null || (value instanceof ConfigNode.ScalarNode s && s.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof ConfigNode.ScalarNode scalar) {
            return Optional.of(List.of(scalar.value().toString()));
        }
        if (value instanceof ConfigNode.ListNode list) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                ConfigNode item = list.items().get(i);
                if (!(item instanceof ConfigNode.ScalarNode scalar) || scalar.value() == null) {
                    throw new ConfigException(file, item.line(), keyPath(key) + "[" + i + "]", "must be a string, not " + item.kind());
                }
                strings.add(scalar.value().toString());
            }
            return Optional.of(List.copyOf(strings));
        }
        throw error(key, "must be a list of strings, not " + value.kind());
    }

    /** A nested mapping, or empty when absent. */
    public Optional<ConfigReader> optionalSection(String key)
    {
        ConfigNode value = node.entries().get(key);
        if (value == null || (value instanceof ConfigNode.ScalarNode s && s.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof ConfigNode.MapNode map) {
            return Optional.of(new ConfigReader(file, keyPath(key), map));
        }
        throw error(key, "must be a mapping, not " + value.kind());
    }

    /** An error about one key below this node, placed on that key's line. */
    public ConfigException error(String key, String reason)
    {
        return new ConfigException(file, node.keyLine(key), keyPath(key), reason);
    }

    private static String describe(ConfigNode value)
    {
        return value instanceof ConfigNode.ScalarNode scalar ? "'" + scalar.value() + "'" : value.kind();
    }

    private static Optional<String> closest(String key, Set<String> candidates)
    {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(key.toLowerCase(java.util.Locale.ROOT), candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    private static int distance(String a, String b)
    {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
