package dev.sekisho.connectors.mysql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Whether a TCP socket of this JVM is in non-blocking mode, read from Linux's {@code /proc}: the
 * socket's inode from {@code /proc/net/tcp} and {@code tcp6} (by its two ports), the descriptor
 * that holds the inode from {@code /proc/self/fd}, its {@code O_NONBLOCK} flag from
 * {@code /proc/self/fdinfo}.
 */
final class TestingSocketModes
{
    private static final int O_NONBLOCK = 04000;

    private TestingSocketModes() {}

    /** The open socket of this process from {@code localPort} to {@code remotePort}: whether it is non-blocking. */
    static boolean nonBlocking(int localPort, int remotePort)
    {
        String inode = inode(localPort, remotePort);
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors.toList()) {
                String target;
                try {
                    target = Files.readSymbolicLink(descriptor).toString();
                }
                catch (IOException e) {
                    // closed since the listing
                    continue;
                }
                if (target.equals("socket:[" + inode + "]")) {
                    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", descriptor.getFileName().toString()))) {
                        if (line.startsWith("flags:")) {
                            return (Integer.parseInt(line.substring("flags:".length()).trim(), 8) & O_NONBLOCK) != 0;
                        }
                    }
                }
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("no descriptor of this process holds socket inode " + inode);
    }

    private static String inode(int localPort, int remotePort)
    {
        String local = String.format(Locale.ROOT, ":%04X", localPort);
        String remote = String.format(Locale.ROOT, ":%04X", remotePort);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] fields = line.trim().split("\\s+");
                    if (fields.length > 9 && fields[1].endsWith(local) && fields[2].endsWith(remote) && !fields[9].equals("0")) {
                        return fields[9];
                    }
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no TCP socket from port " + localPort + " to port " + remotePort);
    }
}
