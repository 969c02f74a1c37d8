package dev.sekisho.policies.model;

import dev.sekisho.policies.sql.SqlLexer;
import dev.sekisho.policies.sql.SqlToken;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static java.util.Collections.unmodifiableSet;
import static java.util.Objects.requireNonNull;

/**
 * Finds the {@code :user.<attribute>} placeholders in a policy expression, with the shared
 * {@link SqlLexer} (so that string literals, quoted identifiers, nested comments and {@code ::}
 * casts are never mistaken for one). The planner binds each one as a
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
        List<SqlToken> tokens = SqlLexer.tokenize(sql);
        List<Reference> references = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            // ":" directly followed by a name: a placeholder (strings, comments and "::" casts are tokens of their own)
            if (!tokens.get(i).isSymbol(":") || i + 1 >= tokens.size() || tokens.get(i + 1).kind() != SqlToken.Kind.WORD) {
                continue;
            }
            int end = i + 1;
            while (end + 2 < tokens.size() && tokens.get(end + 1).isSymbol(".") && tokens.get(end + 2).kind() == SqlToken.Kind.WORD) {
                end += 2;
            }
            String text = sql.substring(tokens.get(i).start(), tokens.get(end).end());
            String body = text.substring(1);
            Optional<String> attribute = Optional.empty();
            if (body.startsWith(PREFIX)) {
                String name = body.substring(PREFIX.length());
                if (!name.isEmpty() && name.indexOf('.') < 0) {
                    attribute = Optional.of(name);
                }
            }
            references.add(new Reference(text, attribute, tokens.get(i).start()));
            i = end;
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
}
