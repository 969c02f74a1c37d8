package dev.sekisho.connectors.bigquery;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.services.bigquery.Bigquery;
import com.google.auth.Credentials;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryOptions;
import com.google.cloud.http.HttpTransportOptions;
import dev.sekisho.planner.spi.InvalidConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * The two Google clients of one source, sharing credentials, endpoint and HTTP transport:
 * {@code google-cloud-bigquery}'s {@link BigQuery} for metadata and query jobs (with its retries
 * configured from {@code retry:}), and the generated REST client {@link Bigquery} for dry runs,
 * whose model carries {@code totalBytesProcessedAccuracy}, which the first one's does not.
 */
record BigQueryClients(BigQuery bigquery, Bigquery api)
{
    BigQueryClients
    {
        requireNonNull(bigquery, "bigquery is null");
        requireNonNull(api, "api is null");
    }

    static BigQueryClients create(BigQueryConfig config)
    {
        RetrySettings retry = ServiceOptions.getDefaultRetrySettings().toBuilder()
                .setMaxAttempts(config.retry().maxAttempts())
                .setInitialRetryDelayDuration(config.retry().initialBackoff())
                .setRetryDelayMultiplier(2.0)
                .setMaxRetryDelayDuration(config.retry().maxBackoff())
                .build();
        BigQueryOptions.Builder builder = BigQueryOptions.newBuilder()
                .setProjectId(config.project())
                .setLocation(config.location())
                .setCredentials(credentials(config))
                .setRetrySettings(retry);
        config.endpoint().ifPresent(builder::setHost);
        BigQueryOptions options = builder.build();
        HttpTransportOptions transport = (HttpTransportOptions) options.getTransportOptions();
        String rootUrl = config.endpoint().map(endpoint -> endpoint.endsWith("/") ? endpoint : endpoint + "/").orElse(Bigquery.DEFAULT_ROOT_URL);
        Bigquery api = new Bigquery.Builder(transport.getHttpTransportFactory().create(), com.google.api.client.json.gson.GsonFactory.getDefaultInstance(),
                transport.getHttpRequestInitializer(options))
                .setRootUrl(rootUrl)
                .setApplicationName("sekisho")
                .build();
        return new BigQueryClients(options.getService(), api);
    }

    private static Credentials credentials(BigQueryConfig config)
    {
        return switch (config.credentials()) {
            case NONE -> NoCredentials.getInstance();
            case SERVICE_ACCOUNT_FILE -> {
                Path file = Path.of(config.credentialsFile().orElseThrow());
                try (InputStream in = Files.newInputStream(file)) {
                    yield ServiceAccountCredentials.fromStream(in);
                }
                catch (IOException e) {
                    throw new InvalidConfigException("credentials_file", "could not be read as a service-account key: " + e.getMessage());
                }
            }
            case APPLICATION_DEFAULT -> {
                try {
                    yield GoogleCredentials.getApplicationDefault();
                }
                catch (IOException e) {
                    throw new InvalidConfigException("credentials", "application-default found no credentials (" + e.getMessage()
                            + "); set GOOGLE_APPLICATION_CREDENTIALS, run gcloud auth application-default login, or give credentials_file:");
                }
            }
        };
    }
}
