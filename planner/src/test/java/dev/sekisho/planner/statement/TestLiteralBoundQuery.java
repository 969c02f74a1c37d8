package dev.sekisho.planner.statement;

import dev.sekisho.planner.PreparedQuery;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A plan shared behind normalisation answers every question about the plan as the plan would: a
 * default left unforwarded silently empties the audit trail's source statements, tables or rules.
 */
class TestLiteralBoundQuery
{
    @Test
    void forwardsEveryDefaultOfPreparedQuery()
            throws NoSuchMethodException
    {
        for (Method method : Arrays.stream(PreparedQuery.class.getMethods()).filter(Method::isDefault).toList()) {
            Method implemented = LiteralBoundQuery.class.getMethod(method.getName(), method.getParameterTypes());
            assertThat(implemented.getDeclaringClass()).as(method.getName()).isEqualTo(LiteralBoundQuery.class);
        }
    }
}
