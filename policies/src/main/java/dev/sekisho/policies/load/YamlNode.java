package dev.sekisho.policies.load;

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
    }
}
