package dev.sekisho.policies.yaml;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.sekisho.policies.model.SourceLocation;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one YAML document into {@link YamlNode}s that remember their lines, walking Jackson's
 * token stream (its tree model forgets locations). The one YAML reader of Sekisho: policy files,
 * policy tests and {@code sekisho.yaml} are all read here, so that every error names file:line.
 */
public final class YamlReader
{
    private static final java.util.regex.Pattern SNIPPET = java.util.regex.Pattern.compile("\\s*in 'reader', line \\d+, column \\d+:\\R.*\\R\\s*\\^");
    private static final YAMLFactory EMPTY_AS_NULL = YAMLFactory.builder().enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL).build();
    private static final YAMLFactory EMPTY_AS_STRING = YAMLFactory.builder().build();

    private YamlReader() {}

    /**
     * Reads a document; an empty document is an empty mapping, an empty string ({@code key: ""})
     * is null.
     *
     * @param file names the document in locations
     * @throws YamlException if the text is not YAML, holds several documents or repeats a key
     */
    public static YamlNode read(String file, String content)
    {
        return read(file, content, true);
    }

    /**
     * Reads a document; an empty document is an empty mapping.
     *
     * @param emptyStringAsNull whether {@code key: ""} reads as null rather than an empty string
     * @throws YamlException if the text is not YAML, holds several documents or repeats a key
     */
    public static YamlNode read(String file, String content, boolean emptyStringAsNull)
    {
        try (JsonParser parser = (emptyStringAsNull ? EMPTY_AS_NULL : EMPTY_AS_STRING).createParser(new StringReader(content))) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return new YamlNode.MapNode(new SourceLocation(file, 1), Map.of(), Map.of());
            }
            YamlNode node = readValue(parser, file);
            if (parser.nextToken() != null) {
                throw problem(file, line(parser), "holds more than one YAML document; use one document per file");
            }
            return node;
        }
        catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            throw problem(file, line, "is not valid YAML: " + conciseMessage(e.getOriginalMessage()));
        }
        catch (IOException e) {
            throw problem(file, 0, "cannot be read: " + e.getMessage());
        }
    }

    private static YamlNode readValue(JsonParser parser, String file)
            throws IOException
    {
        SourceLocation location = new SourceLocation(file, line(parser));
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT: {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, SourceLocation> keyLocations = new LinkedHashMap<>();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    SourceLocation keyLocation = new SourceLocation(file, line(parser));
                    if (entries.containsKey(key)) {
                        throw new YamlException(keyLocation, key, "is given twice in one mapping (first on line " + keyLocations.get(key).line() + ")");
                    }
                    parser.nextToken();
                    entries.put(key, readValue(parser, file));
                    keyLocations.put(key, keyLocation);
                }
                return new YamlNode.MapNode(location, entries, keyLocations);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(parser, file));
                }
                return new YamlNode.ListNode(location, items);
            }
            case VALUE_STRING:
                return new YamlNode.ScalarNode(location, parser.getText());
            case VALUE_NUMBER_INT:
                return new YamlNode.ScalarNode(location, parser.getNumberValue());
            case VALUE_NUMBER_FLOAT:
                return new YamlNode.ScalarNode(location, parser.getDecimalValue());
            case VALUE_TRUE:
                return new YamlNode.ScalarNode(location, Boolean.TRUE);
            case VALUE_FALSE:
                return new YamlNode.ScalarNode(location, Boolean.FALSE);
            case VALUE_NULL:
                return new YamlNode.ScalarNode(location, null);
            default:
                throw problem(file, location.line(), "has an unexpected YAML element " + token);
        }
    }

    /** SnakeYAML's messages quote the offending line with a caret; the location already says where. */
    private static String conciseMessage(String message)
    {
        if (message == null) {
            return "syntax error";
        }
        return SNIPPET.matcher(message).replaceAll("").strip().replaceAll("\\s*\\n\\s*", "; ");
    }

    private static YamlException problem(String file, int line, String message)
    {
        return new YamlException(new SourceLocation(file, line), "", message);
    }

    private static int line(JsonParser parser)
    {
        return Math.max(0, parser.currentTokenLocation().getLineNr());
    }
}
