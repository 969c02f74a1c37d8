package dev.sekisho.it.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmarks' policy: analysts (alice, region JP) see one table with {@code email} nulled and
 * only their region's rows, admins see it whole; the other tables are open to both.
 */
final class BenchPolicy
{
    private BenchPolicy() {}

    /** Writes the policy into a new directory and returns it, for {@code TestingGateway.startGatewayWith}. */
    static Path write(String maskedTable, List<String> openTables)
            throws IOException
    {
        StringBuilder yaml = new StringBuilder("""
                roles:
                  analyst: {groups: [analysts]}
                  admin: {groups: [admins]}
                defaults:
                  access: deny
                tables:
                """);
        yaml.append("  ").append(maskedTable).append(":\n").append("""
                    allow: [analyst, admin]
                    columns:
                      email: {mask: nullify}
                    unmasked_for: [admin]
                    unfiltered_for: [admin]
                    row_filters:
                      - {name: own_region, for: [analyst], where: "region = :user.region"}
                """);
        for (String table : openTables) {
            yaml.append("  ").append(table).append(":\n    allow: [analyst, admin]\n");
        }
        Path directory = Files.createTempDirectory("sekisho-bench-policies");
        Files.writeString(directory.resolve("bench.yaml"), yaml.toString(), StandardCharsets.UTF_8);
        return directory;
    }
}
