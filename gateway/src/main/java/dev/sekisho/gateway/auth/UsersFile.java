package dev.sekisho.gateway.auth;

import dev.sekisho.gateway.config.ConfigException;
import dev.sekisho.gateway.config.ConfigReader;
import dev.sekisho.gateway.config.ConfigYaml;
import dev.sekisho.policies.Principal;
import dev.sekisho.policies.yaml.YamlNode;

import java.io.Reader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The users file: each user's SCRAM-SHA-256 verifier (never a plain password), groups and
 * attributes.
 *
 * <pre>
 * users:
 *   alice:
 *     password: "SCRAM-SHA-256$4096:...$...:..."   # from 'sekisho hash-password'
 *     groups: [analysts]
 *     attributes: {region: JP}
 * </pre>
 *
 * Errors name {@code file:line} and the user; they never repeat a password value.
 */
public final class UsersFile
        implements UserStore
{
    private final Map<String, UserRecord> users;

    private UsersFile(Map<String, UserRecord> users)
    {
        this.users = Map.copyOf(users);
    }

    /**
     * Loads and checks a users file.
     *
     * @throws ConfigException naming file, line and key when the file is wrong
     */
    public static UsersFile load(Path file)
    {
        return parse(ConfigYaml.read(file), file.toString());
    }

    /** Loads a users document; {@code origin} names it in errors. */
    public static UsersFile load(Reader reader, String origin)
    {
        return parse(ConfigYaml.read(reader, origin), origin);
    }

    private static UsersFile parse(YamlNode root, String file)
    {
        ConfigReader top = ConfigReader.root(file, root);
        top.rejectUnknownKeys(Set.of("users"));
        Optional<ConfigReader> section = top.optionalSection("users");
        Map<String, UserRecord> users = new LinkedHashMap<>();
        if (section.isEmpty()) {
            return new UsersFile(users);
        }
        ConfigReader usersSection = section.get();
        for (Map.Entry<String, YamlNode> entry : usersSection.node().entries().entrySet()) {
            String name = entry.getKey();
            if (name.isBlank()) {
                throw usersSection.error(name, "a user name must not be empty");
            }
            if (!(entry.getValue() instanceof YamlNode.MapNode)) {
                throw usersSection.error(name, "user \"" + name + "\" must be a mapping with password, groups and attributes, not " + entry.getValue().describe());
            }
            ConfigReader user = usersSection.optionalSection(name).orElseThrow();
            user.rejectUnknownKeys(Set.of("password", "groups", "attributes"));
            String password = user.optionalString("password")
                    .orElseThrow(() -> user.error("password", "user \"" + name + "\" has no password; set it to the output of 'sekisho hash-password'"));
            ScramVerifier verifier;
            if (!ScramVerifier.isVerifier(password)) {
                throw user.error("password", "user \"" + name + "\" has a plain password or an unsupported hash; the users file holds only"
                        + " SCRAM-SHA-256 verifiers: replace it with the output of 'sekisho hash-password'");
            }
            try {
                verifier = ScramVerifier.parse(password);
            }
            catch (IllegalArgumentException e) {
                throw user.error("password", "user \"" + name + "\": " + e.getMessage());
            }
            List<String> groups = user.optionalStringList("groups").orElse(List.of());
            for (String group : groups) {
                if (group.startsWith("sekisho:")) {
                    throw user.error("groups", "user \"" + name + "\": group names starting with 'sekisho:' are reserved for the gateway; rename group '"
                            + group + "'");
                }
            }
            Map<String, String> attributes = new LinkedHashMap<>();
            Optional<ConfigReader> attributeSection = user.optionalSection("attributes");
            if (attributeSection.isPresent()) {
                for (Map.Entry<String, YamlNode> attribute : attributeSection.get().node().entries().entrySet()) {
                    if (!(attribute.getValue() instanceof YamlNode.ScalarNode scalar) || scalar.value() == null) {
                        throw attributeSection.get().error(attribute.getKey(), "user \"" + name + "\": an attribute must be a single value, not "
                                + attribute.getValue().describe());
                    }
                    attributes.put(attribute.getKey(), scalar.value().toString());
                }
            }
            users.put(name, new UserRecord(new Principal(name, Set.copyOf(groups), attributes), verifier));
        }
        return new UsersFile(users);
    }

    @Override
    public Optional<UserRecord> lookup(String name)
    {
        return Optional.ofNullable(users.get(name));
    }

    /** The names of all users, for diagnostics. */
    public Set<String> userNames()
    {
        return users.keySet();
    }
}
