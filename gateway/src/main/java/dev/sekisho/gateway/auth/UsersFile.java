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
 * attributes, whether a TLS client certificate is required, and whether the user is disabled.
 *
 * <pre>
 * users:
 *   alice:
 *     password: "SCRAM-SHA-256$4096:...$...:..."   # from 'sekisho hash-password'
 *     groups: [analysts]
 *     attributes: {region: JP}
 *     clientcert: verify-full                      # optional: verify-ca or verify-full
 *   bob:
 *     disabled: true                               # cannot log in; open sessions are closed on reload
 * </pre>
 *
 * A user with {@code clientcert: verify-full} may have no password: the certificate alone logs them
 * in (PostgreSQL's {@code cert} method). Errors name {@code file:line} and the user; they never
 * repeat a password value.
 */
public final class UsersFile
        implements UserStore
{
    private final Map<String, UserRecord> users;
    private final Set<String> disabled;

    private UsersFile(Map<String, UserRecord> users, Set<String> disabled)
    {
        this.users = Map.copyOf(users);
        this.disabled = Set.copyOf(disabled);
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
        Set<String> disabled = new java.util.LinkedHashSet<>();
        if (section.isEmpty()) {
            return new UsersFile(users, disabled);
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
            user.rejectUnknownKeys(Set.of("password", "groups", "attributes", "clientcert", "disabled"));
            if (user.booleanValue("disabled", false)) {
                // kept in the file, e.g. while someone is away; nothing else of the entry matters
                disabled.add(name);
                continue;
            }
            ClientCertificateCheck clientCertificate = user.optionalString("clientcert")
                    .map(text -> ClientCertificateCheck.parse(text).filter(check -> check != ClientCertificateCheck.NONE)
                            .orElseThrow(() -> user.error("clientcert", "user \"" + name + "\": must be verify-ca (a certificate signed by tls.client_ca)"
                                    + " or verify-full (and its CN is the user name), not '" + text + "'")))
                    .orElse(ClientCertificateCheck.NONE);
            Optional<String> password = user.optionalString("password");
            if (password.isEmpty() && clientCertificate != ClientCertificateCheck.VERIFY_FULL) {
                throw user.error("password", "user \"" + name + "\" has no password; set it to the output of 'sekisho hash-password'"
                        + " (or log them in by certificate alone with clientcert: verify-full)");
            }
            Optional<ScramVerifier> verifier = Optional.empty();
            if (password.isPresent()) {
                if (!ScramVerifier.isVerifier(password.get())) {
                    throw user.error("password", "user \"" + name + "\" has a plain password or an unsupported hash; the users file holds only"
                            + " SCRAM-SHA-256 verifiers: replace it with the output of 'sekisho hash-password'");
                }
                try {
                    verifier = Optional.of(ScramVerifier.parse(password.get()));
                }
                catch (IllegalArgumentException e) {
                    throw user.error("password", "user \"" + name + "\": " + e.getMessage());
                }
            }
            List<String> groups = user.optionalStringList("groups").orElse(List.of());
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
            users.put(name, new UserRecord(new Principal(name, Set.copyOf(groups), attributes), verifier, clientCertificate));
        }
        return new UsersFile(users, disabled);
    }

    @Override
    public Optional<UserRecord> lookup(String name)
    {
        return Optional.ofNullable(users.get(name));
    }

    /** The names of the users who may log in, for diagnostics. */
    public Set<String> userNames()
    {
        return users.keySet();
    }

    /** The users listed with {@code disabled: true}: they cannot log in. */
    public Set<String> disabledUsers()
    {
        return disabled;
    }

    /** Every user who may log in, by name. */
    public Map<String, UserRecord> users()
    {
        return users;
    }
}
