package dev.sekisho.gateway.config;

import dev.sekisho.planner.spi.SourceConfig;
import dev.sekisho.policies.yaml.YamlNode;

import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and validates {@code sekisho.yaml}. Every problem is a {@link ConfigException} naming the
 * file, the line and the key. Connector-specific keys are checked by the connector when the
 * gateway creates it ({@link SekishoConfig.Source#toConfigException}).
 */
public final class SekishoConfigLoader
{
    private static final Set<String> TOP_LEVEL = Set.of("listen", "users_file", "policies", "search_path", "execution", "protocol", "sources", "tls", "avatica");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

    private SekishoConfigLoader() {}

    public static SekishoConfig load(Path file)
    {
        return load(ConfigYaml.read(file), file, file.toString());
    }

    /** Reads a configuration held in memory; relative paths resolve against {@code file}'s folder. */
    public static SekishoConfig load(String yaml, Path file)
    {
        try (Reader reader = new StringReader(yaml)) {
            return load(ConfigYaml.read(reader, file.toString()), file, file.toString());
        }
        catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SekishoConfig load(YamlNode tree, Path file, String origin)
    {
        ConfigReader root = ConfigReader.root(origin, tree);
        root.rejectUnknownKeys(TOP_LEVEL);

        SekishoConfig.Listen listen = root.optionalSection("listen")
                .map(SekishoConfigLoader::listen)
                .orElse(new SekishoConfig.Listen("127.0.0.1", SekishoConfig.Listen.DEFAULT_PORT));

        Path usersFile = SekishoConfig.resolve(file, root.requireString("users_file"));

        Optional<SekishoConfig.Policies> policies = root.optionalSection("policies").map(section -> {
            section.rejectUnknownKeys(Set.of("dir", "hash_salt_env", "watch"));
            return new SekishoConfig.Policies(
                    SekishoConfig.resolve(file, section.requireString("dir")),
                    section.optionalString("hash_salt_env").orElse(SekishoConfig.Policies.DEFAULT_HASH_SALT_ENV),
                    section.booleanValue("watch", true));
        });

        List<String> searchPath = root.optionalStringList("search_path").orElse(List.of("public"));

        SekishoConfig.Execution execution = root.optionalSection("execution").map(section -> {
            section.rejectUnknownKeys(Set.of("worker_threads", "queue_size"));
            SekishoConfig.Execution defaults = SekishoConfig.Execution.defaults();
            return new SekishoConfig.Execution(
                    section.intValue("worker_threads", defaults.workerThreads(), 1, 4096),
                    section.intValue("queue_size", defaults.queueSize(), 0, 1_000_000));
        }).orElse(SekishoConfig.Execution.defaults());

        SekishoConfig.Protocol protocol = root.optionalSection("protocol").map(section -> {
            section.rejectUnknownKeys(Set.of("max_message_bytes", "max_connections"));
            SekishoConfig.Protocol defaults = SekishoConfig.Protocol.defaults();
            return new SekishoConfig.Protocol(
                    section.intValue("max_message_bytes", defaults.maxMessageBytes(), 1024, 1 << 30),
                    section.intValue("max_connections", defaults.maxConnections(), 1, 1_000_000));
        }).orElse(SekishoConfig.Protocol.defaults());

        ConfigReader sourcesSection = root.optionalSection("sources")
                .orElseThrow(() -> root.error("sources", "is required: name at least one database behind the gateway"));
        List<SekishoConfig.Source> sources = new ArrayList<>();
        for (Map.Entry<String, YamlNode> entry : sourcesSection.node().entries().entrySet()) {
            String name = entry.getKey();
            if (!IDENTIFIER.matcher(name).matches()) {
                throw sourcesSection.error(name, "source names are lower-case letters, digits and underscores, starting with a letter");
            }
            if (!(entry.getValue() instanceof YamlNode.MapNode map)) {
                throw sourcesSection.error(name, "must be a mapping with at least 'type', not " + entry.getValue().describe());
            }
            ConfigReader source = new ConfigReader(origin, sourcesSection.keyPath(name), map);
            String type = source.requireString("type");
            Map<String, Object> settings = new LinkedHashMap<>();
            map.entries().forEach((key, value) -> {
                if (!key.equals("type")) {
                    settings.put(key, value.toPlain());
                }
            });
            sources.add(new SekishoConfig.Source(new SourceConfig(name, type, withoutNulls(settings)), map, sourcesSection.node().keyLine(name)));
        }
        if (sources.isEmpty()) {
            throw root.error("sources", "is empty: name at least one database behind the gateway");
        }
        Optional<SekishoConfig.Tls> tls = root.optionalSection("tls").map(section -> tls(section, file, root.node().keyLine("tls")));
        Optional<SekishoConfig.Avatica> avatica = root.optionalSection("avatica")
                .map(section -> avatica(section, listen, tls.isPresent(), root.node().keyLine("avatica")));
        return new SekishoConfig(file, listen, usersFile, policies, searchPath, execution, protocol, sources, tls, avatica);
    }

    private static SekishoConfig.Avatica avatica(ConfigReader section, SekishoConfig.Listen listen, boolean tls, int line)
    {
        section.rejectUnknownKeys(Set.of("host", "port", "serialization", "allow_plain_http", "idle_timeout_seconds", "max_frame_rows"));
        String serialization = section.optionalString("serialization").orElse("protobuf");
        if (!serialization.equals("protobuf") && !serialization.equals("json")) {
            throw section.error("serialization", "must be 'protobuf' (the driver's default) or 'json', not '" + serialization + "'");
        }
        boolean allowPlainHttp = section.booleanValue("allow_plain_http", false);
        if (!tls && !allowPlainHttp) {
            throw section.error("allow_plain_http", "is false and there is no 'tls:' section: HTTP Basic would send passwords in the clear; "
                    + "configure tls (the Avatica port then speaks HTTPS with the same certificate) or, for local use only, set allow_plain_http: true");
        }
        return new SekishoConfig.Avatica(
                section.optionalString("host").orElse(listen.host()),
                section.intValue("port", SekishoConfig.Avatica.DEFAULT_PORT, 0, 65535),
                serialization.equals("json"),
                allowPlainHttp,
                section.intValue("idle_timeout_seconds", 600, 1, 7 * 24 * 3600),
                section.intValue("max_frame_rows", 10_000, 1, 1_000_000),
                line);
    }

    private static SekishoConfig.Tls tls(ConfigReader section, Path file, int line)
    {
        section.rejectUnknownKeys(Set.of("cert_file", "key_file", "mode"));
        Path certFile = SekishoConfig.resolve(file, section.requireString("cert_file"));
        Path keyFile = SekishoConfig.resolve(file, section.requireString("key_file"));
        String mode = section.optionalString("mode").orElse("optional");
        SekishoConfig.TlsMode tlsMode = switch (mode) {
            case "optional" -> SekishoConfig.TlsMode.OPTIONAL;
            case "required" -> SekishoConfig.TlsMode.REQUIRED;
            default -> throw section.error("mode", "must be 'optional' (clients choose) or 'required' (connections without TLS are refused), not '"
                    + mode + "'");
        };
        return new SekishoConfig.Tls(certFile, keyFile, tlsMode, line);
    }

    private static SekishoConfig.Listen listen(ConfigReader section)
    {
        section.rejectUnknownKeys(Set.of("host", "port"));
        return new SekishoConfig.Listen(
                section.optionalString("host").orElse("127.0.0.1"),
                section.intValue("port", SekishoConfig.Listen.DEFAULT_PORT, 0, 65535));
    }

    // SourceConfig copies its map with Map.copyOf, which refuses null values: an explicit "key: ~"
    // means the same as leaving the key out.
    private static Map<String, Object> withoutNulls(Map<String, Object> settings)
    {
        Map<String, Object> copy = new LinkedHashMap<>();
        settings.forEach((key, value) -> {
            if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }
}
