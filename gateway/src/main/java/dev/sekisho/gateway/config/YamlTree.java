package dev.sekisho.gateway.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML document into {@link ConfigNode}s that remember their lines. Jackson's tree model
 * forgets locations, so this walks the token stream itself.
 */
public final class YamlTree
{
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlTree() {}

    /** Reads a file; an empty file is an empty mapping. */
    public static ConfigNode read(Path file)
    {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader, file.toString());
        }
        catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "", "file not found");
        }
        catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
    }

    /** Reads a document; {@code origin} names it in errors. */
    public static ConfigNode read(Reader reader, String origin)
    {
        try (JsonParser parser = FACTORY.createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new ConfigNode.MapNode(1, Map.of(), Map.of());
            }
            ConfigNode node = readValue(parser, origin);
            if (parser.nextToken() != null) {
                throw new ConfigException(origin, line(parser), "", "holds more than one YAML document");
            }
            return node;
        }
        catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ConfigException(origin, line, "", "is not valid YAML: " + e.getOriginalMessage());
        }
        catch (IOException e) {
            throw new ConfigException(origin, 0, "", "cannot be read: " + e.getMessage());
        }
    }

    private static ConfigNode readValue(JsonParser parser, String origin)
            throws IOException
    {
        int line = line(parser);
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, ConfigNode> entries = new LinkedHashMap<>();
                Map<String, Integer> keyLines = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    int keyLine = line(parser);
                    if (entries.containsKey(key)) {
                        throw new ConfigException(origin, keyLine, key, "is given twice (first on line " + keyLines.get(key) + ")");
                    }
                    parser.nextToken();
                    entries.put(key, readValue(parser, origin));
                    keyLines.put(key, keyLine);
                }
                return new ConfigNode.MapNode(line, entries, keyLines);
            }
            case START_ARRAY: {
                List<ConfigNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, origin));
                }
                return new ConfigNode.ListNode(line, items);
            }
            case VALUE_STRING:
                return new ConfigNode.ScalarNode(line, parser.getText());
            case VALUE_NUMBER_INT:
                return new ConfigNode.ScalarNode(line, parser.getNumberValue());
            case VALUE_NUMBER_FLOAT:
                return new ConfigNode.ScalarNode(line, parser.getDecimalValue());
            case VALUE_TRUE:
                return new ConfigNode.ScalarNode(line, Boolean.TRUE);
            case VALUE_FALSE:
                return new ConfigNode.ScalarNode(line, Boolean.FALSE);
            case VALUE_NULL:
                return new ConfigNode.ScalarNode(line, null);
            default:
                throw new ConfigException(origin, line, "", "has an unexpected YAML element " + token);
        }
    }

    private static int line(JsonParser parser)
    {
        return parser.currentTokenLocation().getLineNr();
    }
}
