package dev.sekisho.it.bigquery;

import com.google.zetasql.ClientChannelProvider;
import com.google.zetasql.JniChannelProvider;
import com.google.zetasql.io.grpc.CallOptions;
import com.google.zetasql.io.grpc.Channel;
import com.google.zetasql.io.grpc.ClientCall;
import com.google.zetasql.io.grpc.ClientInterceptor;
import com.google.zetasql.io.grpc.ClientInterceptors;
import com.google.zetasql.io.grpc.MethodDescriptor;

/**
 * ZetaSQL's in-process channel (JNI) that accepts answers larger than gRPC's default 4 MB, so that
 * the fixture's reference implementation can return results of a million rows. Found by ZetaSQL's
 * {@code ClientChannelProvider.loadChannel()} before the JNI provider, because test classes come
 * first on the class path.
 */
public final class LargeResultChannelProvider
        implements ClientChannelProvider
{
    @Override
    public Channel newChannel()
    {
        return ClientInterceptors.intercept(new JniChannelProvider().newChannel(), new ClientInterceptor()
        {
            @Override
            public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method, CallOptions options, Channel next)
            {
                return next.newCall(method, options.withMaxInboundMessageSize(Integer.MAX_VALUE));
            }
        });
    }
}
