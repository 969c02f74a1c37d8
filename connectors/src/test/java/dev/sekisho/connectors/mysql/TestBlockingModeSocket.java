package dev.sekisho.connectors.mysql;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The socket Connector/J gets from {@link BlockingSocketFactory}: its descriptor stays blocking
 * through timed connects and reads, and the time limits and closes from another thread still hold.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public class TestBlockingModeSocket
{
    private ServerSocket server;
    private final List<Socket> opened = new ArrayList<>();

    @BeforeEach
    void listen()
            throws IOException
    {
        // a backlog of one: connections nobody accepts fill it after two
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void close()
            throws IOException
    {
        for (Socket socket : opened) {
            socket.close();
        }
        server.close();
    }

    @Test
    void theDescriptorStaysBlockingThroughATimedConnectAndATimedReadWhereTheJdksSocketTurnsNonBlocking()
            throws IOException
    {
        Socket socket = open(new BlockingModeSocket(), 5_000);
        Socket accepted = accepted();
        socket.setSoTimeout(5_000);
        assertThat(socket.getSoTimeout()).isEqualTo(5_000);
        accepted.getOutputStream().write(new byte[] {7, 8});
        byte[] read = new byte[2];
        assertThat(socket.getInputStream().readNBytes(read, 0, 2)).isEqualTo(2);
        assertThat(read).containsExactly(7, 8);
        socket.setSoTimeout(0);
        accepted.getOutputStream().write(9);
        assertThat(socket.getInputStream().read()).isEqualTo(9);
        assertThat(TestingSocketModes.nonBlocking(socket.getLocalPort(), server.getLocalPort())).isFalse();
        assertThat(socket.isClosed()).isFalse();

        // what Connector/J gets without the factory: JDK 17's socket, blocking after its timed connect, non-blocking for good after a timed read
        Socket plain = open(new Socket(), 5_000);
        Socket plainAccepted = accepted();
        assertThat(TestingSocketModes.nonBlocking(plain.getLocalPort(), server.getLocalPort())).isFalse();
        plain.setSoTimeout(5_000);
        plainAccepted.getOutputStream().write(1);
        assertThat(plain.getInputStream().read()).isEqualTo(1);
        plain.setSoTimeout(0);
        assertThat(TestingSocketModes.nonBlocking(plain.getLocalPort(), server.getLocalPort())).isTrue();
    }

    @Test
    void aConnectNobodyAnswersFailsWhenItsTimeoutPasses()
            throws IOException
    {
        // fill the backlog: from then on the server drops the handshake and a connect waits for good
        while (true) {
            Socket filler = new Socket();
            opened.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 300);
            }
            catch (SocketTimeoutException e) {
                break;
            }
        }
        BlockingModeSocket socket = new BlockingModeSocket();
        opened.add(socket);
        long started = System.nanoTime();
        assertThatThrownBy(() -> socket.connect(server.getLocalSocketAddress(), 700))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessageMatching("(?i)connect timed out");
        // the kernel alone would retry for about two minutes
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isBetween(650L, 10_000L);

        // Connector/J through the factory, with the source's connect timeout
        java.util.Properties properties = new java.util.Properties();
        properties.putAll(ReplicaPool.DEFAULT_PROPERTIES);
        properties.setProperty("connectTimeout", "700");
        properties.setProperty("user", "nobody");
        long connectorStarted = System.nanoTime();
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + server.getLocalPort() + "/", properties).close())
                .isInstanceOf(java.sql.SQLException.class)
                .hasRootCauseInstanceOf(SocketTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectorStarted)).isBetween(650L, 10_000L);
    }

    @Test
    void aTimedReadWithoutDataFailsWithSocketTimeoutWhenItsTimeoutPasses()
            throws IOException
    {
        Socket socket = open(new BlockingModeSocket(), 5_000);
        accepted();
        socket.setSoTimeout(500);
        InputStream input = socket.getInputStream();
        long started = System.nanoTime();
        assertThatThrownBy(() -> input.read(new byte[16], 0, 16))
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("Read timed out");
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMillis).isBetween(450L, 10_000L);
        // unlike the JDK's timed read, the socket is closed; Connector/J never reads on after a timeout
        assertThat(socket.isClosed()).isTrue();
        assertThatThrownBy(input::read).isInstanceOf(IOException.class);
    }

    @Test
    void closingTheSocketFromAnotherThreadWakesAReadBlockedWithoutTimeout()
            throws Exception
    {
        Socket socket = open(new BlockingModeSocket(), 5_000);
        accepted();
        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return socket.getInputStream().read(new byte[16], 0, 16);
            }
            catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Thread.sleep(300);
        assertThat(read).isNotDone();
        long started = System.nanoTime();
        socket.close();
        assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(java.io.UncheckedIOException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(5_000L);
    }

    @Test
    void aConnectToAClosedPortFailsAsItWould()
            throws IOException
    {
        int port = TestingMySqlServer.freePort();
        BlockingModeSocket socket = new BlockingModeSocket();
        opened.add(socket);
        assertThatThrownBy(() -> socket.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000))
                .isInstanceOf(java.net.ConnectException.class);
    }

    private Socket open(Socket socket, int connectTimeoutMillis)
            throws IOException
    {
        opened.add(socket);
        socket.connect(server.getLocalSocketAddress(), connectTimeoutMillis);
        return socket;
    }

    private Socket accepted()
            throws IOException
    {
        Socket accepted = server.accept();
        opened.add(accepted);
        return accepted;
    }
}
