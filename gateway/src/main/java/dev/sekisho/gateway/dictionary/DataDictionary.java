package dev.sekisho.gateway.dictionary;

import dev.sekisho.gateway.config.ConfigReader;
import dev.sekisho.gateway.config.ConfigYaml;
import dev.sekisho.planner.pg.catalog.Descriptions;
import dev.sekisho.policies.yaml.YamlNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data dictionary read from {@code <policies.dir>/dictionary/*.yaml} (docs/operations.md):
 * <pre>
 * tables:
 *   shop.customers:
 *     description: One row per customer account.
 *     owner: crm-team@example.com
 *     tier: mart                   # lake, warehouse or mart
 *     freshness: 1h                # the SLA readers may rely on
 *     columns:
 *       email: The address the customer signed up with.
 *       phone: {description: Mobile number, E.164}
 * </pre>
 * A table's description reads {@code description (owner: ...; tier: ...; freshness: ...)}.
 * Immutable; a reload builds a new one. Errors name file:line and key.
 */
public final class DataDictionary
        implements Descriptions
{
    /** The dictionary's folder inside the policy folder. */
    public static final String FOLDER = "dictionary";
    private static final Set<String> TIERS = Set.of("lake", "warehouse", "mart");

    private final Map<String, String> tables;
    private final Map<String, String> columns;

    private DataDictionary(Map<String, String> tables, Map<String, String> columns)
    {
        this.tables = Map.copyOf(tables);
        this.columns = Map.copyOf(columns);
    }

    /** The dictionary of policy folder {@code policyDir}; empty when it has no {@code dictionary/} folder. */
    public static DataDictionary load(Path policyDir)
    {
        Path folder = policyDir.resolve(FOLDER);
        Map<String, String> tables = new HashMap<>();
        Map<String, String> columns = new HashMap<>();
        if (!Files.isDirectory(folder)) {
            return new DataDictionary(tables, columns);
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(folder)) {
            files = listed.filter(path -> {
                String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
                return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml"));
            }).sorted().toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot list the data dictionary folder " + folder + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            read(file, tables, columns);
        }
        return new DataDictionary(tables, columns);
    }

    private static void read(Path file, Map<String, String> tables, Map<String, String> columns)
    {
        ConfigReader root = ConfigReader.root(file.toString(), ConfigYaml.read(file));
        root.rejectUnknownKeys(Set.of("tables"));
        Optional<ConfigReader> section = root.optionalSection("tables");
        if (section.isEmpty()) {
            return;
        }
        for (String name : section.get().node().entries().keySet()) {
            String key = name.toLowerCase(Locale.ROOT);
            if (key.chars().filter(c -> c == '.').count() != 1) {
                throw section.get().error(name, "name a table as schema.table");
            }
            ConfigReader table = section.get().optionalSection(name)
                    .orElseThrow(() -> section.get().error(name, "must be a mapping with description, owner, tier, freshness and columns"));
            table.rejectUnknownKeys(Set.of("description", "owner", "tier", "freshness", "columns"));
            Optional<String> tier = table.optionalString("tier");
            if (tier.isPresent() && !TIERS.contains(tier.get())) {
                throw table.error("tier", "must be lake, warehouse or mart, not '" + tier.get() + "'");
            }
            List<String> facts = new ArrayList<>();
            table.optionalString("owner").ifPresent(owner -> facts.add("owner: " + owner));
            tier.ifPresent(value -> facts.add("tier: " + value));
            table.optionalString("freshness").ifPresent(freshness -> facts.add("freshness: " + freshness));
            String description = table.optionalString("description").orElse("");
            if (!facts.isEmpty()) {
                description = (description.isEmpty() ? "" : description + " ") + "(" + String.join("; ", facts) + ")";
            }
            if (!description.isEmpty() && tables.putIfAbsent(key, description) != null) {
                throw section.get().error(name, "is described twice in the data dictionary");
            }
            Optional<ConfigReader> columnSection = table.optionalSection("columns");
            if (columnSection.isPresent()) {
                for (Map.Entry<String, YamlNode> column : columnSection.get().node().entries().entrySet()) {
                    String text;
                    if (column.getValue() instanceof YamlNode.ScalarNode scalar && scalar.value() != null) {
                        text = scalar.value().toString();
                    }
                    else {
                        ConfigReader columnReader = columnSection.get().optionalSection(column.getKey())
                                .orElseThrow(() -> columnSection.get().error(column.getKey(), "must be a description, or a mapping with description"));
                        columnReader.rejectUnknownKeys(Set.of("description"));
                        text = columnReader.requireString("description");
                    }
                    if (columns.putIfAbsent(key + "." + column.getKey().toLowerCase(Locale.ROOT), text) != null) {
                        throw columnSection.get().error(column.getKey(), "is described twice in the data dictionary");
                    }
                }
            }
        }
    }

    @Override
    public Optional<String> table(String schema, String table)
    {
        return Optional.ofNullable(tables.get(schema.toLowerCase(Locale.ROOT) + "." + table.toLowerCase(Locale.ROOT)));
    }

    @Override
    public Optional<String> column(String schema, String table, String column)
    {
        return Optional.ofNullable(columns.get(schema.toLowerCase(Locale.ROOT) + "." + table.toLowerCase(Locale.ROOT) + "." + column.toLowerCase(Locale.ROOT)));
    }
}
