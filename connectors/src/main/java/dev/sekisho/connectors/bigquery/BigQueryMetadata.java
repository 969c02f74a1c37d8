package dev.sekisho.connectors.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Clustering;
import com.google.cloud.bigquery.Dataset;
import com.google.cloud.bigquery.DatasetId;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.MaterializedViewDefinition;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.StandardTableDefinition;
import com.google.cloud.bigquery.Table;
import com.google.cloud.bigquery.TableDefinition;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TimePartitioning;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ConnectorMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.TableMetadata;
import dev.sekisho.planner.spi.TableMetadata.TableKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Datasets (as schemas), tables, views and materialized views with their columns, descriptions,
 * partitioning and clustering, read through the API. What was read is cached; a background thread
 * re-reads the cached entries every {@code metadata_refresh_ms}, so planning never waits on the
 * network for a table it has seen, and a column added in BigQuery shows up without a restart.
 */
final class BigQueryMetadata
        implements ConnectorMetadata, AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(BigQueryMetadata.class);

    private final BigQueryConfig config;
    private final BigQuery bigquery;
    private final Map<String, Optional<TableMetadata>> tables = new ConcurrentHashMap<>();
    private final Map<String, List<String>> tableNames = new ConcurrentHashMap<>();
    private volatile List<String> schemas;
    private final ScheduledExecutorService refresher;

    BigQueryMetadata(BigQueryConfig config, BigQuery bigquery)
    {
        this.config = requireNonNull(config, "config is null");
        this.bigquery = requireNonNull(bigquery, "bigquery is null");
        this.refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bigquery-metadata-" + config.source());
            thread.setDaemon(true);
            return thread;
        });
        long period = config.metadataRefresh().toMillis();
        refresher.scheduleWithFixedDelay(this::refreshCached, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public List<String> listSchemas()
    {
        List<String> known = schemas;
        if (known == null) {
            known = readSchemas();
            schemas = known;
        }
        return known;
    }

    private List<String> readSchemas()
    {
        if (!config.datasets().isEmpty()) {
            return config.datasets();
        }
        List<String> names = new ArrayList<>();
        try {
            for (Dataset dataset : bigquery.listDatasets(config.project()).iterateAll()) {
                names.add(dataset.getDatasetId().getDataset());
            }
        }
        catch (BigQueryException e) {
            throw BigQueryErrors.map(config.source(), e, ExecutionContext.uncancellable("sekisho"));
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> listTables(String schema)
    {
        if (!exposed(schema)) {
            return List.of();
        }
        return tableNames.computeIfAbsent(schema, this::readTableNames);
    }

    private List<String> readTableNames(String dataset)
    {
        List<String> names = new ArrayList<>();
        try {
            for (Table table : bigquery.listTables(DatasetId.of(config.project(), dataset)).iterateAll()) {
                names.add(table.getTableId().getTable());
            }
        }
        catch (BigQueryException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw BigQueryErrors.map(config.source(), e, ExecutionContext.uncancellable("sekisho"));
        }
        return List.copyOf(names);
    }

    @Override
    public Optional<TableMetadata> getTable(String schema, String table)
    {
        if (!exposed(schema)) {
            return Optional.empty();
        }
        return tables.computeIfAbsent(schema + "." + table, key -> readTable(schema, table));
    }

    private boolean exposed(String schema)
    {
        return config.datasets().isEmpty() || config.datasets().contains(schema);
    }

    private Optional<TableMetadata> readTable(String dataset, String name)
    {
        Table table;
        try {
            table = bigquery.getTable(TableId.of(config.project(), dataset, name));
        }
        catch (BigQueryException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw BigQueryErrors.map(config.source(), e, ExecutionContext.uncancellable("sekisho"));
        }
        if (table == null) {
            return Optional.empty();
        }
        TableDefinition definition = table.getDefinition();
        Schema schema = definition.getSchema();
        if (schema == null || schema.getFields().isEmpty()) {
            return Optional.empty();
        }
        List<ColumnMetadata> columns = new ArrayList<>();
        for (Field field : schema.getFields()) {
            boolean nullable = field.getMode() != Field.Mode.REQUIRED;
            columns.add(new ColumnMetadata(field.getName(), BigQueryTypeMapping.columnType(field), nullable, BigQueryTypeMapping.sourceType(field),
                    Optional.ofNullable(field.getDescription())));
        }
        TableKind kind = switch (definition.getType().name()) {
            case "VIEW" -> TableKind.VIEW;
            case "MATERIALIZED_VIEW" -> TableKind.MATERIALIZED_VIEW;
            default -> TableKind.TABLE;
        };
        List<String> partitioning = new ArrayList<>();
        List<String> clustering = new ArrayList<>();
        TimePartitioning timePartitioning = null;
        Clustering clusteringSpec = null;
        if (definition instanceof StandardTableDefinition standard) {
            timePartitioning = standard.getTimePartitioning();
            clusteringSpec = standard.getClustering();
            if (standard.getRangePartitioning() != null && standard.getRangePartitioning().getField() != null) {
                partitioning.add(standard.getRangePartitioning().getField());
            }
        }
        else if (definition instanceof MaterializedViewDefinition materialized) {
            timePartitioning = materialized.getTimePartitioning();
            clusteringSpec = materialized.getClustering();
        }
        if (timePartitioning != null) {
            // without a field, an ingestion-time partitioned table: its pseudo-column
            partitioning.add(timePartitioning.getField() != null ? timePartitioning.getField() : "_PARTITIONTIME");
        }
        if (clusteringSpec != null && clusteringSpec.getFields() != null) {
            clustering.addAll(clusteringSpec.getFields());
        }
        OptionalLong rows = table.getNumRows() == null ? OptionalLong.empty() : OptionalLong.of(table.getNumRows().longValue());
        return Optional.of(new TableMetadata(dataset, name, columns, List.of(), kind, rows, List.of(), Optional.ofNullable(table.getDescription()),
                partitioning, clustering));
    }

    @Override
    public void refresh()
    {
        schemas = null;
        tableNames.clear();
        tables.clear();
    }

    /** Re-reads every cached entry; one that fails keeps its last good value until the next round. */
    private void refreshCached()
    {
        try {
            if (schemas != null) {
                schemas = readSchemas();
            }
            for (String dataset : List.copyOf(tableNames.keySet())) {
                tableNames.put(dataset, readTableNames(dataset));
            }
            for (String key : List.copyOf(tables.keySet())) {
                int dot = key.indexOf('.');
                tables.put(key, readTable(key.substring(0, dot), key.substring(dot + 1)));
            }
        }
        catch (RuntimeException e) {
            log.warn("BigQuery source {}: the background metadata refresh failed, cached metadata is kept: {}", config.source(), e.getMessage());
        }
    }

    @Override
    public void close()
    {
        refresher.shutdownNow();
    }
}
