package dev.sekisho.gateway.cli;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;
import java.util.Optional;

/**
 * The port {@code serve} and {@code demo} listen on, as a user sees it: checked before the slow
 * part of the start (the embedded MariaDB, the sources' schemas), so that a port in use costs no
 * wait, and a bind that fails later all the same said in the same words.
 */
final class ListenPort
{
    private ListenPort() {}

    /**
     * Fails when {@code host:port} cannot be bound now. Port 0 (any free port) always passes.
     *
     * @param remedy what to do when the port is taken, one sentence
     */
    static void requireFree(String host, int port, String remedy)
    {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(host, port));
        }
        catch (IOException e) {
            throw failure(host, port, remedy, e);
        }
    }

    /** The failure to report when {@code e} (or one of its causes) is a failed bind of {@code host:port}. */
    static Optional<CliFailure> bindFailure(Throwable e, String host, int port, String remedy)
    {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BindException bind) {
                return Optional.of(failure(host, port, remedy, bind));
            }
        }
        return Optional.empty();
    }

    private static CliFailure failure(String host, int port, String remedy, IOException e)
    {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (reason.toLowerCase(Locale.ROOT).contains("in use")) {
            return new CliFailure(ExitCode.FAILED, "port " + port + " on " + host + " is in use", remedy, e);
        }
        return new CliFailure(ExitCode.FAILED, "cannot listen on " + host + ":" + port + ": " + reason,
                "Choose an address of this machine and a free port (ports below 1024 need root).", e);
    }
}
