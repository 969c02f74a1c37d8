package dev.sekisho.policies.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Collections.unmodifiableSet;
import static java.util.Objects.requireNonNull;

/**
 * Finds the {@code :user.<attribute>} placeholders in a policy expression, skipping string
 * literals, quoted identifiers, comments and {@code ::} casts. The planner binds each one as a
 * value; it is never spliced into SQL text.
 */
public final class UserReferences
{
    /** {@code :user.name}: the user name. Always bound. */
    public static final String NAME = "name";
    /** {@code :user.groups}: the user's groups, a list of strings. Always bound (maybe empty). */
    public static final String GROUPS = "groups";

    private static final String PREFIX = "user.";

    private UserReferences() {}

    /**
     * One placeholder as written.
     *
     * @param text the placeholder, from the colon to the end of the name
     * @param attribute the attribute it names, or empty if it is not of the form {@code :user.NAME}
     * @param offset zero-based offset of the colon in the expression
     */
    public record Reference(String text, Optional<String> attribute, int offset)
    {
        public Reference
        {
            requireNonNull(text, "text is null");
            requireNonNull(attribute, "attribute is null");
        }
    }

    /** Every placeholder in order, well-formed or not. */
    public static List<Reference> find(String sql)
    {
        List<Reference> references = new ArrayList<>();
        int i = 0;
        int length = sql.length();
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = skipQuoted(sql, i, c);
            }
            else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end + 1;
            }
            else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 2;
            }
            else if (c == ':' && i + 1 < length && sql.charAt(i + 1) == ':') {
                i += 2;
            }
            else if (c == ':' && i + 1 < length && isIdentifierStart(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < length && (isIdentifierPart(sql.charAt(end)) || sql.charAt(end) == '.')) {
                    end++;
                }
                String text = sql.substring(i, end);
                String body = text.substring(1);
                Optional<String> attribute = Optional.empty();
                if (body.startsWith(PREFIX)) {
                    String name = body.substring(PREFIX.length());
                    if (!name.isEmpty() && isIdentifierStart(name.charAt(0)) && name.indexOf('.') < 0) {
                        attribute = Optional.of(name);
                    }
                }
                references.add(new Reference(text, attribute, i));
                i = end;
            }
            else {
                i++;
            }
        }
        return List.copyOf(references);
    }

    /** The attributes of the well-formed placeholders, in order of first use. */
    public static Set<String> attributes(String sql)
    {
        Set<String> attributes = new LinkedHashSet<>();
        for (Reference reference : find(sql)) {
            reference.attribute().ifPresent(attributes::add);
        }
        return unmodifiableSet(attributes);
    }

    private static int skipQuoted(String sql, int start, char quote)
    {
        int i = start + 1;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == quote) {
                if (i + 1 < sql.length() && sql.charAt(i + 1) == quote) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return sql.length();
    }

    private static boolean isIdentifierStart(char c)
    {
        return Character.isLetter(c) || c == '_';
    }

    private static boolean isIdentifierPart(char c)
    {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}
