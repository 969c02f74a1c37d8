package dev.sekisho.planner.plan;

import dev.sekisho.planner.catalog.Catalog;
import dev.sekisho.planner.catalog.ConnectorSchema;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;
import dev.sekisho.policies.validate.DidYouMean;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Turns Calcite's exceptions into {@link QueryException}s with PostgreSQL's SQLSTATEs and messages
 * that say what to change, pointing at the client's text. Never includes Java stack traces.
 */
final class ErrorTranslator
{
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("(?:Object|Table) '([^']*)' not found(?: within '([^']*)')?(?:; did you mean '([^']*)'\\?)?");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']*)' not found in (?:any table|table '([^']*)')(?:; did you mean '([^']*)'\\?)?");
    private static final Pattern COLUMN_AMBIGUOUS = Pattern.compile("Column '([^']*)' is ambiguous");
    private static final Pattern NO_FUNCTION = Pattern.compile("No match found for function signature (\\w+)\\((.*)\\)");
    private static final Pattern CANNOT_APPLY = Pattern.compile("Cannot apply '([^']*)' to arguments of type '(.*)'\\. Supported form");
    private static final Pattern ARGUMENT_COUNT = Pattern.compile("Invalid number of arguments to function '([^']*)'");
    private static final Pattern NOT_GROUPED = Pattern.compile("Expression '([^']*)' is not being grouped");
    private static final Pattern UNKNOWN_TYPE = Pattern.compile("Unknown (?:identifier|datatype name) '([^']*)'");

    private static final java.util.Set<String> DANGLING_KEYWORDS = java.util.Set.of(
            "select", "from", "where", "and", "or", "not", "by", "join", "on", "having", "limit", "offset", "union", "as", "in", "like", "between");

    private final String sql;
    private String normalizedText;
    private final ParameterRewriter.Rewritten rewritten;
    private final Catalog catalog;
    private final List<String> searchPath;
    private final BiPredicate<ConnectorSchema, String> visible;
    private final boolean policyApplies;

    ErrorTranslator(String sql, ParameterRewriter.Rewritten rewritten, Catalog catalog, List<String> searchPath)
    {
        this(sql, rewritten, catalog, searchPath, (schema, table) -> true, false);
    }

    /**
     * @param visible whether the principal sees a table of a schema: hints list only those
     */
    ErrorTranslator(String sql, ParameterRewriter.Rewritten rewritten, Catalog catalog, List<String> searchPath, BiPredicate<ConnectorSchema, String> visible)
    {
        this(sql, rewritten, catalog, searchPath, visible, true);
    }

    private ErrorTranslator(String sql, ParameterRewriter.Rewritten rewritten, Catalog catalog, List<String> searchPath, BiPredicate<ConnectorSchema, String> visible,
            boolean policyApplies)
    {
        this.policyApplies = policyApplies;
        this.sql = requireNonNull(sql, "sql is null");
        this.rewritten = requireNonNull(rewritten, "rewritten is null");
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.searchPath = List.copyOf(searchPath);
        this.visible = requireNonNull(visible, "visible is null");
    }

    /**
     * The text Calcite parsed, when the PostgreSQL syntax normalisation changed it ({@code E'\\n'},
     * {@code OPERATOR(pg_catalog.~)}, subscripts...): Calcite's positions then point into it, so the
     * words of a message are taken from it, and the position the client gets is where those words
     * are in its own text.
     */
    void parsed(String normalized)
    {
        normalizedText = normalized.equals(rewritten.sql()) ? null : normalized;
    }

    /** The text positions refer to. */
    private String text()
    {
        return normalizedText != null ? normalizedText : sql;
    }

    /** The client's one-based position of what starts at {@code start} of {@link #text()} and reads {@code written}; 0 if unknown. */
    private int clientPosition(int start, String written)
    {
        if (start < 0) {
            return 0;
        }
        if (normalizedText == null) {
            return start + 1;
        }
        int found = written.isBlank() ? -1 : sql.toLowerCase(Locale.ROOT).indexOf(written.strip().toLowerCase(Locale.ROOT));
        return found < 0 ? 0 : found + 1;
    }

    QueryException translate(Throwable failure)
    {
        // a function Calcite called while planning (a table function learning its row type) may have said what is wrong
        QueryException queryException = find(failure, QueryException.class);
        if (queryException != null) {
            return queryException;
        }
        if (failure instanceof SqlParseException parseException) {
            return syntaxError(parseException);
        }
        CalciteContextException context = find(failure, CalciteContextException.class);
        if (context != null) {
            Throwable cause = context.getCause() != null ? context.getCause() : context;
            return validationError(firstLine(cause.getMessage()), offset(context.getPosLine(), context.getPosColumn()),
                    offset(context.getEndPosLine(), context.getEndPosColumn()), failure);
        }
        SqlParseException parseException = find(failure, SqlParseException.class);
        if (parseException != null) {
            return syntaxError(parseException);
        }
        return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "this statement is not supported: " + firstLine(failure.getMessage()),
                "Sekisho plans SELECT queries over the configured sources; simplify the statement or report it.", failure);
    }

    private QueryException syntaxError(SqlParseException e)
    {
        SqlParserPos pos = e.getPos();
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (firstLine(message).contains("Encountered \"<EOF>\"") || pos == null) {
            return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at end of input", null, sql.length() + 1, e);
        }
        int start = offset(pos.getLineNum(), pos.getColumnNum());
        int end = pos.getEndLineNum() == pos.getLineNum() ? offset(pos.getEndLineNum(), pos.getEndColumnNum()) : start;
        String token = tokenAt(start, end);
        if (start + token.length() >= text().stripTrailing().length() && DANGLING_KEYWORDS.contains(token.toLowerCase(Locale.ROOT))) {
            // a statement that stops after a keyword: PostgreSQL reports the end of input
            return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at end of input", null, sql.length() + 1, e);
        }
        if (message.startsWith("Non-query expression")) {
            return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at or near \"" + token + "\"",
                    "Only queries (SELECT, WITH, VALUES, TABLE) can be used here.", clientPosition(start, token), e);
        }
        return new QueryException(SqlStates.SYNTAX_ERROR, "syntax error at or near \"" + token + "\"", null, clientPosition(start, token), e);
    }

    private QueryException validationError(String message, int start, int end, Throwable cause)
    {
        String written = start >= 0 && end >= start && start < text().length() ? text().substring(start, Math.min(text().length(), end + 1)) : "";
        int position = clientPosition(start, written);
        Matcher matcher;
        if ((matcher = COLUMN_NOT_FOUND.matcher(message)).find()) {
            String column = matcher.group(2) == null ? matcher.group(1) : matcher.group(2) + "." + matcher.group(1);
            String hint = matcher.group(3) == null ? null : "Perhaps you meant to reference the column \"" + matcher.group(3) + "\".";
            return new QueryException(SqlStates.UNDEFINED_COLUMN, "column " + quoteIfSimple(column) + " does not exist", hint, position, cause);
        }
        if ((matcher = OBJECT_NOT_FOUND.matcher(message)).find()) {
            return undefinedTable(written.isEmpty() ? matcher.group(1) : written, position, cause);
        }
        if ((matcher = COLUMN_AMBIGUOUS.matcher(message)).find()) {
            return new QueryException(SqlStates.AMBIGUOUS_COLUMN, "column reference \"" + matcher.group(1) + "\" is ambiguous",
                    "Qualify the column with its table name or alias.", position, cause);
        }
        if ((matcher = NO_FUNCTION.matcher(message)).find()) {
            return new QueryException(SqlStates.UNDEFINED_FUNCTION,
                    "function " + matcher.group(1).toLowerCase(Locale.ROOT) + "(" + argumentTypes(matcher.group(2)) + ") does not exist",
                    "No function matches the given name and argument types. You might need to add explicit type casts.", position, cause);
        }
        if ((matcher = CANNOT_APPLY.matcher(message)).find()) {
            String name = matcher.group(1);
            String types = argumentTypes(matcher.group(2).replace("' ", "").replace(" '", ""));
            boolean operator = !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == ' ');
            String text = operator
                    ? "operator does not exist: " + argumentTypes(matcher.group(2))
                    : "function " + name.toLowerCase(Locale.ROOT) + "(" + types + ") does not exist";
            return new QueryException(SqlStates.UNDEFINED_FUNCTION, text,
                    "No " + (operator ? "operator" : "function") + " matches the given name and argument types. You might need to add explicit type casts.",
                    position, cause);
        }
        if ((matcher = ARGUMENT_COUNT.matcher(message)).find()) {
            return new QueryException(SqlStates.UNDEFINED_FUNCTION, "function " + matcher.group(1).toLowerCase(Locale.ROOT) + " does not exist with this number of arguments",
                    firstSentence(message), position, cause);
        }
        if ((matcher = NOT_GROUPED.matcher(message)).find()) {
            return new QueryException(SqlStates.GROUPING_ERROR,
                    "column \"" + unquoteCalcite(matcher.group(1)) + "\" must appear in the GROUP BY clause or be used in an aggregate function", null, position, cause);
        }
        if ((matcher = UNKNOWN_TYPE.matcher(message)).find()) {
            return new QueryException(SqlStates.UNDEFINED_OBJECT, "type \"" + matcher.group(1).toLowerCase(Locale.ROOT) + "\" does not exist", null, position, cause);
        }
        if (message.startsWith("Illegal use of dynamic parameter")) {
            int placeholder = start < 0 ? -1 : placeholderAt(start);
            String parameter = placeholder < 0 ? "" : " $" + rewritten.parameterNumbers().get(placeholder);
            return new QueryException(SqlStates.INDETERMINATE_DATATYPE, "could not determine data type of parameter" + parameter,
                    "Add a cast such as " + (parameter.isEmpty() ? "$1" : parameter.trim()) + "::integer, or declare the parameter's type when preparing.", position, cause);
        }
        if (message.startsWith("Aggregate expression is illegal") || message.contains("is not being grouped")) {
            return new QueryException(SqlStates.GROUPING_ERROR, "aggregate functions are not allowed here: " + message, null, position, cause);
        }
        if ((matcher = Pattern.compile("(\\w+) clause must be a condition").matcher(message)).find()) {
            return new QueryException(SqlStates.DATATYPE_MISMATCH, "argument of " + matcher.group(1).toUpperCase(Locale.ROOT) + " must be type boolean",
                    "Write a condition, e.g. column = value.", position, cause);
        }
        if (message.contains("must be a condition") || message.startsWith("Type mismatch") || message.contains("compatible types")
                || message.startsWith("Illegal mixing of types") || message.startsWith("Cannot assign") || message.contains("incompatible")
                || message.startsWith("Cannot infer return type")) {
            return new QueryException(SqlStates.DATATYPE_MISMATCH, postgresStyle(message), "Add explicit casts so that the types match.", position, cause);
        }
        if (message.equals("Ordinal out of range")) {
            // GROUP BY 2 / ORDER BY 2 past the select list: PostgreSQL's words, with the clause the position is in
            Matcher clause = Pattern.compile("(?is).*\\b(group|order)\\s+by\\b").matcher(text().substring(0, Math.max(0, Math.min(text().length(), start))));
            String keyword = clause.find() ? clause.group(1).toUpperCase(Locale.ROOT) + " BY" : "ORDER BY";
            return new QueryException(SqlStates.INVALID_COLUMN_REFERENCE, keyword + " position " + written.strip() + " is not in select list",
                    "Positions count the columns of the select list from 1.", position, cause);
        }
        if (message.contains("out of range")) {
            return new QueryException(SqlStates.NUMERIC_VALUE_OUT_OF_RANGE, postgresStyle(message), null, position, cause);
        }
        return new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, postgresStyle(message), null, position, cause);
    }

    private QueryException undefinedTable(String written, int position, Throwable cause)
    {
        List<String> parts = identifierParts(written);
        String name = String.join(".", parts);
        String hint;
        if (parts.size() >= 2) {
            Optional<ConnectorSchema> schema = catalog.schema(parts.get(0)).filter(this::hasVisibleTable);
            hint = schema.map(found -> tablesHint(found, parts.get(parts.size() - 1)))
                    .orElseGet(() -> "Schema \"" + parts.get(0) + "\" does not exist. Available schemas: " + schemaList() + ".");
        }
        else {
            List<ConnectorSchema> schemas = new ArrayList<>();
            for (String entry : searchPath) {
                catalog.schema(entry).filter(this::hasVisibleTable).ifPresent(schemas::add);
            }
            if (schemas.isEmpty()) {
                hint = "Qualify the table with its schema (e.g. schema.table) or set search_path. Available schemas: " + schemaList() + ".";
            }
            else {
                hint = schemas.stream().map(schema -> tablesHint(schema, name)).collect(Collectors.joining(" "));
            }
        }
        return new QueryException(SqlStates.UNDEFINED_TABLE, "relation \"" + name + "\" does not exist", hint, position, cause);
    }

    private String tablesHint(ConnectorSchema schema, String table)
    {
        List<String> tables;
        try {
            tables = schema.tableNames().stream().filter(candidate -> visible.test(schema, candidate)).toList();
        }
        catch (RuntimeException e) {
            return "Check the table name.";
        }
        List<String> similar = tables.stream()
                .filter(candidate -> DidYouMean.distance(candidate.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT)) <= Math.max(2, table.length() / 3))
                .sorted(Comparator.comparingInt(candidate -> DidYouMean.distance(candidate.toLowerCase(Locale.ROOT), table.toLowerCase(Locale.ROOT))))
                .toList();
        if (!similar.isEmpty()) {
            return "Perhaps you meant " + similar.stream().map(candidate -> "\"" + schema.exposedName() + "." + candidate + "\"").collect(Collectors.joining(" or ")) + ".";
        }
        return "Tables in schema \"" + schema.exposedName() + "\": " + list(tables) + ".";
    }

    private String schemaList()
    {
        return list(catalog.schemas().stream().filter(this::hasVisibleTable).map(ConnectorSchema::exposedName).sorted().toList());
    }

    /** Whether the principal sees a table of the schema; without a policy, whether it exists. */
    private boolean hasVisibleTable(ConnectorSchema schema)
    {
        if (!policyApplies) {
            return true;
        }
        try {
            return schema.tableNames().stream().anyMatch(table -> visible.test(schema, table));
        }
        catch (RuntimeException e) {
            return false;
        }
    }

    private static String list(Collection<String> names)
    {
        if (names.isEmpty()) {
            return "(none)";
        }
        List<String> shown = names.stream().limit(20).toList();
        return String.join(", ", shown) + (names.size() > shown.size() ? ", ..." : "");
    }

    /** Splits an identifier as written: unquoted parts fold to lower case, quoted parts keep case. */
    private static List<String> identifierParts(String written)
    {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < written.length() && written.charAt(i + 1) == '"') {
                    current.append('"');
                    i++;
                }
                else {
                    quoted = !quoted;
                }
            }
            else if (c == '.' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            }
            else if (!Character.isWhitespace(c) || quoted) {
                current.append(quoted ? c : Character.toLowerCase(c));
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private int placeholderAt(int originalOffset)
    {
        for (int i = 0; i < rewritten.placeholderOffsets().length; i++) {
            if (rewritten.originalOffset(rewritten.placeholderOffsets()[i]) == originalOffset) {
                return i;
            }
        }
        return -1;
    }

    /** Zero-based offset in the client's text of a one-based line and column in the rewritten text, or -1. */
    private int offset(int line, int column)
    {
        if (line <= 0 || column <= 0) {
            return -1;
        }
        String text = normalizedText != null ? normalizedText : rewritten.sql();
        int offset = 0;
        for (int current = 1; current < line; current++) {
            int newline = text.indexOf('\n', offset);
            if (newline < 0) {
                return -1;
            }
            offset = newline + 1;
        }
        if (normalizedText != null) {
            return Math.min(offset + column - 1, normalizedText.length());
        }
        return Math.min(rewritten.originalOffset(offset + column - 1), sql.length());
    }

    private String tokenAt(int start, int end)
    {
        String text = text();
        if (start < 0 || start >= text.length()) {
            return "";
        }
        if (end >= start && end < text.length()) {
            return text.substring(start, end + 1);
        }
        int stop = start + 1;
        while (stop < text.length() && Character.isLetterOrDigit(text.charAt(stop))) {
            stop++;
        }
        return text.substring(start, stop);
    }

    private static String argumentTypes(String calciteTypes)
    {
        return calciteTypes.replace("<", "").replace(">", "").toLowerCase(Locale.ROOT);
    }

    private static String quoteIfSimple(String column)
    {
        return column.contains(".") ? column : "\"" + column + "\"";
    }

    private static String unquoteCalcite(String expression)
    {
        return expression.replace("`", "").toLowerCase(Locale.ROOT);
    }

    private static String postgresStyle(String message)
    {
        if (message.isEmpty()) {
            return "invalid statement";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    private static String firstSentence(String message)
    {
        return message.endsWith(".") ? message : message + ".";
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type)
    {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return null;
    }
}
