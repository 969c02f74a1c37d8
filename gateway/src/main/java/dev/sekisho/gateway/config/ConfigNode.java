package dev.sekisho.gateway.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A YAML value with the line it was written on, so that every configuration error can name
 * {@code file:line}. Built by {@link YamlTree}; immutable once built.
 */
public abstract sealed class ConfigNode
        permits ConfigNode.MapNode, ConfigNode.ListNode, ConfigNode.ScalarNode
{
    private final int line;

    ConfigNode(int line)
    {
        this.line = line;
    }

    /** One-based line number in the file. */
    public int line()
    {
        return line;
    }

    /** What kind of value this is, for error messages. */
    public abstract String kind();

    /** The node as plain Java values (maps, lists, strings, numbers, booleans, null). */
    public abstract Object toPlain();

    /** A mapping; keys keep their order and their own lines. */
    public static final class MapNode
            extends ConfigNode
    {
        private final Map<String, ConfigNode> entries;
        private final Map<String, Integer> keyLines;

        MapNode(int line, Map<String, ConfigNode> entries, Map<String, Integer> keyLines)
        {
            super(line);
            this.entries = requireNonNull(entries, "entries is null");
            this.keyLines = requireNonNull(keyLines, "keyLines is null");
        }

        public Map<String, ConfigNode> entries()
        {
            return entries;
        }

        public int keyLine(String key)
        {
            return keyLines.getOrDefault(key, line());
        }

        @Override
        public String kind()
        {
            return "a mapping";
        }

        @Override
        public Object toPlain()
        {
            Map<String, Object> plain = new LinkedHashMap<>();
            entries.forEach((key, value) -> plain.put(key, value.toPlain()));
            return plain;
        }
    }

    /** A sequence. */
    public static final class ListNode
            extends ConfigNode
    {
        private final List<ConfigNode> items;

        ListNode(int line, List<ConfigNode> items)
        {
            super(line);
            this.items = List.copyOf(items);
        }

        public List<ConfigNode> items()
        {
            return items;
        }

        @Override
        public String kind()
        {
            return "a list";
        }

        @Override
        public Object toPlain()
        {
            List<Object> plain = new ArrayList<>();
            items.forEach(item -> plain.add(item.toPlain()));
            return plain;
        }
    }

    /** A scalar: string, number, boolean or null. */
    public static final class ScalarNode
            extends ConfigNode
    {
        private final Object value;

        ScalarNode(int line, Object value)
        {
            super(line);
            this.value = value;
        }

        /** The value: String, Long, Double, BigInteger, BigDecimal, Boolean or null. */
        public Object value()
        {
            return value;
        }

        @Override
        public String kind()
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
