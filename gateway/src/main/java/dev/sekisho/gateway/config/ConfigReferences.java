package dev.sekisho.gateway.config;

import dev.sekisho.policies.yaml.YamlNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Secrets kept out of {@code sekisho.yaml}: any string value may be {@code ${env:NAME}} (an
 * environment variable) or {@code ${file:/path}} (a file's content without its trailing newline;
 * a relative path is read from the folder of {@code sekisho.yaml}), so that the file can live in
 * git and the passwords in the deployment's secret store. A missing variable or an unreadable file
 * is an error on the value's line; no message ever shows a resolved value. Values that merely
 * contain such a reference are refused rather than read literally.
 */
final class ConfigReferences
{
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]*)}");
    private static final int MAX_FILE_BYTES = 64 * 1024;

    /**
     * A document with every reference resolved.
     *
     * @param tree the document, references replaced by their values
     * @param secrets the values that came from references, to be kept out of every message
     */
    record Resolved(YamlNode tree, ConfigSecrets secrets)
    {
        Resolved
        {
            requireNonNull(tree, "tree is null");
            requireNonNull(secrets, "secrets is null");
        }
    }

    private final String origin;
    private final Path folder;
    private final Function<String, String> environment;
    private final Set<String> values = new LinkedHashSet<>();

    private ConfigReferences(String origin, Path configFile, Function<String, String> environment)
    {
        this.origin = requireNonNull(origin, "origin is null");
        Path parent = configFile.toAbsolutePath().getParent();
        this.folder = parent == null ? Path.of("").toAbsolutePath() : parent;
        this.environment = requireNonNull(environment, "environment is null");
    }

    /**
     * Resolves every reference of a document.
     *
     * @param configFile where the document was read from (relative {@code file:} paths start there)
     * @param environment the environment variables (System::getenv outside tests)
     * @throws ConfigException naming the file, line and key of a reference that cannot be resolved
     */
    static Resolved resolve(YamlNode tree, String origin, Path configFile, Function<String, String> environment)
    {
        ConfigReferences references = new ConfigReferences(origin, configFile, environment);
        YamlNode resolved = references.walk(tree, "");
        return new Resolved(resolved, new ConfigSecrets(references.values));
    }

    /** Whether a YAML value is a reference (rather than a value written in the file). */
    static boolean isReference(YamlNode node)
    {
        return node instanceof YamlNode.ScalarNode scalar && scalar.value() instanceof String text && REFERENCE.matcher(text.strip()).matches();
    }

    private YamlNode walk(YamlNode node, String path)
    {
        if (node instanceof YamlNode.MapNode map) {
            Map<String, YamlNode> entries = new LinkedHashMap<>();
            map.entries().forEach((key, value) -> entries.put(key, walk(value, path.isEmpty() ? key : path + "." + key)));
            return new YamlNode.MapNode(map.location(), entries, map.keyLocations());
        }
        if (node instanceof YamlNode.ListNode list) {
            List<YamlNode> items = new ArrayList<>();
            for (int i = 0; i < list.items().size(); i++) {
                items.add(walk(list.items().get(i), path + "[" + i + "]"));
            }
            return new YamlNode.ListNode(list.location(), items);
        }
        YamlNode.ScalarNode scalar = (YamlNode.ScalarNode) node;
        if (!(scalar.value() instanceof String text)) {
            return scalar;
        }
        Matcher matcher = REFERENCE.matcher(text.strip());
        if (!matcher.matches()) {
            if (text.contains("${env:") || text.contains("${file:")) {
                throw error(scalar, path, "a ${env:NAME} or ${file:/path} reference must be the whole value, not part of it");
            }
            return scalar;
        }
        String value = matcher.group(1).equals("env") ? environment(scalar, path, matcher.group(2)) : file(scalar, path, matcher.group(2));
        if (!value.isEmpty()) {
            values.add(value);
        }
        return new YamlNode.ScalarNode(scalar.location(), value);
    }

    private String environment(YamlNode.ScalarNode scalar, String path, String name)
    {
        if (name.isBlank()) {
            throw error(scalar, path, "${env:} names no environment variable; write ${env:NAME}");
        }
        String value = environment.apply(name);
        if (value == null) {
            throw error(scalar, path, "the environment variable " + name + " is not set; set it for the gateway's process, or write the value another way");
        }
        return value;
    }

    private String file(YamlNode.ScalarNode scalar, String path, String name)
    {
        if (name.isBlank()) {
            throw error(scalar, path, "${file:} names no file; write ${file:/path/to/secret}");
        }
        Path file = folder.resolve(name).normalize();
        try {
            if (Files.isDirectory(file)) {
                throw error(scalar, path, "cannot read " + file + ": it is a folder, not a file");
            }
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw error(scalar, path, "cannot read " + file + ": it is larger than " + MAX_FILE_BYTES / 1024 + " KiB; a secret file holds one value");
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.length();
            while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
                end--;
            }
            return content.substring(0, end);
        }
        catch (NoSuchFileException e) {
            throw error(scalar, path, "cannot read " + file + ": no such file");
        }
        catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException config) {
                throw config;
            }
            // the exception's message names the file and the reason, never its content
            throw error(scalar, path, "cannot read " + file + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    private ConfigException error(YamlNode.ScalarNode scalar, String path, String reason)
    {
        return new ConfigException(origin, scalar.location().line(), path, reason);
    }
}
