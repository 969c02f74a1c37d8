package dev.sekisho.it.bigquery;

import com.google.zetasql.Analyzer;
import com.google.zetasql.AnalyzerOptions;
import com.google.zetasql.LanguageOptions;
import com.google.zetasql.PreparedQuery;
import com.google.zetasql.SimpleCatalog;
import com.google.zetasql.SimpleColumn;
import com.google.zetasql.SimpleTable;
import com.google.zetasql.SqlException;
import com.google.zetasql.TableContent;
import com.google.zetasql.Type;
import com.google.zetasql.Value;
import com.google.zetasql.ZetaSQLBuiltinFunctionOptions;
import com.google.zetasql.ZetaSQLOptions.ParameterMode;
import com.google.zetasql.ZetaSQLOptions.ProductMode;
import com.google.zetasql.resolvedast.ResolvedNodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * GoogleSQL as BigQuery runs it, from Google's own code: ZetaSQL's analyzer checks every statement
 * (with BigQuery's positional {@code ?} parameters and {@code dataset.table} names, exactly as sent),
 * finds the columns a query reads (for a dry run's {@code totalBytesProcessed}), and ZetaSQL's
 * reference implementation executes it over the fixture's in-memory tables.
 *
 * <p>The reference implementation binds named parameters only and reads tables of the root catalog
 * only, so the text it executes differs from the analysed text in exactly two ways: each {@code ?}
 * becomes {@code @p0, @p1, ...} and each {@code dataset.table} becomes the root table
 * {@code `dataset__table`}, aliased {@code AS table} where the path had no alias (see
 * {@link #executable}). Nothing else of the statement is touched.
 */
final class ZetaSqlEngine
{
    private final Map<String, FixtureTable> tables = new LinkedHashMap<>();

    /** A table of the fixture; {@code rows} hold ZetaSQL values of the columns' types. */
    record FixtureTable(String dataset, String name, String kind, List<FixtureColumn> columns, List<List<Value>> rows, String description,
            String partitionColumn, List<String> clusteringColumns)
    {
        FixtureTable
        {
            requireNonNull(dataset, "dataset is null");
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
            clusteringColumns = List.copyOf(clusteringColumns);
        }

        String path()
        {
            return dataset + "." + name;
        }

        long bytes()
        {
            long total = 0;
            for (int i = 0; i < columns.size(); i++) {
                total += columnBytes(i);
            }
            return total;
        }

        /** BigQuery's logical size of one column over every row (its pricing unit). */
        long columnBytes(int column)
        {
            long total = 0;
            for (List<Value> row : rows) {
                total += BigQueryValues.size(row.get(column), columns.get(column).geography());
            }
            return total;
        }
    }

    /**
     * A column: its GoogleSQL type, and whether BigQuery calls it GEOGRAPHY (the reference
     * implementation has no GEOGRAPHY; such columns hold WKT text as STRING here).
     */
    record FixtureColumn(String name, Type type, boolean geography, String description)
    {
        FixtureColumn
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A query's result: column names and types, rows, and what a dry run reports. */
    record Result(List<SimpleColumn> columns, List<List<Value>> rows, long bytesProcessed)
    {
    }

    synchronized void addTable(FixtureTable table)
    {
        tables.put(table.path(), table);
    }

    synchronized List<FixtureTable> tables()
    {
        return List.copyOf(tables.values());
    }

    synchronized FixtureTable table(String dataset, String name)
    {
        return tables.get(dataset + "." + name);
    }

    /**
     * Analyses the statement as BigQuery would (GoogleSQL, positional parameters of the given types)
     * and returns the bytes it would scan: the sum of the sizes of the referenced columns of every
     * table it reads (BigQuery's rule for unpartitioned, unclustered tables).
     *
     * @throws SqlException when GoogleSQL rejects the statement
     */
    long analyze(String sql, List<Type> parameterTypes)
    {
        return analysis(sql, parameterTypes).bytes();
    }

    /** What analysis found: the bytes a query scans and the tables it reads. */
    private record Analysis(long bytes, java.util.Set<String> tables)
    {
    }

    private Analysis analysis(String sql, List<Type> parameterTypes)
    {
        AnalyzerOptions options = options();
        options.setParameterMode(ParameterMode.PARAMETER_POSITIONAL);
        options.setPruneUnusedColumns(true);
        parameterTypes.forEach(options::addPositionalQueryParameter);
        SimpleCatalog catalog = catalog(false);
        ResolvedNodes.ResolvedStatement statement = Analyzer.analyzeStatement(sql, options, catalog);
        if (!(statement instanceof ResolvedNodes.ResolvedQueryStmt)) {
            throw new IllegalArgumentException("not a query: " + statement.nodeKindString());
        }
        long[] bytes = new long[1];
        java.util.Set<String> read = new java.util.HashSet<>();
        statement.accept(new ResolvedNodes.Visitor()
        {
            @Override
            public void visit(ResolvedNodes.ResolvedTableScan scan)
            {
                FixtureTable table = table(scan.getTable().getFullName());
                read.add(table.path());
                for (long column : scan.getColumnIndexList()) {
                    bytes[0] += table.columnBytes((int) column);
                }
                super.visit(scan);
            }
        });
        return new Analysis(bytes[0], read);
    }

    private synchronized FixtureTable table(String path)
    {
        return tables.get(path);
    }

    /** Analyses and executes the statement over the fixture's tables. */
    Result execute(String sql, List<Value> parameters)
    {
        List<Type> types = parameters.stream().map(Value::getType).toList();
        Analysis analysis = analysis(sql, types);
        AnalyzerOptions options = options();
        Map<String, Value> named = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            options.addQueryParameter("p" + i, types.get(i));
            named.put("p" + i, parameters.get(i));
        }
        Map<String, TableContent> contents = new HashMap<>();
        for (FixtureTable table : tables()) {
            // only the tables the statement reads cross to the reference implementation
            contents.put(rootName(table), TableContent.create(analysis.tables().contains(table.path()) ? table.rows() : List.of()));
        }
        try (PreparedQuery prepared = PreparedQuery.builder()
                .setSql(executable(sql))
                .setAnalyzerOptions(options)
                .setCatalog(catalog(true))
                .setTablesContents(contents)
                .prepare()) {
            List<List<Value>> rows = new ArrayList<>();
            for (List<Value> row : prepared.execute(named).getTableData()) {
                rows.add(row);
            }
            return new Result(prepared.getColumns(), rows, analysis.bytes());
        }
    }

    /** GoogleSQL as BigQuery speaks it: external product mode (INT64, FLOAT64), every released feature, UTC. */
    static AnalyzerOptions options()
    {
        LanguageOptions language = new LanguageOptions().enableMaximumLanguageFeatures();
        language.setProductMode(ProductMode.PRODUCT_EXTERNAL);
        AnalyzerOptions options = new AnalyzerOptions();
        options.setLanguageOptions(language);
        options.setDefaultTimezone("UTC");
        return options;
    }

    private synchronized SimpleCatalog catalog(boolean forExecution)
    {
        SimpleCatalog catalog = new SimpleCatalog("bigquery");
        catalog.addZetaSQLFunctionsAndTypes(new ZetaSQLBuiltinFunctionOptions(options().getLanguageOptions()));
        Map<String, SimpleCatalog> datasets = new HashMap<>();
        for (FixtureTable table : tables.values()) {
            String name = forExecution ? rootName(table) : table.name();
            List<SimpleColumn> columns = new ArrayList<>();
            for (FixtureColumn column : table.columns()) {
                columns.add(new SimpleColumn(name, column.name(), column.type()));
            }
            SimpleTable simpleTable = new SimpleTable(name, columns);
            if (forExecution) {
                catalog.addSimpleTable(simpleTable);
            }
            else {
                simpleTable.setFullName(table.path());
                datasets.computeIfAbsent(table.dataset(), catalog::addNewSimpleCatalog).addSimpleTable(simpleTable);
            }
        }
        return catalog;
    }

    private static String rootName(FixtureTable table)
    {
        return table.dataset() + "__" + table.name();
    }

    /**
     * The statement as the reference implementation runs it: {@code ?} as {@code @pN}, and
     * {@code dataset.table} (plain or back-quoted, as one path or per part) as {@code `dataset__table`}.
     * String literals, back-quoted identifiers and comments are skipped as GoogleSQL's lexer does.
     */
    String executable(String sql)
    {
        StringBuilder out = new StringBuilder();
        int parameter = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = endOfQuoted(sql, i, c);
                out.append(sql, i, end);
                i = end;
            }
            else if (c == '-' && sql.startsWith("--", i) || c == '#') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? sql.length() : end;
                out.append(sql, i, end);
                i = end;
            }
            else if (c == '/' && sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                end = end < 0 ? sql.length() : end + 2;
                out.append(sql, i, end);
                i = end;
            }
            else if (c == '?') {
                out.append("@p").append(parameter++);
                i++;
            }
            else if (c == '`' || Character.isLetter(c) || c == '_') {
                // an identifier path: parts separated by dots
                List<String> parts = new ArrayList<>();
                int end = i;
                while (true) {
                    int partEnd;
                    if (sql.charAt(end) == '`') {
                        partEnd = sql.indexOf('`', end + 1) + 1;
                        parts.addAll(List.of(sql.substring(end + 1, partEnd - 1).split("\\.")));
                    }
                    else {
                        partEnd = end;
                        while (partEnd < sql.length() && (Character.isLetterOrDigit(sql.charAt(partEnd)) || sql.charAt(partEnd) == '_')) {
                            partEnd++;
                        }
                        parts.add(sql.substring(end, partEnd));
                    }
                    end = partEnd;
                    if (end + 1 < sql.length() && sql.charAt(end) == '.' && (sql.charAt(end + 1) == '`' || Character.isLetter(sql.charAt(end + 1))
                            || sql.charAt(end + 1) == '_')) {
                        end++;
                        continue;
                    }
                    break;
                }
                FixtureTable table = parts.size() == 2 ? table(parts.get(0), parts.get(1)) : null;
                if (table != null && !isColumnReference(sql, i)) {
                    out.append('`').append(rootName(table)).append('`');
                    if (!hasAlias(sql, end)) {
                        // keep the implicit alias (the table name) that the original path had
                        out.append(" AS `").append(table.name()).append('`');
                    }
                }
                else {
                    out.append(sql, i, end);
                }
                i = end;
            }
            else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static final java.util.Set<String> CLAUSE_KEYWORDS = java.util.Set.of("WHERE", "JOIN", "CROSS", "INNER", "LEFT", "RIGHT", "FULL",
            "ON", "USING", "GROUP", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "WINDOW", "HAVING", "QUALIFY", "FOR", "TABLESAMPLE", "NATURAL",
            "OUTER", "FROM", "SELECT", "WITH", "LATERAL");

    /** Whether an alias (AS, or an identifier that is no clause keyword) follows the table path that ends at {@code end}. */
    private static boolean hasAlias(String sql, int end)
    {
        int i = end;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        if (i < sql.length() && sql.charAt(i) == '`') {
            return true;
        }
        int wordEnd = i;
        while (wordEnd < sql.length() && (Character.isLetterOrDigit(sql.charAt(wordEnd)) || sql.charAt(wordEnd) == '_')) {
            wordEnd++;
        }
        String word = sql.substring(i, wordEnd).toUpperCase(java.util.Locale.ROOT);
        return !word.isEmpty() && !CLAUSE_KEYWORDS.contains(word);
    }

    /** Whether the path at {@code start} follows a dot (then it is a field access, not a table). */
    private static boolean isColumnReference(String sql, int start)
    {
        return start > 0 && sql.charAt(start - 1) == '.';
    }

    private static int endOfQuoted(String sql, int start, char quote)
    {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == quote) {
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }
}
