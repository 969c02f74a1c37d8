package dev.sekisho.gateway.resultcache;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a source statement calls a function whose value changes between runs (the time, random
 * numbers, the connection's user, sequences), so that its result must not be served again. Read
 * from the SQL the source receives: whatever the planner folded into a value is no longer a call.
 */
final class NonDeterministicSql
{
    private static final Pattern CALLS = Pattern.compile(
            "\\b(now|sysdate|curdate|curtime|current_date|current_time|current_timestamp|localtime|localtimestamp|utc_date|utc_time|utc_timestamp"
                    + "|unix_timestamp|rand|random|uuid|uuid_short|sys_guid|current_user|session_user|system_user|user|connection_id|last_insert_id"
                    + "|found_rows|row_count|nextval|lastval|setval|sleep|benchmark|get_lock|release_lock|is_free_lock|is_used_lock|master_pos_wait"
                    + "|database|schema|version|current_datetime|generate_uuid|session_user)\\b\\s*(\\(|\\b)");

    private static final Pattern VARIABLES = Pattern.compile("@");

    private NonDeterministicSql() {}

    static boolean isNonDeterministic(String sql)
    {
        String lower = sql.toLowerCase(Locale.ROOT);
        return CALLS.matcher(withoutQuoted(lower)).find() || VARIABLES.matcher(withoutQuoted(lower)).find();
    }

    /** The SQL with quoted strings and identifiers blanked, so that a column named `user` or a value 'now' does not count. */
    private static String withoutQuoted(String sql)
    {
        StringBuilder out = new StringBuilder(sql.length());
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`' && i + 1 < sql.length()) {
                    i++;
                }
                else if (c == quote) {
                    quote = 0;
                }
                out.append(' ');
            }
            else if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                out.append(' ');
            }
            else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
