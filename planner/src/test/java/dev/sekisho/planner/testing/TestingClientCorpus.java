package dev.sekisho.planner.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The client corpus ({@code shared/clients/*.sql}, beside the repository) and what each entry's
 * {@code expects} line says PostgreSQL 15 answers on the corpus's fixture: the statements, the
 * RowDescription (labels and type OIDs), the row count, and whether PostgreSQL answers with an error.
 * Shared by the planner's corpus test and the gateway's, which sends every entry over the wire.
 */
public final class TestingClientCorpus
{
    /** OIDs of the fixture's objects that appear as literals in the corpus. */
    public static final long FIXTURE_ORDERS_OID = 16386;
    public static final long FIXTURE_MOOD_ARRAY_OID = 16412;
    public static final long FIXTURE_MOOD_OID = 16413;

    /** For each of those, the catalog query that gives Sekisho's OID for the same object. */
    public static final Map<Long, String> FIXTURE_OID_QUERIES = new java.util.TreeMap<>(Map.of(
            FIXTURE_ORDERS_OID, "select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relname = 'orders'",
            FIXTURE_MOOD_ARRAY_OID, "select typarray from pg_type where typname = 'mood'",
            FIXTURE_MOOD_OID, "select oid from pg_type where typname = 'mood'"));

    /** The fixture's session user (postgres) owns every object, as the role {@code sekisho} owns Sekisho's. */
    public static final String SESSION_USER = "sekisho";

    /** First words of the statements the gateway answers itself, without the planner. */
    public static final Set<String> SESSION_COMMANDS = Set.of("set", "show", "begin", "declare", "fetch", "close", "commit", "rollback", "savepoint",
            "release", "create", "drop", "discard", "deallocate", "move", "reset", "start", "end", "abort");

    /** Above this, a row count reflects PostgreSQL's own catalog contents rather than the fixture's shape. */
    public static final int SHAPE_ROWS = 30;

    /**
     * Rows of PostgreSQL's installation that the fixture's counts include and Sekisho has by design
     * not: the databases {@code postgres}, {@code template1} (both allow connections) and
     * {@code template0}. Sekisho serves one database; these entries list databases, and the count
     * checked is the fixture's minus the built-in databases the statement keeps.
     */
    private static final Map<String, Integer> BUILT_IN_DATABASE_ROWS = Map.of(
            "pgjdbc.sql#4", 2, // WHERE datallowconn: postgres, template1
            "psql.sql#1", 3); // \l: postgres, template0, template1

    private static final Pattern ROW_DESCRIPTION = Pattern.compile("RowDescription \\[(.*)]");
    private static final Pattern ROWS = Pattern.compile("fixture rows=(\\d+)");
    private static final Map<String, Integer> DISPLAY_NAME_OIDS = Map.ofEntries(
            Map.entry("timestamp with time zone", 1184), Map.entry("character varying", 1043), Map.entry("\"char\"", 18), Map.entry("name[]", 1003),
            Map.entry("text[]", 1009), Map.entry("integer", 23), Map.entry("bigint", 20), Map.entry("smallint", 21), Map.entry("boolean", 16),
            Map.entry("numeric", 1700), Map.entry("regclass", 2205), Map.entry("int2vector", 22), Map.entry("real", 700), Map.entry("date", 1082),
            Map.entry("name", 19), Map.entry("text", 25), Map.entry("oid", 26), Map.entry("void", 2278));
    private static final Pattern FIELD_OID = Pattern.compile("\\((\\d+)\\)$");

    private TestingClientCorpus() {}

    /** An expected result column: its label and type OID. */
    public record Field(String name, int oid) {}

    /**
     * One captured statement (or several sent in one message) and its expectation.
     *
     * @param index one-based position in its file
     */
    public record Entry(String file, int index, String source, String expects, String sql)
    {
        public String id()
        {
            return file + "#" + index;
        }

        /** Whether PostgreSQL answers with an error on the fixture. */
        public boolean expectsError()
        {
            return expects.contains("ERROR on fixture") || expects.contains("not runnable on fixture")
                    || expects.contains("not expected from a PostgreSQL-typed data source");
        }

        /**
         * The SQLSTATE of PostgreSQL's error, where the line names it or its message says it:
         * {@code SQLSTATE xxxxx}, or "column ... does not exist" (42703), "table/relation ... does
         * not exist" (42P01).
         */
        public Optional<String> expectedSqlState()
        {
            Matcher named = Pattern.compile("SQLSTATE (\\w{5})").matcher(expects);
            if (named.find()) {
                return Optional.of(named.group(1));
            }
            if (expects.matches(".*ERROR on fixture[^|]*: column \\S+ does not exist.*")) {
                return Optional.of("42703");
            }
            if (expects.matches(".*ERROR on fixture[^|]*: (table|relation) \\S+ does not exist.*")) {
                return Optional.of("42P01");
            }
            return Optional.empty();
        }

        /** The RowDescription PostgreSQL sends for the last statement, if the line gives one. */
        public Optional<List<Field>> expectedFields()
        {
            Matcher description = ROW_DESCRIPTION.matcher(expects);
            if (!description.find()) {
                return Optional.empty();
            }
            List<Field> fields = new ArrayList<>();
            for (String field : description.group(1).split(", ")) {
                Matcher oid = FIELD_OID.matcher(field);
                if (oid.find()) {
                    fields.add(new Field(label(field.substring(0, oid.start())), Integer.parseInt(oid.group(1))));
                    continue;
                }
                // a field written without its OID: "label type"
                String label = label(field);
                Integer typeOid = DISPLAY_NAME_OIDS.get(field.substring(label.length()).strip());
                if (typeOid == null) {
                    throw new IllegalStateException(id() + ": cannot read expected field " + field);
                }
                fields.add(new Field(label, typeOid));
            }
            return Optional.of(fields);
        }

        /**
         * The row count to check, where it depends only on the fixture's shape: the fixture's count
         * (less the built-in databases for the entries that list databases), empty above
         * {@link #SHAPE_ROWS} or where the line gives none.
         */
        public OptionalInt expectedShapeRows()
        {
            Matcher rows = ROWS.matcher(expects);
            if (!rows.find()) {
                return OptionalInt.empty();
            }
            int expected = Integer.parseInt(rows.group(1)) - BUILT_IN_DATABASE_ROWS.getOrDefault(id(), 0);
            return expected <= SHAPE_ROWS ? OptionalInt.of(expected) : OptionalInt.empty();
        }

        /** The statements that reach the planner: split at top-level semicolons, session commands dropped. */
        public List<String> plannerStatements()
        {
            List<String> queries = new ArrayList<>();
            for (String statement : statements(sql)) {
                String stripped = statement.replaceAll("(?s)/\\*.*?\\*/", " ").strip();
                if (stripped.isEmpty()) {
                    continue;
                }
                String first = stripped.split("[\\s(]+", 2)[0].toLowerCase(Locale.ROOT);
                if (!SESSION_COMMANDS.contains(first)) {
                    queries.add(statement.strip());
                }
            }
            return queries;
        }
    }

    /** The corpus directory, {@code shared/clients} beside the repository (or one of its parents). */
    public static Optional<Path> directory()
    {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null) {
            Path candidate = directory.resolveSibling("shared").resolve("clients");
            if (directory.getParent() != null && Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            directory = directory.getParent();
        }
        return Optional.empty();
    }

    /** Every entry of every file, files in name order. */
    public static List<Entry> entries(Path directory)
            throws IOException
    {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".sql")).sorted().toList()) {
                entries.addAll(parse(file));
            }
        }
        return entries;
    }

    /** {@code sql} with the fixture's OIDs replaced by Sekisho's for the same objects. */
    public static String withOids(String sql, Map<Long, Long> fixtureToSekisho)
    {
        for (Map.Entry<Long, Long> oid : fixtureToSekisho.entrySet()) {
            sql = sql.replaceAll("\\b" + oid.getKey() + "\\b", String.valueOf(oid.getValue()));
        }
        return sql;
    }

    static List<Entry> parse(Path file)
            throws IOException
    {
        List<Entry> entries = new ArrayList<>();
        String name = file.getFileName().toString();
        String[] chunks = Files.readString(file).split("(?m)^-- ;;\\s*$");
        for (String chunk : chunks) {
            String source = null;
            String expects = "";
            StringBuilder sql = new StringBuilder();
            for (String line : chunk.split("\n", -1)) {
                if (line.startsWith("-- source:")) {
                    source = line.substring("-- source:".length()).strip();
                    sql.setLength(0);
                }
                else if (line.startsWith("-- expects:")) {
                    expects = line.substring("-- expects:".length()).strip();
                }
                else if (line.startsWith("--")) {
                    continue;
                }
                else if (source != null) {
                    sql.append(line).append('\n');
                }
            }
            if (source != null) {
                entries.add(new Entry(name, entries.size() + 1, source, expects, sql.toString().strip()));
            }
        }
        return entries;
    }

    /** Split at top-level semicolons (outside quotes). */
    private static List<String> statements(String sql)
    {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            }
            else if (c == '\'' || c == '"') {
                quote = c;
            }
            else if (c == ';') {
                statements.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        statements.add(current.toString());
        return statements;
    }

    /** The column label of an expected field {@code label type}: the type is one of PostgreSQL's display names. */
    private static String label(String field)
    {
        for (String type : DISPLAY_NAME_OIDS.keySet().stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList()) {
            if (field.endsWith(" " + type)) {
                return field.substring(0, field.length() - type.length() - 1);
            }
        }
        return field;
    }
}
