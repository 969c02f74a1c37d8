package dev.sekisho.planner.spi;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class TestForwardingResultStream
{
    /** Every method of ResultStream, default ones included, is forwarded, so no wrapper falls back to a default on its own. */
    @Test
    void forwardsEveryMethod()
            throws NoSuchMethodException
    {
        for (Method method : ResultStream.class.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            Method declared = ForwardingResultStream.class.getMethod(method.getName(), method.getParameterTypes());
            assertThat(declared.getDeclaringClass()).as("%s%s", method.getName(), Arrays.toString(method.getParameterTypes())).isEqualTo(ForwardingResultStream.class);
        }
    }
}
