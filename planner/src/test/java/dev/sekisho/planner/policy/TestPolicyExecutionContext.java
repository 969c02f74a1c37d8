package dev.sekisho.planner.policy;

import dev.sekisho.planner.pg.catalog.CatalogView;
import dev.sekisho.planner.spi.ExecutionContext;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement run under a policy keeps everything its caller's context offers: the session's
 * settings (a connector's job labels read application_name) and the statement's resources (a
 * connector ties a BigQuery job or a MySQL connection to the statement's end).
 */
class TestPolicyExecutionContext
{
    @Test
    void forwardsSettingsAndStatementResources()
            throws Exception
    {
        List<AutoCloseable> held = new ArrayList<>();
        ExecutionContext caller = new ExecutionContext()
        {
            @Override
            public String user()
            {
                return "alice";
            }

            @Override
            public Registration onCancel(Runnable action)
            {
                return () -> {};
            }

            @Override
            public Optional<String> setting(String name)
            {
                return name.equals("application_name") ? Optional.of("Redash") : Optional.empty();
            }

            @Override
            public Registration closeWithStatement(AutoCloseable resource)
            {
                held.add(resource);
                return () -> held.remove(resource);
            }

            @Override
            public boolean isFinished()
            {
                return true;
            }

            @Override
            public String description()
            {
                return "user alice: SELECT 1";
            }

            @Override
            public boolean isCancelled()
            {
                return false;
            }

            @Override
            public Optional<String> cancelReason()
            {
                return Optional.empty();
            }
        };
        PolicyExecutionContext context = new PolicyExecutionContext(caller, CatalogView.ALL);
        assertThat(context.setting("application_name")).contains("Redash");
        assertThat(context.isFinished()).isTrue();
        assertThat(context.description()).isEqualTo("user alice: SELECT 1");
        AutoCloseable job = () -> {};
        ExecutionContext.Registration registration = context.closeWithStatement(job);
        assertThat(held).containsExactly(job);
        registration.close();
        assertThat(held).isEmpty();
    }
}
