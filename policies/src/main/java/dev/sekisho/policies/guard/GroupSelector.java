package dev.sekisho.policies.guard;

import dev.sekisho.policies.model.Grantee;
import dev.sekisho.policies.model.SourceLocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One entry of {@code resource_groups.select}: a statement that matches every condition given
 * goes to {@code group}; the first matching entry wins.
 *
 * @param grantees the (end) user must hold one of these; empty: anyone
 * @param applicationName a glob ({@code *} any text) the session's {@code application_name} must match
 * @param scheduled Redash's {@code Scheduled:} annotation must say this
 * @param attributes the (end) user's attributes must have these values
 * @param group the group chosen
 * @param origin where it was written
 */
public record GroupSelector(Optional<List<Grantee>> grantees, Optional<String> applicationName, Optional<Boolean> scheduled, Map<String, String> attributes,
        String group, SourceLocation origin)
{
    public GroupSelector
    {
        grantees = requireNonNull(grantees, "grantees is null").map(List::copyOf);
        requireNonNull(applicationName, "applicationName is null");
        requireNonNull(scheduled, "scheduled is null");
        attributes = Map.copyOf(attributes);
        requireNonNull(group, "group is null");
        requireNonNull(origin, "origin is null");
    }

    /** Whether {@code name} matches the {@code application_name} glob (always, when none is given). */
    public boolean matchesApplication(String name)
    {
        if (applicationName.isEmpty()) {
            return true;
        }
        return Pattern.compile(glob(applicationName.get()), Pattern.DOTALL).matcher(name).matches();
    }

    private static String glob(String glob)
    {
        StringBuilder regex = new StringBuilder();
        String[] parts = glob.split("\\*", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return regex.toString();
    }
}
