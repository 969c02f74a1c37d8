package dev.sekisho.gateway.pgwire.message;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A message from the client, decoded from its frame by {@link FrontendMessages}. Values only: the
 * frame's bytes are copied out, so no reference counting escapes the decoder.
 */
public sealed interface FrontendMessage
{
    /**
     * {@code int32 len | int32 protocol | (str name | str value)* | 0}.
     *
     * @param protocolVersion major in the upper 16 bits, minor in the lower (3.0 = 196608)
     * @param parameters the parameters in the order sent
     */
    record StartupMessage(int protocolVersion, Map<String, String> parameters)
            implements FrontendMessage
    {
        public StartupMessage
        {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        public int majorVersion()
        {
            return protocolVersion >>> 16;
        }

        public int minorVersion()
        {
            return protocolVersion & 0xFFFF;
        }
    }

    /** {@code int32 8 | int32 80877103}: the client asks for TLS. */
    record SslRequest()
            implements FrontendMessage {}

    /** {@code int32 8 | int32 80877104}: the client asks for GSSAPI encryption. */
    record GssEncRequest()
            implements FrontendMessage {}

    /** {@code int32 16 | int32 80877102 | int32 pid | int32 secret}, sent on a new connection. */
    record CancelRequest(int processId, int secretKey)
            implements FrontendMessage {}

    /** {@code 'Q' | int32 len | str query}. */
    record Query(String sql)
            implements FrontendMessage
    {
        public Query
        {
            requireNonNull(sql, "sql is null");
        }
    }

    /** {@code 'P' | int32 len | str name | str query | int16 n | int32 oid[n]}. */
    record Parse(String statementName, String sql, List<Integer> parameterOids)
            implements FrontendMessage
    {
        public Parse
        {
            requireNonNull(statementName, "statementName is null");
            requireNonNull(sql, "sql is null");
            parameterOids = List.copyOf(parameterOids);
        }
    }

    /**
     * {@code 'B' | int32 len | str portal | str statement | int16 nf | int16 format[nf] | int16 np |
     * (int32 len | byte[len])[np] | int16 nr | int16 resultFormat[nr]}; a parameter length of -1 is NULL.
     *
     * @param parameters the raw parameter values; null entries are SQL NULL
     */
    record Bind(String portalName, String statementName, List<Integer> parameterFormats, List<byte[]> parameters, List<Integer> resultFormats)
            implements FrontendMessage
    {
        public Bind
        {
            requireNonNull(portalName, "portalName is null");
            requireNonNull(statementName, "statementName is null");
            parameterFormats = List.copyOf(parameterFormats);
            parameters = Collections.unmodifiableList(new java.util.ArrayList<>(parameters));
            resultFormats = List.copyOf(resultFormats);
        }
    }

    /** {@code 'D' | int32 len | byte 'S' or 'P' | str name}. */
    record Describe(char target, String name)
            implements FrontendMessage
    {
        public Describe
        {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code 'E' | int32 len | str portal | int32 maxRows} (0 = all rows). */
    record Execute(String portalName, int maxRows)
            implements FrontendMessage
    {
        public Execute
        {
            requireNonNull(portalName, "portalName is null");
        }
    }

    /** {@code 'C' | int32 len | byte 'S' or 'P' | str name}. */
    record Close(char target, String name)
            implements FrontendMessage
    {
        public Close
        {
            requireNonNull(name, "name is null");
        }
    }

    /** {@code 'S' | int32 4}. */
    record Sync()
            implements FrontendMessage {}

    /** {@code 'H' | int32 4}. */
    record Flush()
            implements FrontendMessage {}

    /** {@code 'X' | int32 4}. */
    record Terminate()
            implements FrontendMessage {}

    /**
     * {@code 'p' | int32 len | byte[len - 4]}: PasswordMessage, SASLInitialResponse or SASLResponse;
     * which one depends on the authentication step, so the body is kept raw.
     */
    record PasswordMessage(byte[] body)
            implements FrontendMessage
    {
        public PasswordMessage
        {
            requireNonNull(body, "body is null");
        }
    }

    /** A message type Sekisho does not support (FunctionCall, COPY sub-protocol). */
    record Unsupported(char type)
            implements FrontendMessage {}
}
