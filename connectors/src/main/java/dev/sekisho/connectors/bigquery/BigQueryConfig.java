package dev.sekisho.connectors.bigquery;

import dev.sekisho.planner.spi.InvalidConfigException;
import dev.sekisho.planner.spi.SourceConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one {@code type: bigquery} source, validated; every error names its key.
 *
 * <pre>{@code
 * sources:
 *   warehouse:
 *     type: bigquery
 *     project: my-project            # required: runs (and pays for) the jobs, holds the datasets
 *     location: US                   # default US: where jobs run (the datasets' location)
 *     datasets: [lake, mart]         # datasets exposed as schemas; default: every dataset of the project
 *     credentials: application-default   # default; or none (only with endpoint:, for emulators and tests)
 *     credentials_file: /etc/sekisho/bq-key.json   # a service-account key instead of Application Default Credentials
 *     endpoint: https://bigquery.example.internal  # optional API endpoint override (private endpoints, tests)
 *     maximum_bytes_billed: 107374182400  # default 100 GiB: every job fails rather than bill more
 *     use_query_cache: true          # default true
 *     job_timeout_ms: 300000         # default 5 minutes: BigQuery stops a job that runs longer
 *     page_size: 10000               # default 10000: rows per result page (what one statement holds in memory)
 *     metadata_refresh_ms: 300000    # default 5 minutes: how often cached table metadata is re-read in the background
 *     retry:                         # rateLimitExceeded, backendError and 5xx answers are retried
 *       max_attempts: 5              # default 5
 *       initial_backoff_ms: 500      # default 500
 *       max_backoff_ms: 30000        # default 30000 (the delay doubles up to this)
 * }</pre>
 *
 * @param source the source's name
 * @param project the project that runs jobs and holds the datasets
 * @param location the jobs' location
 * @param datasets datasets to expose; empty means every dataset of the project
 * @param credentials where credentials come from
 * @param credentialsFile the service-account key file, for {@link Credentials#SERVICE_ACCOUNT_FILE}
 * @param endpoint the API endpoint override, if any
 * @param maximumBytesBilled the {@code maximumBytesBilled} of every job
 * @param useQueryCache whether jobs may answer from BigQuery's result cache
 * @param jobTimeout BigQuery's {@code jobTimeoutMs} of every job
 * @param pageSize rows per result page
 * @param metadataRefresh the interval of the background metadata refresh
 * @param retry retries of failed API calls
 */
public record BigQueryConfig(
        String source,
        String project,
        String location,
        List<String> datasets,
        Credentials credentials,
        Optional<String> credentialsFile,
        Optional<String> endpoint,
        long maximumBytesBilled,
        boolean useQueryCache,
        Duration jobTimeout,
        int pageSize,
        Duration metadataRefresh,
        Retry retry)
{
    public static final long DEFAULT_MAXIMUM_BYTES_BILLED = 100L * 1024 * 1024 * 1024;
    private static final List<String> KEYS = List.of("project", "location", "datasets", "credentials", "credentials_file", "endpoint",
            "maximum_bytes_billed", "use_query_cache", "job_timeout_ms", "page_size", "metadata_refresh_ms", "retry");
    /** BigQuery's project ids: 6 to 30 lower-case letters, digits and hyphens (domain-scoped ids have a prefix and a colon). */
    private static final Pattern PROJECT = Pattern.compile("([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");

    /** Where the connector's Google credentials come from. */
    public enum Credentials
    {
        /** Application Default Credentials: {@code GOOGLE_APPLICATION_CREDENTIALS}, gcloud's login, or the metadata server. */
        APPLICATION_DEFAULT,
        /** A service-account key file ({@code credentials_file}). */
        SERVICE_ACCOUNT_FILE,
        /** No credentials: for an emulator or the test fixture behind {@code endpoint}. */
        NONE,
    }

    /**
     * Retries of API calls that BigQuery answers with rateLimitExceeded, backendError or a 5xx.
     *
     * @param maxAttempts attempts in all, the first included
     * @param initialBackoff the delay before the first retry (doubled for each next one)
     * @param maxBackoff the longest delay
     */
    public record Retry(int maxAttempts, Duration initialBackoff, Duration maxBackoff)
    {
        public static final Retry DEFAULT = new Retry(5, Duration.ofMillis(500), Duration.ofSeconds(30));

        public Retry
        {
            requireNonNull(initialBackoff, "initialBackoff is null");
            requireNonNull(maxBackoff, "maxBackoff is null");
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }
    }

    public BigQueryConfig
    {
        requireNonNull(source, "source is null");
        requireNonNull(project, "project is null");
        requireNonNull(location, "location is null");
        datasets = List.copyOf(datasets);
        requireNonNull(credentials, "credentials is null");
        requireNonNull(credentialsFile, "credentialsFile is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(jobTimeout, "jobTimeout is null");
        requireNonNull(metadataRefresh, "metadataRefresh is null");
        requireNonNull(retry, "retry is null");
        if (credentials == Credentials.SERVICE_ACCOUNT_FILE && credentialsFile.isEmpty()) {
            throw new IllegalArgumentException("a service-account file is needed for SERVICE_ACCOUNT_FILE");
        }
        if (maximumBytesBilled < 1) {
            throw new IllegalArgumentException("maximumBytesBilled must be positive");
        }
        if (pageSize < 1) {
            throw new IllegalArgumentException("pageSize must be positive");
        }
    }

    /** Validates {@code config} and builds the settings. */
    public static BigQueryConfig parse(SourceConfig config)
    {
        for (String key : config.settings().keySet()) {
            if (!KEYS.contains(key)) {
                throw new InvalidConfigException(key, "is not a bigquery setting; known settings: " + String.join(", ", KEYS));
            }
        }
        String project = config.requireString("project");
        if (!PROJECT.matcher(project).matches()) {
            throw new InvalidConfigException("project", "'" + project + "' is not a BigQuery project id (6 to 30 lower-case letters, digits and hyphens)");
        }
        String location = config.optionalString("location").orElse("US");
        List<String> datasets = new ArrayList<>();
        List<?> datasetList = config.optionalList("datasets").orElse(List.of());
        for (int i = 0; i < datasetList.size(); i++) {
            Object value = datasetList.get(i);
            if (!(value instanceof String name) || !DATASET.matcher(name).matches()) {
                throw new InvalidConfigException("datasets[" + i + "]", "must be a dataset name (letters, digits and _)");
            }
            datasets.add(name);
        }
        Optional<String> endpoint = config.optionalString("endpoint");
        if (endpoint.isPresent() && !endpoint.get().matches("https?://[^/?#@]+/?")) {
            throw new InvalidConfigException("endpoint", "must be http(s)://host[:port] without a path or credentials, not '" + endpoint.get() + "'");
        }
        Optional<String> credentialsFile = config.optionalString("credentials_file");
        Credentials credentials = credentials(config.optionalString("credentials"), credentialsFile, endpoint);
        long maximumBytesBilled = number(config, "maximum_bytes_billed", DEFAULT_MAXIMUM_BYTES_BILLED, 1);
        boolean useQueryCache = bool(config, "use_query_cache", true);
        Duration jobTimeout = Duration.ofMillis(number(config, "job_timeout_ms", 300_000, 1000));
        int pageSize = (int) Math.min(number(config, "page_size", 10_000, 1), 100_000);
        Duration metadataRefresh = Duration.ofMillis(number(config, "metadata_refresh_ms", 300_000, 1000));
        Retry retry = retry(config.optionalMap("retry").orElse(Map.of()));
        return new BigQueryConfig(config.name(), project, location, datasets, credentials, credentialsFile, endpoint, maximumBytesBilled,
                useQueryCache, jobTimeout, pageSize, metadataRefresh, retry);
    }

    private static Credentials credentials(Optional<String> kind, Optional<String> file, Optional<String> endpoint)
    {
        if (file.isPresent()) {
            if (kind.isPresent()) {
                throw new InvalidConfigException("credentials_file", "and credentials: are both set; give one of them");
            }
            return Credentials.SERVICE_ACCOUNT_FILE;
        }
        String value = kind.orElse("application-default");
        return switch (value) {
            case "application-default" -> Credentials.APPLICATION_DEFAULT;
            case "none" -> {
                if (endpoint.isEmpty()) {
                    throw new InvalidConfigException("credentials", "is none, which only an endpoint: override (an emulator or a test fixture) accepts");
                }
                yield Credentials.NONE;
            }
            default -> throw new InvalidConfigException("credentials",
                    "must be application-default or none, not '" + value + "'; for a service-account key use credentials_file:");
        };
    }

    private static Retry retry(Map<String, Object> map)
    {
        Set<String> keys = Set.of("max_attempts", "initial_backoff_ms", "max_backoff_ms");
        for (String key : map.keySet()) {
            if (!keys.contains(key)) {
                throw new InvalidConfigException("retry." + key, "is not a retry setting; known: max_attempts, initial_backoff_ms, max_backoff_ms");
            }
        }
        SourceConfig retry = new SourceConfig("retry", "retry", map);
        int attempts = (int) number(retry, "max_attempts", Retry.DEFAULT.maxAttempts(), 1);
        long initial = number(retry, "initial_backoff_ms", Retry.DEFAULT.initialBackoff().toMillis(), 1);
        long max = number(retry, "max_backoff_ms", Retry.DEFAULT.maxBackoff().toMillis(), 1);
        if (max < initial) {
            throw new InvalidConfigException("retry.max_backoff_ms", "must be at least retry.initial_backoff_ms (" + initial + ")");
        }
        return new Retry(attempts, Duration.ofMillis(initial), Duration.ofMillis(max));
    }

    private static long number(SourceConfig config, String key, long defaultValue, long minimum)
    {
        Optional<String> text = config.optionalString(key);
        if (text.isEmpty()) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(text.get());
        }
        catch (NumberFormatException e) {
            throw new InvalidConfigException(prefixed(config, key), "must be a whole number, not '" + text.get() + "'");
        }
        if (value < minimum) {
            throw new InvalidConfigException(prefixed(config, key), "must be at least " + minimum + ", not " + value);
        }
        return value;
    }

    private static String prefixed(SourceConfig config, String key)
    {
        return config.name().equals("retry") && config.type().equals("retry") ? "retry." + key : key;
    }

    private static boolean bool(SourceConfig config, String key, boolean defaultValue)
    {
        Object value = config.settings().get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw new InvalidConfigException(key, "must be true or false");
    }
}
