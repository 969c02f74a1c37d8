package dev.sekisho.connectors.mysql;

import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.SourceSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link EventLoopIo} over java.nio for tests: one thread runs a {@link Selector}, and every
 * connect, read, write, task and timer happens on it, as on a Netty event loop. {@link #call} runs
 * code on the loop and waits for its answer (from the test's thread).
 */
final class TestingEventLoop
        implements EventLoopIo, AutoCloseable
{
    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final DelayQueue<Timer> timers = new DelayQueue<>();
    private volatile boolean running = true;

    TestingEventLoop(String name)
    {
        try {
            selector = Selector.open();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void connect(String host, int port, Duration timeout, SourceSocket.Handler handler)
    {
        execute(() -> {
            Channel channel = new Channel(handler);
            try {
                channel.channel = SocketChannel.open();
                channel.channel.configureBlocking(false);
                channel.key = channel.channel.register(selector, SelectionKey.OP_CONNECT, channel);
                if (channel.channel.connect(new InetSocketAddress(host, port))) {
                    channel.finishConnect();
                }
                else {
                    schedule(() -> {
                        if (!channel.connected && !channel.closed) {
                            channel.fail(new IOException("connect timed out"));
                        }
                    }, timeout);
                }
            }
            catch (IOException | RuntimeException e) {
                channel.fail(e);
            }
        });
    }

    @Override
    public void execute(Runnable task)
    {
        tasks.add(task);
        selector.wakeup();
    }

    @Override
    public Future<?> schedule(Runnable task, Duration delay)
    {
        Timer timer = new Timer(task, System.nanoTime() + delay.toNanos());
        timers.add(timer);
        selector.wakeup();
        return timer;
    }

    @Override
    public boolean inThisThread()
    {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code code} on the loop and returns its answer. */
    <T> T call(Callable<T> code)
            throws InterruptedException, ExecutionException, TimeoutException
    {
        CompletableFuture<T> answer = new CompletableFuture<>();
        execute(() -> {
            try {
                answer.complete(code.call());
            }
            catch (Throwable e) {
                answer.completeExceptionally(e);
            }
        });
        return answer.get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
            selector.close();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (IOException ignored) {
            // closing a test's selector
        }
    }

    private void loop()
    {
        while (running) {
            try {
                Timer next = timers.peek();
                long waitMillis = next == null ? 1_000 : Math.max(1, next.getDelay(TimeUnit.MILLISECONDS));
                if (tasks.isEmpty()) {
                    selector.select(waitMillis);
                }
                else {
                    selector.selectNow();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    ((Channel) key.attachment()).ready(key);
                }
                selector.selectedKeys().clear();
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                Timer timer;
                while ((timer = timers.poll()) != null) {
                    timer.runIfNotCancelled();
                }
            }
            catch (ClosedSelectorException e) {
                return;
            }
            catch (IOException | RuntimeException e) {
                e.printStackTrace();
            }
        }
        for (SelectionKey key : selector.keys()) {
            ((Channel) key.attachment()).close();
        }
    }

    private final class Channel
            implements SourceSocket
    {
        private final Handler handler;
        private final ArrayDeque<ByteBuffer> pending = new ArrayDeque<>();
        private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
        private SocketChannel channel;
        private SelectionKey key;
        private boolean connected;
        private boolean closed;

        Channel(Handler handler)
        {
            this.handler = handler;
        }

        void finishConnect()
                throws IOException
        {
            channel.finishConnect();
            connected = true;
            key.interestOps(SelectionKey.OP_READ);
            handler.connected(this);
        }

        void ready(SelectionKey key)
        {
            try {
                if (!key.isValid()) {
                    return;
                }
                if (key.isConnectable()) {
                    finishConnect();
                    return;
                }
                if (key.isWritable()) {
                    flush();
                }
                if (key.isValid() && key.isReadable()) {
                    readBuffer.clear();
                    int read = channel.read(readBuffer);
                    if (read < 0) {
                        closeWith(Optional.empty());
                        return;
                    }
                    readBuffer.flip();
                    if (readBuffer.hasRemaining()) {
                        handler.received(readBuffer);
                    }
                }
            }
            catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        void fail(Throwable cause)
        {
            closeWith(Optional.of(cause));
        }

        @Override
        public void write(ByteBuffer bytes)
        {
            if (closed) {
                return;
            }
            pending.add(bytes);
            try {
                flush();
            }
            catch (IOException e) {
                fail(e);
            }
        }

        private void flush()
                throws IOException
        {
            while (!pending.isEmpty()) {
                ByteBuffer head = pending.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                pending.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        @Override
        public void close()
        {
            closeWith(Optional.empty());
        }

        private void closeWith(Optional<Throwable> cause)
        {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (key != null) {
                    key.cancel();
                }
                if (channel != null) {
                    channel.close();
                }
            }
            catch (IOException ignored) {
                // closing anyway
            }
            // "closed follows": never inside the caller's own call
            execute(() -> handler.closed(cause));
        }

        @Override
        public boolean isOpen()
        {
            return connected && !closed;
        }
    }

    private static final class Timer
            extends CompletableFuture<Void>
            implements Delayed
    {
        private final Runnable task;
        private final long dueNanos;

        Timer(Runnable task, long dueNanos)
        {
            this.task = task;
            this.dueNanos = dueNanos;
        }

        void runIfNotCancelled()
        {
            if (!isDone()) {
                task.run();
                complete(null);
            }
        }

        @Override
        public long getDelay(TimeUnit unit)
        {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other)
        {
            return Long.compare(dueNanos, ((Timer) other).dueNanos);
        }
    }
}
