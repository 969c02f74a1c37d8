package dev.sekisho.it;

import dev.sekisho.gateway.Gateway;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The gateway's two front doors as a test connects through them, with the real drivers: pgjdbc over
 * the PostgreSQL wire protocol, and Avatica's remote driver over HTTP. The suites that check
 * results, masks and row filters run once per door ({@code @ParameterizedClass}) and must get the
 * same answers through both.
 */
public enum FrontDoor
{
    PGJDBC {
        @Override
        public Connection connect(Gateway gateway, String user)
                throws SQLException
        {
            return TestingGateway.connect(gateway, user);
        }
    },
    AVATICA {
        @Override
        public Connection connect(Gateway gateway, String user)
                throws SQLException
        {
            return TestingGateway.connectAvatica(gateway, user);
        }
    };

    /** A connection to {@code gateway} as one of {@link TestingGateway}'s users. */
    public abstract Connection connect(Gateway gateway, String user)
            throws SQLException;
}
