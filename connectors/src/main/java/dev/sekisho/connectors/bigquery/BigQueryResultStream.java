package dev.sekisho.connectors.bigquery;

import com.google.cloud.bigquery.BigQuery;
import com.google.cloud.bigquery.BigQueryException;
import com.google.cloud.bigquery.Field;
import com.google.cloud.bigquery.FieldList;
import com.google.cloud.bigquery.FieldValueList;
import com.google.cloud.bigquery.Schema;
import com.google.cloud.bigquery.TableId;
import com.google.cloud.bigquery.TableResult;
import dev.sekisho.planner.spi.ColumnMetadata;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.QueryException;
import dev.sekisho.planner.spi.ResultStream;
import dev.sekisho.planner.spi.SqlStates;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The rows of a finished query job, one page in memory at a time: the next page is requested only
 * when the consumer has read the current one, so a slow client slows the reads and a result of any
 * size needs one page of heap. Every page is asked for with the source's {@code page_size} (the
 * client's own next-page call drops it, and BigQuery would then send pages of up to 10 MB).
 */
final class BigQueryResultStream
        implements ResultStream
{
    private final String source;
    private final BigQuery bigquery;
    private final TableId results;
    private final int pageSize;
    private final ExecutionContext context;
    private final Runnable onClose;
    private final FieldList fields;
    private final List<ColumnMetadata> columns;
    private TableResult page;
    private Iterator<FieldValueList> rows;
    private FieldValueList current;
    private boolean closed;

    BigQueryResultStream(String source, BigQuery bigquery, TableId results, int pageSize, TableResult firstPage, ExecutionContext context,
            Runnable onClose)
    {
        this.source = requireNonNull(source, "source is null");
        this.bigquery = requireNonNull(bigquery, "bigquery is null");
        this.results = requireNonNull(results, "results is null");
        this.pageSize = pageSize;
        this.page = requireNonNull(firstPage, "firstPage is null");
        this.context = requireNonNull(context, "context is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
        this.fields = firstPage.getSchema() == null ? FieldList.of() : firstPage.getSchema().getFields();
        List<ColumnMetadata> list = new ArrayList<>();
        for (Field field : fields) {
            list.add(new ColumnMetadata(field.getName(), BigQueryTypeMapping.columnType(field), field.getMode() != Field.Mode.REQUIRED,
                    BigQueryTypeMapping.sourceType(field), Optional.empty()));
        }
        this.columns = List.copyOf(list);
        this.rows = firstPage.getValues().iterator();
    }

    @Override
    public List<ColumnMetadata> columns()
    {
        return columns;
    }

    @Override
    public boolean next()
    {
        if (closed) {
            return false;
        }
        while (!rows.hasNext()) {
            if (!page.hasNextPage()) {
                current = null;
                return false;
            }
            if (context.isCancelled()) {
                throw new QueryException(SqlStates.QUERY_CANCELED, context.cancelReason().orElse(BigQueryErrors.USER_CANCEL_MESSAGE));
            }
            try {
                // drop the read page before the next one arrives
                rows = null;
                Schema schema = page.getSchema();
                String token = page.getNextPageToken();
                page = null;
                TableResult next = bigquery.listTableData(results, schema, BigQuery.TableDataListOption.pageSize(pageSize),
                        BigQuery.TableDataListOption.pageToken(token));
                page = next;
                rows = next.getValues().iterator();
            }
            catch (BigQueryException e) {
                throw BigQueryErrors.map(source, e, context);
            }
        }
        current = rows.next();
        return true;
    }

    @Override
    public Object value(int column)
    {
        if (current == null) {
            throw new IllegalStateException("no current row");
        }
        return BigQueryTypeMapping.value(fields.get(column), current.get(column));
    }

    @Override
    public void close()
    {
        if (!closed) {
            closed = true;
            current = null;
            rows = null;
            page = null;
            onClose.run();
        }
    }
}
