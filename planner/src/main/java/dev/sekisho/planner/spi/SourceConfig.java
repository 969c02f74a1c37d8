package dev.sekisho.planner.spi;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One entry under {@code sources:} in {@code sekisho.yaml}, as plain values (maps, lists, strings,
 * numbers, booleans) so that connectors need no YAML library.
 *
 * @param name the source's name (the key under {@code sources:})
 * @param type the connector kind, e.g. {@code mysql}
 * @param settings every other key of the entry
 */
public record SourceConfig(String name, String type, Map<String, Object> settings)
{
    public SourceConfig
    {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        settings = Map.copyOf(settings);
    }

    /** A required string setting. */
    public String requireString(String key)
    {
        return optionalString(key).orElseThrow(() -> new InvalidConfigException(key, "is required"));
    }

    /** An optional string setting; numbers and booleans are turned into their text. */
    public Optional<String> optionalString(String key)
    {
        Object value = settings.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof List) {
            throw new InvalidConfigException(key, "must be a single value, not a " + (value instanceof Map ? "mapping" : "list"));
        }
        return Optional.of(value.toString());
    }

    /** An optional mapping setting. */
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> optionalMap(String key)
    {
        Object value = settings.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map)) {
            throw new InvalidConfigException(key, "must be a mapping");
        }
        return Optional.of((Map<String, Object>) value);
    }

    /** An optional list setting. */
    public Optional<List<?>> optionalList(String key)
    {
        Object value = settings.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof List)) {
            throw new InvalidConfigException(key, "must be a list");
        }
        return Optional.of((List<?>) value);
    }
}
