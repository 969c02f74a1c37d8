package dev.sekisho.connectors.mysql;

import com.mysql.cj.conf.PropertySet;
import com.mysql.cj.protocol.StandardSocketFactory;

import java.net.Socket;

/**
 * Connector/J's socket factory with sockets that stay in blocking mode ({@link BlockingModeSocket}).
 * JDK 17's socket turns non-blocking for good on its first timed read, and Connector/J times the
 * reads of its handshake and of HikariCP's validation; from then on every read that has to wait
 * for MariaDB costs a read that fails with EAGAIN, a poll and a second read, three system calls
 * where a blocking socket makes one. Named in {@link ReplicaPool#DEFAULT_PROPERTIES}
 * ({@code socketFactory}); TLS is layered over the same socket by the parent class.
 */
public final class BlockingSocketFactory
        extends StandardSocketFactory
{
    @Override
    protected Socket createSocket(PropertySet properties)
    {
        return new BlockingModeSocket();
    }
}
