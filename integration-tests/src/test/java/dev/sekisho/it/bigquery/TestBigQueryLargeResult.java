package dev.sekisho.it.bigquery;

import dev.sekisho.it.bigquery.TestingBigQueryServer.RecordedJob;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A result of a million rows from BigQuery streams to a pgjdbc client in bounded heap: the gateway
 * asks for the next page of the job's results only when the client has read the rows before it,
 * so neither the rows nor the pages pile up in the gateway.
 */
class TestBigQueryLargeResult
{
    private static final int ROWS = 1_000_000;
    private static final int PAGE_SIZE = 10_000;

    @Test
    void millionRowsInBoundedHeap()
            throws Exception
    {
        TestingBigQueryGateway gateway = TestingBigQueryGateway.shared();
        TestingBigQueryServer fixture = gateway.fixture();
        try (Connection connection = gateway.connect("admin")) {
            // a cursor (fetch size with autocommit off): the client holds 1000 rows at a time
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.setFetchSize(1000);
                try (ResultSet rows = statement.executeQuery(
                        "SELECT a.n * 1000 + b.n AS x, 'a row of text to make the result wider' AS filler FROM lake.numbers a CROSS JOIN lake.numbers b")) {
                    RecordedJob job = fixture.jobs().get(fixture.jobs().size() - 1);
                    assertThat(job.sql()).contains("lake.numbers");
                    long sum = 0;
                    long baseline = 0;
                    long peak = 0;
                    int read = 0;
                    while (rows.next()) {
                        sum += rows.getLong(1);
                        read++;
                        if (read == 20_000) {
                            // the fixture holds the whole result from here on; the gateway should hold a page
                            baseline = usedHeapAfterGc();
                        }
                        if (read % 200_000 == 0) {
                            peak = Math.max(peak, usedHeapAfterGc());
                            // backpressure: pages were fetched as the client read, not ahead of it
                            assertThat(pagesServed(fixture, job.jobId())).as("pages served after %d rows", read).isLessThanOrEqualTo(read / PAGE_SIZE + 3);
                        }
                    }
                    assertThat(read).isEqualTo(ROWS);
                    assertThat(sum).isEqualTo((long) ROWS * (ROWS - 1) / 2);
                    assertThat(pagesServed(fixture, job.jobId())).isEqualTo(ROWS / PAGE_SIZE);
                    // a million rows held anywhere in the gateway would be well over 100 MB
                    assertThat(peak - baseline).as("heap growth while streaming (bytes)").isLessThan(48L * 1024 * 1024);
                }
            }
        }
    }

    private static long pagesServed(TestingBigQueryServer fixture, String jobId)
    {
        List<String> requests = fixture.requests();
        return requests.stream().filter(request -> request.contains("/anon_" + jobId + "/data")).count();
    }

    private static long usedHeapAfterGc()
            throws InterruptedException
    {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
