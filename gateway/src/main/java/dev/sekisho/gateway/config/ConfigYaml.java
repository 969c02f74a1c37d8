package dev.sekisho.gateway.config;

import dev.sekisho.policies.yaml.YamlException;
import dev.sekisho.policies.yaml.YamlNode;
import dev.sekisho.policies.yaml.YamlReader;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the gateway's YAML files ({@code sekisho.yaml}, the users file) with the shared
 * {@link YamlReader}, so that every value keeps its line; a problem is a {@link ConfigException}
 * naming file:line. An empty string ({@code password: ""}) stays an empty string.
 */
public final class ConfigYaml
{
    private ConfigYaml() {}

    /** Reads a file; an empty file is an empty mapping. */
    public static YamlNode read(Path file)
    {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        }
        catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "", "file not found");
        }
        catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "", "cannot be read: " + e.getMessage());
        }
    }

    /** Reads a document; {@code origin} names it in errors. */
    public static YamlNode read(Reader reader, String origin)
    {
        StringWriter content = new StringWriter();
        try (reader) {
            reader.transferTo(content);
        }
        catch (IOException e) {
            throw new ConfigException(origin, 0, "", "cannot be read: " + e.getMessage());
        }
        return read(content.toString(), origin);
    }

    private static YamlNode read(String content, String origin)
    {
        try {
            return YamlReader.read(origin, content, false);
        }
        catch (YamlException e) {
            throw new ConfigException(origin, e.location().line(), e.key(), e.problem());
        }
    }
}
