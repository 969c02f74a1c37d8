package dev.sekisho.gateway.session;

import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.SqlStates;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A session's settings (PostgreSQL GUCs): the ones reported to the client in ParameterStatus, the
 * ones SHOW knows, and whatever the client SETs. Names are case-insensitive; SHOW labels use the
 * canonical spelling (e.g. {@code DateStyle}). Not thread-safe.
 */
public final class SessionSettings
{
    /** The PostgreSQL version Sekisho presents itself as. */
    public static final String SERVER_VERSION = "15.0";
    public static final String SERVER_VERSION_NUM = "150000";

    /** Settings that PostgreSQL reports with ParameterStatus (GUC_REPORT), in canonical spelling. */
    private static final Set<String> REPORTED = Set.of("application_name", "client_encoding", "DateStyle", "default_transaction_read_only",
            "in_hot_standby", "integer_datetimes", "IntervalStyle", "is_superuser", "server_encoding", "server_version",
            "session_authorization", "standard_conforming_strings", "TimeZone");
    private static final Set<String> READ_ONLY = Set.of("server_version", "server_version_num", "server_encoding", "integer_datetimes",
            "is_superuser", "session_authorization", "in_hot_standby", "lc_collate", "lc_ctype", "max_identifier_length",
            "block_size", "max_index_keys", "segment_size");

    private final Map<String, String> canonicalNames = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Map<String, String> values = new LinkedHashMap<>();
    /**
     * Names {@link #show} found no value for since a value was last stored: every statement asks for
     * {@code sekisho.end_user}, which is rarely SET, and the case-insensitive miss is not free.
     */
    private final Set<String> unset = new HashSet<>();
    /** Timeout values parsed already: every statement reads statement_timeout and idle_session_timeout. */
    private final Map<String, Duration> parsedTimeouts = new HashMap<>();
    /**
     * Counts changes of {@link #values}; the three timeouts below are of {@link #timeoutsVersion}.
     * Every ReadyForQuery reads the idle timeouts, and settings rarely change between statements.
     */
    private long version;
    private long timeoutsVersion = -1;
    private Duration statementTimeout;
    private Duration idleSessionTimeout;
    private Duration idleInTransactionSessionTimeout;
    private final List<String> defaultSearchPath;
    /** {@link #defaultSearchPath} as {@code search_path} shows it: joined once, where every statement compares with it. */
    private final String defaultSearchPathText;
    private final SessionLimits limits;
    private ZoneId timeZone = ZoneOffset.UTC;

    /**
     * @param user the authenticated user (session_authorization)
     * @param defaultSearchPath the search path used while search_path is not SET
     * @param startupParameters the StartupMessage's parameters other than user, database, options
     *         (they become this session's defaults, as in PostgreSQL)
     */
    public SessionSettings(String user, List<String> defaultSearchPath, Map<String, String> startupParameters)
    {
        this(user, defaultSearchPath, startupParameters, SessionLimits.NONE);
    }

    /**
     * @param limits the admin's timeouts for this session: the defaults of {@code statement_timeout},
     *         {@code idle_session_timeout} and {@code idle_in_transaction_session_timeout}, and the
     *         most a SET may give them
     * @see #SessionSettings(String, List, Map)
     */
    public SessionSettings(String user, List<String> defaultSearchPath, Map<String, String> startupParameters, SessionLimits limits)
    {
        this.defaultSearchPath = List.copyOf(defaultSearchPath);
        this.defaultSearchPathText = String.join(", ", this.defaultSearchPath);
        this.limits = requireNonNull(limits, "limits is null");
        define("server_version", SERVER_VERSION);
        define("server_version_num", SERVER_VERSION_NUM);
        define("server_encoding", "UTF8");
        define("client_encoding", "UTF8");
        define("DateStyle", "ISO, MDY");
        define("IntervalStyle", "postgres");
        define("TimeZone", "UTC");
        define("integer_datetimes", "on");
        define("standard_conforming_strings", "on");
        define("is_superuser", "off");
        define("session_authorization", user);
        define("application_name", "");
        define("default_transaction_read_only", "on");
        define("transaction_read_only", "on");
        define("in_hot_standby", "off");
        define("search_path", String.join(", ", defaultSearchPath));
        define("transaction_isolation", "read committed");
        define("default_transaction_isolation", "read committed");
        define("extra_float_digits", "1");
        define("client_min_messages", "notice");
        define("statement_timeout", PgUnits.formatDuration(limits.statementTimeout()));
        define("idle_session_timeout", PgUnits.formatDuration(limits.idleSessionTimeout()));
        define("idle_in_transaction_session_timeout", PgUnits.formatDuration(limits.idleInTransactionSessionTimeout()));
        // SQLAlchemy 2.x's table-options reflection compares pg_am.amname with it
        define("default_table_access_method", "heap");
        define("lc_collate", "C");
        define("lc_ctype", "C");
        define("lc_messages", "C");
        define("lc_monetary", "C");
        define("lc_numeric", "C");
        define("lc_time", "C");
        define("max_identifier_length", "63");
        define("bytea_output", "hex");
        define("timezone_abbreviations", "Default");
        for (Map.Entry<String, String> parameter : startupParameters.entrySet()) {
            try {
                set(parameter.getKey(), List.of(parameter.getValue()));
            }
            catch (QueryException e) {
                // PostgreSQL refuses the connection here; Sekisho keeps its default and goes on,
                // because clients send settings they do not depend on (e.g. client_encoding=auto)
                continue;
            }
        }
        defaults.putAll(values);
    }

    private void define(String name, String value)
    {
        canonicalNames.put(name, name);
        values.put(name, value);
        version++;
        unset.clear();
        defaults.put(name, value);
    }

    /** The settings to send as ParameterStatus after authentication, in a stable order. */
    public Map<String, String> reportedValues()
    {
        Map<String, String> reported = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if (REPORTED.contains(entry.getKey())) {
                reported.put(entry.getKey(), entry.getValue());
            }
        }
        return reported;
    }

    /** The canonical spelling of a setting name, or the name itself for settings Sekisho does not know. */
    public String canonicalName(String name)
    {
        String canonical = canonicalNames.get(name);
        return canonical != null ? canonical : name.toLowerCase(Locale.ROOT);
    }

    /** SHOW: the current value, if the setting is known or was SET. */
    public Optional<String> show(String name)
    {
        // a stored name is canonical already: most lookups (every statement reads a few settings) end here
        String value = values.get(name);
        if (value != null) {
            return Optional.of(value);
        }
        if (unset.contains(name)) {
            return Optional.empty();
        }
        value = values.get(canonicalName(name));
        if (value == null && unset.size() < 64) {
            unset.add(name);
        }
        return Optional.ofNullable(value);
    }

    /** SHOW ALL: every setting and its value, sorted by name. */
    public Map<String, String> all()
    {
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        all.putAll(values);
        return all;
    }

    /**
     * SET: validates and stores a value.
     *
     * @param values the value list; empty for DEFAULT
     * @return the reported settings whose value changed (to be sent as ParameterStatus)
     * @throws QueryException 55P02 for read-only settings, 0A000 for values Sekisho cannot honour,
     *         22023 for invalid values
     */
    public Map<String, String> set(String name, List<String> values)
    {
        String canonical = canonicalName(name);
        if (READ_ONLY.contains(canonical)) {
            throw new QueryException("55P02", "parameter \"" + canonical + "\" cannot be changed");
        }
        if (values.isEmpty()) {
            return reset(canonical);
        }
        String value = normalize(canonical, values);
        canonicalNames.putIfAbsent(canonical, canonical);
        return store(canonical, value);
    }

    /** RESET: back to the session's default. */
    public Map<String, String> reset(String name)
    {
        String canonical = canonicalName(name);
        if (READ_ONLY.contains(canonical)) {
            throw new QueryException("55P02", "parameter \"" + canonical + "\" cannot be changed");
        }
        String value = defaults.get(canonical);
        if (value == null) {
            Map<String, String> changed = new LinkedHashMap<>();
            values.remove(canonical);
            version++;
            return changed;
        }
        if (canonical.equals("TimeZone")) {
            timeZone = parseTimeZone(value);
        }
        return store(canonical, value);
    }

    /** RESET ALL (and DISCARD ALL). */
    public Map<String, String> resetAll()
    {
        Map<String, String> changed = new LinkedHashMap<>();
        for (String name : new ArrayList<>(values.keySet())) {
            if (!READ_ONLY.contains(name)) {
                changed.putAll(reset(name));
            }
        }
        return changed;
    }

    /** The values of every setting at one moment, to undo SETs when a transaction rolls back. */
    public static final class Snapshot
    {
        private final Map<String, String> values;
        private final ZoneId timeZone;

        private Snapshot(Map<String, String> values, ZoneId timeZone)
        {
            this.values = values;
            this.timeZone = timeZone;
        }
    }

    /** The current values, to {@link #restore} later. */
    public Snapshot snapshot()
    {
        return new Snapshot(new LinkedHashMap<>(values), timeZone);
    }

    /**
     * Puts every setting back to its value in {@code snapshot} (ROLLBACK of a transaction that SET).
     *
     * @return the reported settings whose value changed
     */
    public Map<String, String> restore(Snapshot snapshot)
    {
        values.keySet().removeIf(name -> !snapshot.values.containsKey(name));
        version++;
        Map<String, String> changed = new LinkedHashMap<>();
        snapshot.values.forEach((name, value) -> changed.putAll(store(name, value)));
        timeZone = snapshot.timeZone;
        return changed;
    }

    /**
     * Puts one setting back to its value in {@code snapshot} (the end of a transaction that SET LOCAL).
     *
     * @return the reported settings whose value changed
     */
    public Map<String, String> restore(Snapshot snapshot, String name)
    {
        String canonical = canonicalName(name);
        String value = snapshot.values.get(canonical);
        if (value == null) {
            values.remove(canonical);
            version++;
            return new LinkedHashMap<>();
        }
        if (canonical.equals("TimeZone")) {
            timeZone = snapshot.timeZone;
        }
        return store(canonical, value);
    }

    /** The schemas searched for unqualified names. */
    public List<String> searchPath()
    {
        String value = values.get("search_path");
        if (value == null || value.equals(defaultSearchPathText)) {
            return defaultSearchPath;
        }
        List<String> path = new ArrayList<>();
        for (String element : value.split(",")) {
            String schema = element.strip();
            if (schema.startsWith("\"") && schema.endsWith("\"") && schema.length() >= 2) {
                schema = schema.substring(1, schema.length() - 1);
            }
            if (!schema.isEmpty() && !schema.equals("$user")) {
                path.add(schema);
            }
        }
        return List.copyOf(path);
    }

    /** {@code statement_timeout}: how long one statement may run before it is cancelled; zero: no limit. */
    public Duration statementTimeout()
    {
        parseTimeouts();
        return statementTimeout;
    }

    /** {@code idle_session_timeout}: how long the session may wait for its client outside a transaction; zero: no limit. */
    public Duration idleSessionTimeout()
    {
        parseTimeouts();
        return idleSessionTimeout;
    }

    /** {@code idle_in_transaction_session_timeout}: how long it may wait inside a transaction block; zero: no limit. */
    public Duration idleInTransactionSessionTimeout()
    {
        parseTimeouts();
        return idleInTransactionSessionTimeout;
    }

    private void parseTimeouts()
    {
        if (timeoutsVersion == version) {
            return;
        }
        statementTimeout = timeout("statement_timeout");
        idleSessionTimeout = timeout("idle_session_timeout");
        idleInTransactionSessionTimeout = timeout("idle_in_transaction_session_timeout");
        timeoutsVersion = version;
    }

    private Duration timeout(String name)
    {
        String text = values.getOrDefault(name, "0");
        Duration parsed = parsedTimeouts.get(text);
        if (parsed == null) {
            parsed = PgUnits.parseDuration(text).orElse(Duration.ZERO);
            if (parsedTimeouts.size() < 16) {
                parsedTimeouts.put(text, parsed);
            }
        }
        return parsed;
    }

    /** A timeout SET by the client: PostgreSQL's units, and within what the admin allows (zero is "none", so it is refused too). */
    private String timeoutSetting(String name, String value, Duration maximum)
    {
        Duration duration = PgUnits.parseDuration(value.strip().replaceAll("^'|'$", "")).orElseThrow(() -> new QueryException(
                SqlStates.INVALID_PARAMETER_VALUE, "invalid value for parameter \"" + name + "\": \"" + value + "\"",
                "Give a time such as 30s, 5min or 1500 (milliseconds); 0 turns it off.", null));
        if (!maximum.isZero() && (duration.isZero() || duration.compareTo(maximum) > 0)) {
            String role = values.get("session_authorization");
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, duration.isZero()
                    ? name + " cannot be turned off for role \"" + role + "\": the gateway's limit is " + PgUnits.formatDuration(maximum)
                    : name + " cannot be more than " + PgUnits.formatDuration(maximum) + " for role \"" + role + "\" (the gateway's limit)",
                    "Set a value from 1ms to " + PgUnits.formatDuration(maximum) + ".", null);
        }
        return PgUnits.formatDuration(duration);
    }

    /** The session time zone, for timestamptz output and input. */
    public ZoneId timeZone()
    {
        return timeZone;
    }

    private Map<String, String> store(String canonical, String value)
    {
        String previous = values.put(canonical, value);
        version++;
        unset.clear();
        Map<String, String> changed = new LinkedHashMap<>();
        if (REPORTED.contains(canonical) && !value.equals(previous)) {
            changed.put(canonical, value);
        }
        return changed;
    }

    private String normalize(String name, List<String> values)
    {
        String value = String.join(", ", values);
        if (name.equalsIgnoreCase(CacheStatus.NAME)) {
            String lower = value.strip().toLowerCase(Locale.ROOT);
            if (!lower.matches("on|off|true|false|1|0|yes|no")) {
                throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid value for parameter \"" + CacheStatus.NAME + "\": \"" + value + "\"",
                        "Set it to on or off.", null);
            }
            return lower.matches("on|true|1|yes") ? "on" : "off";
        }
        switch (name) {
            case "client_encoding": {
                String encoding = value.replace("-", "").replace("_", "").toUpperCase(Locale.ROOT);
                if (!encoding.equals("UTF8") && !encoding.equals("UNICODE")) {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho supports only client_encoding UTF8, not \"" + value + "\"",
                            "Set client_encoding to UTF8.", null);
                }
                return "UTF8";
            }
            case "DateStyle": {
                String order = "MDY";
                for (String part : value.split("[,\\s]+")) {
                    String token = part.toUpperCase(Locale.ROOT);
                    switch (token) {
                        case "ISO", "":
                            break;
                        case "MDY", "DMY", "YMD":
                            order = token;
                            break;
                        case "US", "NONEURO", "NONEUROPEAN":
                            order = "MDY";
                            break;
                        case "EURO", "EUROPEAN":
                            order = "DMY";
                            break;
                        default:
                            throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho supports only DateStyle ISO, not \"" + value + "\"",
                                    "Set DateStyle to 'ISO'.", null);
                    }
                }
                return "ISO, " + order;
            }
            case "IntervalStyle":
                if (!value.equalsIgnoreCase("postgres")) {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho supports only IntervalStyle postgres, not \"" + value + "\"");
                }
                return "postgres";
            case "standard_conforming_strings":
                if (!isOn(value)) {
                    throw new QueryException(SqlStates.FEATURE_NOT_SUPPORTED, "Sekisho supports only standard_conforming_strings on",
                            "Write E'...' strings for backslash escapes.", null);
                }
                return "on";
            case "TimeZone": {
                ZoneId zone = parseTimeZone(value);
                timeZone = zone;
                return value;
            }
            case "default_transaction_read_only", "transaction_read_only":
                // Sekisho is read-only whatever the client asks for; writes are refused when they come
                return "on";
            case "statement_timeout":
                return timeoutSetting(name, value, limits.maxStatementTimeout());
            case "idle_session_timeout":
                return timeoutSetting(name, value, limits.idleSessionTimeout());
            case "idle_in_transaction_session_timeout":
                return timeoutSetting(name, value, limits.idleInTransactionSessionTimeout());
            case "extra_float_digits":
                try {
                    Integer.parseInt(value.strip());
                }
                catch (NumberFormatException e) {
                    throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid value for parameter \"extra_float_digits\": \"" + value + "\"");
                }
                return value.strip();
            default:
                return value;
        }
    }

    private static boolean isOn(String value)
    {
        String v = value.strip().toLowerCase(Locale.ROOT);
        return v.equals("on") || v.equals("true") || v.equals("yes") || v.equals("1");
    }

    /** Parses a TimeZone value: a zone name (any case), UTC offsets as numbers of hours, or POSIX-style {@code +09} (west positive). */
    static ZoneId parseTimeZone(String value)
    {
        String text = value.strip();
        if (text.equalsIgnoreCase("utc") || text.equalsIgnoreCase("gmt") || text.equalsIgnoreCase("z") || text.equalsIgnoreCase("zulu")) {
            return ZoneOffset.UTC;
        }
        try {
            if (text.matches("-?\\d{1,2}(\\.\\d+)?")) {
                // SET TIME ZONE 9 / -5: hours east of UTC
                return ZoneOffset.ofTotalSeconds((int) Math.round(Double.parseDouble(text) * 3600));
            }
            if (text.matches("\\+\\d{1,2}(:\\d{2})?")) {
                // POSIX style, as in PostgreSQL: positive west of Greenwich
                String[] parts = text.substring(1).split(":");
                int seconds = Integer.parseInt(parts[0]) * 3600 + (parts.length > 1 ? Integer.parseInt(parts[1]) * 60 : 0);
                return ZoneOffset.ofTotalSeconds(-seconds);
            }
            return ZoneId.of(text);
        }
        catch (DateTimeException | NumberFormatException e) {
            for (String id : ZoneId.getAvailableZoneIds()) {
                if (id.equalsIgnoreCase(text)) {
                    return ZoneId.of(id);
                }
            }
            throw new QueryException(SqlStates.INVALID_PARAMETER_VALUE, "invalid value for parameter \"TimeZone\": \"" + value + "\"",
                    "Use a time zone name such as 'UTC' or 'Asia/Tokyo'.", null);
        }
    }
}
