package dev.sekisho.gateway.config;

import dev.sekisho.gateway.session.PgUnits;
import dev.sekisho.policies.validate.DidYouMean;
import dev.sekisho.policies.yaml.YamlNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Typed reads from a {@link YamlNode.MapNode}, each failure a {@link ConfigException} that names
 * the file, the line and the full key path.
 */
public final class ConfigReader
{
    private final String file;
    private final String path;
    private final YamlNode.MapNode node;

    public ConfigReader(String file, String path, YamlNode.MapNode node)
    {
        this.file = requireNonNull(file, "file is null");
        this.path = requireNonNull(path, "path is null");
        this.node = requireNonNull(node, "node is null");
    }

    /** Reads the top of a document, which must be a mapping. */
    public static ConfigReader root(String file, YamlNode root)
    {
        if (!(root instanceof YamlNode.MapNode map)) {
            throw new ConfigException(file, root.location().line(), "", "must be a mapping of settings, not " + root.describe());
        }
        return new ConfigReader(file, "", map);
    }

    public String file()
    {
        return file;
    }

    public YamlNode.MapNode node()
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
                String suggestion = DidYouMean.closestWithin(key, allowed, Math.max(2, key.length() / 3)).map(s -> " (did you mean '" + s + "'?)").orElse("");
                List<String> sorted = new ArrayList<>(allowed);
                sorted.sort(Comparator.naturalOrder());
                throw error(key, "is not a known setting" + suggestion + "; known settings here: " + String.join(", ", sorted));
            }
        }
    }

    public boolean has(String key)
    {
        YamlNode value = node.entries().get(key);
        return value != null && !(value instanceof YamlNode.ScalarNode scalar && scalar.value() == null);
    }

    public Optional<String> optionalString(String key)
    {
        YamlNode value = node.entries().get(key);
        if (value == null || (value instanceof YamlNode.ScalarNode scalar && scalar.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof YamlNode.ScalarNode scalar) {
            String text = scalar.value().toString();
            if (text.isBlank()) {
                throw error(key, "must not be empty");
            }
            return Optional.of(text);
        }
        throw error(key, "must be a single value, not " + value.describe());
    }

    public String requireString(String key)
    {
        return optionalString(key).orElseThrow(() -> error(key, "is required"));
    }

    public int intValue(String key, int defaultValue, int min, int max)
    {
        YamlNode value = node.entries().get(key);
        if (value == null || (value instanceof YamlNode.ScalarNode s && s.value() == null)) {
            return defaultValue;
        }
        if (value instanceof YamlNode.ScalarNode scalar
                && (scalar.value() instanceof Integer || scalar.value() instanceof Long || scalar.value() instanceof BigInteger)) {
            long number = ((Number) scalar.value()).longValue();
            if (number >= min && number <= max && !(scalar.value() instanceof BigInteger && ((BigInteger) scalar.value()).bitLength() > 62)) {
                return (int) number;
            }
        }
        // a value from ${env:NAME} is text
        if (value instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text && text.strip().matches("-?\\d{1,9}")) {
            long number = Long.parseLong(text.strip());
            if (number >= min && number <= max) {
                return (int) number;
            }
        }
        String shown = value instanceof YamlNode.ScalarNode scalar ? "'" + scalar.value() + "'" : value.describe();
        if (value instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof BigDecimal) {
            shown = "'" + scalar.value() + "' (a fraction)";
        }
        throw error(key, "must be a whole number from " + min + " to " + max + ", got " + shown);
    }

    public boolean booleanValue(String key, boolean defaultValue)
    {
        YamlNode value = node.entries().get(key);
        if (value == null || (value instanceof YamlNode.ScalarNode s && s.value() == null)) {
            return defaultValue;
        }
        if (value instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text
                && (text.strip().equalsIgnoreCase("true") || text.strip().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(text.strip());
        }
        throw error(key, "must be true or false, got " + describe(value));
    }

    /** A time: {@code 30s}, {@code 5min}, {@code 2h}, {@code 500ms} or a number of milliseconds; 0 means off. */
    public Optional<Duration> optionalDuration(String key)
    {
        return optionalScalarText(key).map(text -> PgUnits.parseDuration(text)
                .orElseThrow(() -> error(key, "must be a time such as 30s, 5min, 2h or 500ms (a bare number is milliseconds), got '" + text + "'")));
    }

    /** A size: {@code 100MB}, {@code 1GB}, {@code 512kB} or a number of bytes; 0 means no limit. */
    public Optional<Long> optionalBytes(String key)
    {
        return optionalScalarText(key).map(text -> PgUnits.parseBytes(text)
                .orElseThrow(() -> error(key, "must be a size such as 100MB, 1GB or 512kB (a bare number is bytes), got '" + text + "'")));
    }

    /** A count: a whole number from 0; 0 means no limit. */
    public Optional<Long> optionalCount(String key)
    {
        return optionalScalarText(key).map(text -> {
            if (!text.strip().matches("\\d{1,18}")) {
                throw error(key, "must be a whole number from 0, got '" + text + "'");
            }
            return Long.parseLong(text.strip());
        });
    }

    private Optional<String> optionalScalarText(String key)
    {
        YamlNode value = node.entries().get(key);
        if (value == null || (value instanceof YamlNode.ScalarNode s && s.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof YamlNode.ScalarNode scalar) {
            return Optional.of(scalar.value().toString());
        }
        throw error(key, "must be a single value, not " + value.describe());
    }

    /** A list of strings; a single string is taken as a list of one. */
    public Optional<List<String>> optionalStringList(String key)
    {
        YamlNode value = node.entries().get(key);
        if (value == null || (value instanceof YamlNode.ScalarNode s && s.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof YamlNode.ScalarNode scalar) {
            return Optional.of(List.of(scalar.value().toString()));
        }
        if (value instanceof YamlNode.ListNode list) {
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                YamlNode item = list.items().get(i);
                if (!(item instanceof YamlNode.ScalarNode scalar) || scalar.value() == null) {
                    throw new ConfigException(file, item.location().line(), keyPath(key) + "[" + i + "]", "must be a string, not " + item.describe());
                }
                strings.add(scalar.value().toString());
            }
            return Optional.of(List.copyOf(strings));
        }
        throw error(key, "must be a list of strings, not " + value.describe());
    }

    /** A nested mapping, or empty when absent. */
    public Optional<ConfigReader> optionalSection(String key)
    {
        YamlNode value = node.entries().get(key);
        if (value == null || (value instanceof YamlNode.ScalarNode s && s.value() == null)) {
            return Optional.empty();
        }
        if (value instanceof YamlNode.MapNode map) {
            return Optional.of(new ConfigReader(file, keyPath(key), map));
        }
        throw error(key, "must be a mapping, not " + value.describe());
    }

    /** An error about one key below this node, placed on that key's line. */
    public ConfigException error(String key, String reason)
    {
        return new ConfigException(file, node.keyLine(key), keyPath(key), reason);
    }

    private static String describe(YamlNode value)
    {
        return value instanceof YamlNode.ScalarNode scalar ? "'" + scalar.value() + "'" : value.describe();
    }
}
