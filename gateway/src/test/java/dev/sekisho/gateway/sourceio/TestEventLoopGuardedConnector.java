package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.BackendQuery;
import dev.sekisho.planner.spi.Connector;
import dev.sekisho.planner.spi.ExecutionContext;
import dev.sekisho.planner.spi.SourceTable;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestEventLoopGuardedConnector
{
    private static final Set<String> BLOCKING = Set.of("execute", "estimate", "estimateRows", "lastModified");

    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    private final Connector guarded = new EventLoopGuardedConnector(recording());
    private final EventLoopGroup frontDoor = new MultiThreadIoEventLoopGroup(1, new FrontDoorIoThreads("test-front-door-io"), NioIoHandler.newFactory());
    private final EventLoopGroup otherLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop()
    {
        frontDoor.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        otherLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A call the guard does not override would reach the source unchecked, or not at all: it overrides them all. */
    @Test
    void everyConnectorMethodIsOverridden()
            throws NoSuchMethodException
    {
        for (Method method : Connector.class.getMethods()) {
            assertThat(EventLoopGuardedConnector.class.getMethod(method.getName(), method.getParameterTypes()).getDeclaringClass())
                    .as(method.toString())
                    .isEqualTo(EventLoopGuardedConnector.class);
        }
    }

    @Test
    void offTheEventLoopEveryCallReachesTheSource()
            throws Exception
    {
        for (Method method : Connector.class.getMethods()) {
            calls.clear();
            method.invoke(guarded, arguments(method));
            assertThat(calls).as(method.toString()).containsExactly(method.getName());
        }
    }

    @Test
    void onAFrontDoorsEventLoopTheBlockingCallsFailWithoutReachingTheSource()
            throws Exception
    {
        for (Method method : Connector.class.getMethods()) {
            calls.clear();
            Throwable failure = onThread(frontDoor, () -> call(method));
            if (BLOCKING.contains(method.getName())) {
                assertThat(failure).as(method.toString())
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("Connector." + method.getName())
                        .hasMessageContaining("source shop")
                        .hasMessageContaining("test-front-door-io");
                assertThat(calls).as(method.toString()).isEmpty();
            }
            else {
                assertThat(failure).as(method.toString()).isNull();
                assertThat(calls).as(method.toString()).containsExactly(method.getName());
            }
        }
    }

    @Test
    void otherThreadsAreNotFrontDoorThreads()
            throws Exception
    {
        calls.clear();
        assertThat(FrontDoorIoThreads.isCurrent()).isFalse();
        assertThat(frontDoor.submit(FrontDoorIoThreads::isCurrent).get()).isTrue();
        assertThat(otherLoop.submit(FrontDoorIoThreads::isCurrent).get()).isFalse();
        assertThat(onThread(otherLoop, () -> call(Connector.class.getMethod("execute", BackendQuery.class, ExecutionContext.class)))).isNull();
        assertThat(calls).containsExactly("execute");
    }

    @Test
    void frontDoorThreadsAreNamedDaemonThreads()
    {
        Thread thread = new FrontDoorIoThreads("sekisho-test-io").newThread(() -> {});
        assertThat(thread.isDaemon()).isTrue();
        assertThat(thread.getName()).startsWith("sekisho-test-io-");
    }

    /** What {@code task} threw on {@code loop}'s thread; null when it returned. */
    private static Throwable onThread(EventLoopGroup loop, Callable<Throwable> task)
            throws InterruptedException, ExecutionException
    {
        return loop.submit(task).get();
    }

    private Throwable call(Method method)
    {
        try {
            method.invoke(guarded, arguments(method));
            return null;
        }
        catch (InvocationTargetException e) {
            return e.getCause();
        }
        catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static Object[] arguments(Method method)
    {
        return Arrays.stream(method.getParameterTypes()).map(type -> type == SourceTable.class ? new SourceTable("shop", "customers") : null).toArray();
    }

    /** A source that records the calls it receives and answers each with an empty value. */
    private Connector recording()
    {
        return (Connector) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connector.class}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "recording connector";
                };
            }
            calls.add(method.getName());
            Class<?> type = method.getReturnType();
            if (method.getName().equals("name")) {
                return "shop";
            }
            if (type == Optional.class) {
                return Optional.empty();
            }
            if (type == OptionalLong.class) {
                return OptionalLong.empty();
            }
            if (type == List.class) {
                return List.of();
            }
            if (type == Set.class) {
                return Set.of();
            }
            if (type == boolean.class) {
                return false;
            }
            return null;
        });
    }
}
