package dev.sekisho.gateway.sourceio;

import dev.sekisho.planner.spi.EventLoopIo;
import dev.sekisho.planner.spi.SourceSocket;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The event loop lent to connectors, against a real TCP peer (an echo server in the test): a socket
 * opens on the loop, with the loop's own transport, writes are flushed, reads come as ByteBuffers
 * on the loop, the end is reported once (with the cause when the connection did not open or a
 * handler failed), and tasks and timers run on the loop. Once with NIO, once with epoll where it loads.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TestNettyEventLoopIo
{
    private EventLoopGroup group;
    private ServerSocket server;
    private Thread serverThread;

    @AfterEach
    void stop()
            throws Exception
    {
        if (server != null) {
            server.close();
        }
        if (serverThread != null) {
            serverThread.join(10_000);
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private EventLoopIo start(String transport)
    {
        boolean epoll = transport.equals("epoll");
        if (epoll) {
            assumeThat(Epoll.isAvailable()).as("epoll loads here").isTrue();
        }
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends SocketChannel> channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        group = new MultiThreadIoEventLoopGroup(1, factory);
        EventLoop loop = group.next();
        EventLoopIos ios = new EventLoopIos(() -> channelClass);
        EventLoopIo io = ios.of(loop);
        assertThat(ios.of(loop)).as("one instance per loop, for the server's life").isSameAs(io);
        return io;
    }

    /** Echoes what each client writes until it closes; {@code closeAfterGreeting}: sends "hi" and closes at once. */
    private int echoServer(boolean closeAfterGreeting)
            throws IOException
    {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        serverThread = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket client = server.accept(); InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
                    if (closeAfterGreeting) {
                        out.write("hi".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        continue;
                    }
                    byte[] buffer = new byte[1024];
                    for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
                catch (IOException e) {
                    // the server closed, or the client went away
                }
            }
        }, "echo-server");
        serverThread.setDaemon(true);
        serverThread.start();
        return server.getLocalPort();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void writesAreEchoedAndReadOnTheLoopAndTheEndIsReportedOnce(String transport)
            throws Exception
    {
        EventLoopIo io = start(transport);
        int port = echoServer(false);
        RecordingHandler handler = new RecordingHandler(io);
        io.connect("127.0.0.1", port, Duration.ofSeconds(10), handler);
        SourceSocket socket = handler.connected.get(10, TimeUnit.SECONDS);
        CompletableFuture<Boolean> open = new CompletableFuture<>();
        io.execute(() -> {
            open.complete(socket.isOpen());
            socket.write(ByteBuffer.wrap("hello ".getBytes(StandardCharsets.US_ASCII)));
            socket.write(ByteBuffer.wrap("source".getBytes(StandardCharsets.US_ASCII)));
        });
        assertThat(open.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(handler.readText(12)).isEqualTo("hello source");
        io.execute(socket::close);
        assertThat(handler.closed.get(10, TimeUnit.SECONDS)).isEmpty();
        CompletableFuture<Boolean> afterClose = new CompletableFuture<>();
        io.execute(() -> {
            // writing after the end is ignored, and close again reports nothing more
            socket.write(ByteBuffer.wrap("late".getBytes(StandardCharsets.US_ASCII)));
            socket.close();
            afterClose.complete(socket.isOpen());
        });
        assertThat(afterClose.get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(handler.ends()).isEqualTo(1);
        assertThat(handler.offThread).as("every call came on the loop").isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void thePeerClosingEndsTheConnectionInOrder(String transport)
            throws Exception
    {
        EventLoopIo io = start(transport);
        int port = echoServer(true);
        RecordingHandler handler = new RecordingHandler(io);
        io.connect("127.0.0.1", port, Duration.ofSeconds(10), handler);
        assertThat(handler.readText(2)).isEqualTo("hi");
        assertThat(handler.closed.get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(handler.offThread).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aRefusedConnectionIsReportedWithItsCauseAndNeverAsConnected(String transport)
            throws Exception
    {
        EventLoopIo io = start(transport);
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        RecordingHandler handler = new RecordingHandler(io);
        io.connect("127.0.0.1", port, Duration.ofSeconds(10), handler);
        Optional<Throwable> cause = handler.closed.get(10, TimeUnit.SECONDS);
        assertThat(cause).get().isInstanceOf(ConnectException.class);
        assertThat(handler.connected).isNotDone();
        assertThat(handler.offThread).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void aHandlerThatFailsClosesTheConnectionWithItsFailure(String transport)
            throws Exception
    {
        EventLoopIo io = start(transport);
        int port = echoServer(false);
        IllegalStateException bug = new IllegalStateException("a connector's bug");
        RecordingHandler handler = new RecordingHandler(io)
        {
            @Override
            public void received(ByteBuffer bytes)
            {
                throw bug;
            }
        };
        io.connect("127.0.0.1", port, Duration.ofSeconds(10), handler);
        SourceSocket socket = handler.connected.get(10, TimeUnit.SECONDS);
        io.execute(() -> socket.write(ByteBuffer.wrap(new byte[] {1, 2, 3})));
        assertThat(handler.closed.get(10, TimeUnit.SECONDS)).containsSame(bug);
        assertThat(handler.ends()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void tasksAndTimersRunOnTheLoopAndACancelledTimerDoesNot(String transport)
            throws Exception
    {
        EventLoopIo io = start(transport);
        assertThat(io.inThisThread()).isFalse();
        CompletableFuture<Boolean> task = new CompletableFuture<>();
        io.execute(() -> task.complete(io.inThisThread()));
        assertThat(task.get(10, TimeUnit.SECONDS)).isTrue();

        AtomicBoolean cancelledRan = new AtomicBoolean();
        Future<?> cancelled = io.schedule(() -> cancelledRan.set(true), Duration.ofMillis(200));
        assertThat(cancelled.cancel(false)).isTrue();
        CountDownLatch timer = new CountDownLatch(1);
        List<Boolean> onLoop = new ArrayList<>();
        io.schedule(() -> {
            onLoop.add(io.inThisThread());
            timer.countDown();
        }, Duration.ofMillis(300));
        assertThat(timer.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(onLoop).containsExactly(true);
        assertThat(cancelledRan).as("the cancelled timer, due before the other, did not run").isFalse();

        CompletableFuture<Boolean> inside = new CompletableFuture<>();
        io.execute(() -> {
            // a task given on the loop runs later, never inside the call
            AtomicBoolean ran = new AtomicBoolean();
            io.execute(() -> ran.set(true));
            inside.complete(ran.get());
        });
        assertThat(inside.get(10, TimeUnit.SECONDS)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll"})
    void afterTheLoopShutDownTasksAndTimersAreDroppedWithoutFailing(String transport)
    {
        EventLoopIo io = start(transport);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        AtomicBoolean ran = new AtomicBoolean();
        io.execute(() -> ran.set(true));
        Future<?> timer = io.schedule(() -> ran.set(true), Duration.ofMillis(1));
        assertThat(timer.isCancelled()).isTrue();
        assertThat(ran).isFalse();
    }

    /** Records what a socket reports, and whether any call came off the loop. */
    private static class RecordingHandler
            implements SourceSocket.Handler
    {
        private final EventLoopIo io;
        final CompletableFuture<SourceSocket> connected = new CompletableFuture<>();
        final CompletableFuture<Optional<Throwable>> closed = new CompletableFuture<>();
        final BlockingQueue<Byte> read = new LinkedBlockingQueue<>();
        final AtomicBoolean offThread = new AtomicBoolean();
        private int ends;

        RecordingHandler(EventLoopIo io)
        {
            this.io = io;
        }

        private void check()
        {
            if (!io.inThisThread()) {
                offThread.set(true);
            }
        }

        @Override
        public void connected(SourceSocket socket)
        {
            check();
            connected.complete(socket);
        }

        @Override
        public void received(ByteBuffer bytes)
        {
            check();
            while (bytes.hasRemaining()) {
                read.add(bytes.get());
            }
        }

        @Override
        public void closed(Optional<Throwable> cause)
        {
            check();
            synchronized (this) {
                ends++;
            }
            closed.complete(cause);
        }

        synchronized int ends()
        {
            return ends;
        }

        String readText(int length)
                throws InterruptedException
        {
            byte[] bytes = new byte[length];
            for (int i = 0; i < length; i++) {
                Byte next = read.poll(10, TimeUnit.SECONDS);
                assertThat(next).as("byte " + i + " arrived").isNotNull();
                bytes[i] = next;
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        }
    }
}
