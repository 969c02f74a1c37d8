package dev.sekisho.gateway.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code audit:} and {@code admin:} sections of {@code sekisho.yaml}. */
final class OperationsConfigLoader
{
    static final Set<String> SECTIONS = Set.of("audit", "admin");

    private OperationsConfigLoader() {}

    static OperationsConfig load(ConfigReader root, Path file)
    {
        Optional<OperationsConfig.Audit> audit = root.optionalSection("audit").map(section -> {
            section.rejectUnknownKeys(Set.of("file", "queue_size", "max_file_mb", "max_files"));
            return new OperationsConfig.Audit(
                    SekishoConfig.resolve(file, section.requireString("file")),
                    section.intValue("queue_size", OperationsConfig.Audit.DEFAULT_QUEUE_SIZE, 1, 10_000_000),
                    section.intValue("max_file_mb", OperationsConfig.Audit.DEFAULT_MAX_FILE_MB, 1, 1_000_000) * 1024L * 1024L,
                    section.intValue("max_files", OperationsConfig.Audit.DEFAULT_MAX_FILES, 0, 1_000_000));
        });
        Optional<OperationsConfig.Admin> admin = root.optionalSection("admin").map(section -> {
            section.rejectUnknownKeys(Set.of("host", "port", "groups", "tls"));
            List<String> groups = section.optionalStringList("groups").orElse(List.of("admins"));
            if (groups.isEmpty()) {
                throw section.error("groups", "is empty: name the users-file groups whose members may use the admin endpoint");
            }
            Optional<OperationsConfig.Tls> tls = section.optionalSection("tls").map(tlsSection -> {
                tlsSection.rejectUnknownKeys(Set.of("cert_file", "key_file", "plain_http"));
                String plainHttp = tlsSection.optionalString("plain_http").orElse("refuse");
                if (!plainHttp.equals("refuse") && !plainHttp.equals("redirect")) {
                    throw tlsSection.error("plain_http", "must be refuse or redirect, not '" + plainHttp + "'");
                }
                return new OperationsConfig.Tls(
                        SekishoConfig.resolve(file, tlsSection.requireString("cert_file")),
                        SekishoConfig.resolve(file, tlsSection.requireString("key_file")),
                        plainHttp.equals("redirect") ? OperationsConfig.PlainHttp.REDIRECT : OperationsConfig.PlainHttp.REFUSE,
                        section.node().keyLine("tls"));
            });
            return new OperationsConfig.Admin(
                    section.optionalString("host").orElse("127.0.0.1"),
                    section.intValue("port", OperationsConfig.Admin.DEFAULT_PORT, 0, 65535),
                    Set.copyOf(groups), tls);
        });
        return new OperationsConfig(audit, admin);
    }
}
