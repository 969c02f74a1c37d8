package dev.sekisho.connectors.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of a server, for tests of a server that stops taking connections: while it
 * does not accept, connecting to its port is refused; connections made before stay up.
 */
final class TestingTcpProxy
        implements AutoCloseable
{
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile Thread acceptor;

    TestingTcpProxy(int targetPort)
    {
        this.targetPort = targetPort;
        this.port = TestingMySqlServer.freePort();
        startAccepting();
    }

    int port()
    {
        return port;
    }

    synchronized void startAccepting()
    {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = server;
            Thread thread = new Thread(() -> accept(server), "proxy-accept-" + port);
            thread.setDaemon(true);
            acceptor = thread;
            thread.start();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops listening; returns once the port refuses connections. A thread blocked in accept keeps
     * the listening socket alive until it returns, and may accept one more connection meanwhile:
     * that one is closed at once, and this waits for the thread to end.
     */
    synchronized void stopAccepting()
    {
        try {
            listener.close();
            acceptor.join(10_000);
        }
        catch (IOException ignored) {
            // closed anyway
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept(ServerSocket server)
    {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (server.isClosed()) {
                    closeQuietly(client);
                    return;
                }
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(target);
                pump(client, target);
                pump(target, client);
            }
            catch (IOException e) {
                // the listener closed
            }
        }
    }

    private static void pump(Socket from, Socket to)
    {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException ignored) {
                // one side closed
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket)
    {
        try {
            socket.close();
        }
        catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close()
    {
        stopAccepting();
        sockets.forEach(TestingTcpProxy::closeQuietly);
    }
}
