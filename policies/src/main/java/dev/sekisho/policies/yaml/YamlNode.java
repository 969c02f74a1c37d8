package dev.sekisho.policies.yaml;

import dev.sekisho.policies.model.SourceLocation;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A YAML value that remembers where it was written. Jackson's tree model forgets locations, so
 * {@link YamlReader} builds these from the token stream.
 */
public sealed interface YamlNode
        permits YamlNode.MapNode, YamlNode.ListNode, YamlNode.ScalarNode
{
    SourceLocation location();

    /** What the node is, for messages: "a mapping", "a list", "a string", ... */
    String describe();

    /** The node as plain Java values (maps keeping their order, lists, strings, numbers, booleans, null). */
    Object toPlain();

    /**
     * A mapping, keys in file order.
     *
     * @param keyLocations where each key was written
     */
    record MapNode(SourceLocation location, Map<String, YamlNode> entries, Map<String, SourceLocation> keyLocations)
            implements YamlNode
    {
        public MapNode
        {
            requireNonNull(location, "location is null");
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
            keyLocations = Map.copyOf(keyLocations);
        }

        @Override
        public String describe()
        {
            return "a mapping";
        }

        /** The line of {@code key}, or the mapping's own line for a key it does not have. */
        public int keyLine(String key)
        {
            SourceLocation keyLocation = keyLocations.get(key);
            return keyLocation == null ? location.line() : keyLocation.line();
        }

        @Override
        public Object toPlain()
        {
            Map<String, Object> plain = new java.util.LinkedHashMap<>();
            entries.forEach((key, value) -> plain.put(key, value.toPlain()));
            return plain;
        }
    }

    /** A sequence. */
    record ListNode(SourceLocation location, List<YamlNode> items)
            implements YamlNode
    {
        public ListNode
        {
            requireNonNull(location, "location is null");
            items = List.copyOf(items);
        }

        @Override
        public String describe()
        {
            return "a list";
        }

        @Override
        public Object toPlain()
        {
            List<Object> plain = new java.util.ArrayList<>();
            items.forEach(item -> plain.add(item.toPlain()));
            return plain;
        }
    }

    /**
     * A scalar: String, Boolean, an integral Number (Integer, Long or BigInteger), BigDecimal, or
     * null.
     */
    record ScalarNode(SourceLocation location, Object value)
            implements YamlNode
    {
        public ScalarNode
        {
            requireNonNull(location, "location is null");
        }

        @Override
        public String describe()
        {
            if (value == null) {
                return "null";
            }
            if (value instanceof String) {
                return "a string";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            return "a number";
        }

        @Override
        public Object toPlain()
        {
            return value;
        }
    }
}
