package dev.sekisho.gateway.sql;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TestRedashAnnotation
{
    @Test
    void readsRedashFields()
    {
        assertThat(RedashAnnotation.find(" \n/* Username: kim@example.com, query_id: 42, Queue: queries, Job ID: x, Query Hash: y, Scheduled: TRUE */ SELECT 1"))
                .contains(new RedashAnnotation("kim@example.com", Optional.of("42"), Optional.of(true)));
        // a later field of the same name wins; empty parts at the end are dropped
        assertThat(RedashAnnotation.find("/* Username: a, query_id: 1, Username: b,,*/ SELECT 1"))
                .contains(new RedashAnnotation("b", Optional.of("1"), Optional.empty()));
        assertThat(RedashAnnotation.find("/* Username: a, query_id: 1,, */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/* Username: a, query_id: 1, , */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/* Username: a,, query_id: 1 */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/* username: a, query_id: 1 */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/* Username: , query_id: 1 */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/*:a, Username: a, query_id: 1 */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/**/ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/* , */ SELECT 1")).isEmpty();
        assertThat(RedashAnnotation.find("/* Username: a, query_id: 1")).isEmpty();
    }

    /** The reader without a map must read every comment as the one it replaced (split on commas, strip, a map of fields) did. */
    @Test
    void readsAsTheMapBasedReaderDid()
    {
        String[] pieces = {"Username", "query_id", "Scheduled", "Queue", "username", " ", "  ", "\t", "\u2003", ":", ",", ", ", ",,", "a", "kim@x.com",
                "adhoc", "42", "True", "false", "TRUE", "*/", "/*", "x:y", " : ", "Job ID: 1f", "\u00a0"};
        Random random = new Random(20261205);
        List<String> inputs = new ArrayList<>();
        inputs.add("/* Username: kim@example.com, query_id: adhoc, Queue: queries, Job ID: 7, Query Hash: y, Scheduled: False */ SELECT 1");
        for (int i = 0; i < 50_000; i++) {
            StringBuilder comment = new StringBuilder(random.nextBoolean() ? "/*" : " /*");
            int count = random.nextInt(12);
            for (int p = 0; p < count; p++) {
                comment.append(pieces[random.nextInt(pieces.length)]);
            }
            if (random.nextInt(10) > 0) {
                comment.append("*/ SELECT 1");
            }
            inputs.add(comment.toString());
        }
        // comments made of fields, as Redash writes them and near misses
        String[] keys = {"Username", "query_id", "Scheduled", "Queue", "Job ID", "username", "", "Username "};
        String[] values = {"kim@x.com", "adhoc", "42", "True", "false", "", "a:b", "x y"};
        String[] spaces = {"", " ", "  ", "\t", "\u2003", "\u00a0"};
        for (int i = 0; i < 50_000; i++) {
            StringBuilder comment = new StringBuilder("/*");
            int count = random.nextInt(7);
            for (int p = 0; p < count; p++) {
                if (p > 0) {
                    comment.append(random.nextInt(20) == 0 ? ",," : ",");
                }
                comment.append(spaces[random.nextInt(spaces.length)]).append(keys[random.nextInt(keys.length)]).append(spaces[random.nextInt(spaces.length)]);
                if (random.nextInt(20) > 0) {
                    comment.append(':');
                }
                comment.append(spaces[random.nextInt(spaces.length)]).append(values[random.nextInt(values.length)]).append(spaces[random.nextInt(spaces.length)]);
            }
            comment.append(random.nextInt(8) == 0 ? ",".repeat(1 + random.nextInt(2)) : "").append("*/ SELECT 1");
            inputs.add(comment.toString());
        }
        int found = 0;
        for (String input : inputs) {
            found += reference(input).isPresent() ? 1 : 0;
            assertThat(RedashAnnotation.find(input)).as(input).isEqualTo(reference(input));
        }
        // the inputs reach the fields, not only the early refusals
        assertThat(found).isGreaterThan(500);
    }

    /** The reader as it was before it read the fields without a map. */
    private static Optional<RedashAnnotation> reference(String sql)
    {
        int start = 0;
        while (start < sql.length() && " \t\n\u000b\f\r".indexOf(sql.charAt(start)) >= 0) {
            start++;
        }
        if (!sql.startsWith("/*", start)) {
            return Optional.empty();
        }
        int end = sql.indexOf("*/", start + 2);
        if (end < 0) {
            return Optional.empty();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : sql.substring(start + 2, end).split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            fields.put(part.substring(0, colon).strip(), part.substring(colon + 1).strip());
        }
        String username = fields.get("Username");
        String queryId = fields.get("query_id");
        if (username == null || username.isEmpty() || queryId == null || queryId.isEmpty()) {
            return Optional.empty();
        }
        Optional<Boolean> scheduled = Optional.ofNullable(fields.get("Scheduled")).map(value -> value.toLowerCase(Locale.ROOT).equals("true"));
        return Optional.of(new RedashAnnotation(username, queryId.equals("adhoc") ? Optional.empty() : Optional.of(queryId), scheduled));
    }
}
