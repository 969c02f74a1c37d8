package dev.sekisho.connectors.bigquery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The labels every job carries, so that BigQuery's billing export and INFORMATION_SCHEMA.JOBS can
 * attribute each job to a person, an application and a statement although all jobs run as one
 * service account. BigQuery accepts label values of at most 63 lower-case letters, digits, {@code _}
 * and {@code -}: a value that already is one is kept; any other (an e-mail address, a name with
 * capitals) is lower-cased with every other character turned into {@code _}, cut to 50 characters
 * and followed by {@code -} and 12 hex digits of its SHA-256, so that two people never share a label.
 */
final class JobLabels
{
    static final String USER = "sekisho_user";
    static final String END_USER = "sekisho_end_user";
    static final String APP = "sekisho_app";
    static final String QUERY_ID = "sekisho_query_id";

    private static final Pattern VALID_VALUE = Pattern.compile("[a-z0-9_-]{0,63}");
    private static final int KEPT_PREFIX = 50;

    private JobLabels() {}

    /** The labels of a job; empty parts are left out. */
    static Map<String, String> of(String user, String endUser, String app, String queryId)
    {
        Map<String, String> labels = new LinkedHashMap<>();
        put(labels, USER, user);
        put(labels, END_USER, endUser);
        put(labels, APP, app);
        put(labels, QUERY_ID, queryId);
        return labels;
    }

    private static void put(Map<String, String> labels, String key, String value)
    {
        if (value != null && !value.isBlank()) {
            labels.put(key, value(value));
        }
    }

    /** A label value for {@code text}: itself when BigQuery accepts it, else readable and unique as described above. */
    static String value(String text)
    {
        if (VALID_VALUE.matcher(text).matches()) {
            return text;
        }
        String readable = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        if (readable.length() > KEPT_PREFIX) {
            readable = readable.substring(0, KEPT_PREFIX);
        }
        return readable + "-" + HexFormat.of().formatHex(sha256(text), 0, 6);
    }

    private static byte[] sha256(String text)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
