package dev.sekisho.gateway.pgwire;

import dev.sekisho.gateway.pgwire.message.BackendMessages;
import dev.sekisho.gateway.pgwire.message.FrontendMessage;
import dev.sekisho.gateway.pgwire.message.FrontendMessages;
import dev.sekisho.gateway.pgwire.message.PgError;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Cuts the byte stream into frontend messages ({@link FrontendMessage}). A frame that breaks the
 * protocol (bad length, too large, malformed body, unknown type) gets a FATAL ErrorResponse with
 * SQLSTATE 08P01 and closes this connection; the rest of its input is discarded.
 */
public final class PgFrameDecoder
        extends ByteToMessageDecoder
{
    /** Where the connection is in the protocol. */
    enum State
    {
        /**
         * Before the StartupMessage: {@code int32 len | int32 code | ...}. The code is the protocol
         * version (StartupMessage) or 80877103 (SSLRequest), 80877104 (GSSENCRequest), 80877102
         * (CancelRequest). After SSLRequest and GSSENCRequest the client sends another packet here.
         * Capped at {@code maxStartupPacketBytes} (PostgreSQL's MAX_STARTUP_PACKET_LENGTH, 10000),
         * because nothing is authenticated yet.
         */
        STARTUP,
        /** Regular messages: {@code byte type | int32 len | byte[len - 4]}, capped at {@code maxMessageBytes}. */
        MESSAGE,
        /** After a protocol violation or a CancelRequest: all input is discarded. */
        DISCARD
    }

    private final int maxStartupPacketBytes;
    private final int maxMessageBytes;
    private final boolean tlsOffered;
    private State state = State.STARTUP;

    public PgFrameDecoder(int maxStartupPacketBytes, int maxMessageBytes)
    {
        this(maxStartupPacketBytes, maxMessageBytes, false);
    }

    /**
     * @param tlsOffered whether an SSLRequest is answered 'S': then bytes that follow the SSLRequest
     *         before the TLS handshake are refused (they were not encrypted, and could be injected
     *         by a man in the middle, as in PostgreSQL's CVE-2021-23214)
     */
    public PgFrameDecoder(int maxStartupPacketBytes, int maxMessageBytes, boolean tlsOffered)
    {
        this.maxStartupPacketBytes = maxStartupPacketBytes;
        this.maxMessageBytes = maxMessageBytes;
        this.tlsOffered = tlsOffered;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
    {
        try {
            switch (state) {
                case STARTUP -> decodeStartup(in, out);
                case MESSAGE -> decodeMessage(in, out);
                case DISCARD -> in.skipBytes(in.readableBytes());
            }
        }
        catch (PgProtocolException e) {
            fail(ctx, in, e);
        }
    }

    private void decodeStartup(ByteBuf in, List<Object> out)
    {
        if (in.readableBytes() < 4) {
            return;
        }
        int length = in.getInt(in.readerIndex());
        if (length < 8 || length > maxStartupPacketBytes) {
            throw new PgProtocolException("invalid length of startup packet: " + length + " bytes (allowed: 8 to " + maxStartupPacketBytes + ")");
        }
        if (in.readableBytes() < length) {
            return;
        }
        in.skipBytes(4);
        FrontendMessage message = FrontendMessages.decodeStartup(in.readSlice(length - 4));
        if (message instanceof FrontendMessage.StartupMessage) {
            state = State.MESSAGE;
        }
        else if (message instanceof FrontendMessage.CancelRequest) {
            state = State.DISCARD;
        }
        else if (message instanceof FrontendMessage.SslRequest && tlsOffered && in.isReadable()) {
            throw new PgProtocolException("received unencrypted data after SSL request");
        }
        out.add(message);
    }

    private void decodeMessage(ByteBuf in, List<Object> out)
    {
        while (in.readableBytes() >= 5) {
            int start = in.readerIndex();
            char type = (char) in.getUnsignedByte(start);
            int length = in.getInt(start + 1);
            if (length < 4) {
                throw new PgProtocolException("invalid message length " + length + " for message type " + printable(type));
            }
            if (length - 4 > maxMessageBytes) {
                throw new PgProtocolException("message of type " + printable(type) + " is " + (length - 4L) + " bytes long, more than the limit of "
                        + maxMessageBytes + " bytes");
            }
            if (in.readableBytes() < length + 1) {
                return;
            }
            in.skipBytes(5);
            out.add(FrontendMessages.decode(type, in.readSlice(length - 4)));
            if (type == 'X') {
                state = State.DISCARD;
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }

    private void fail(ChannelHandlerContext ctx, ByteBuf in, PgProtocolException e)
    {
        state = State.DISCARD;
        in.skipBytes(in.readableBytes());
        ByteBuf buffer = ctx.alloc().buffer();
        BackendMessages.errorResponse(buffer, PgError.fatal(e.sqlState(), e.getMessage()));
        ctx.writeAndFlush(buffer).addListener(ChannelFutureListener.CLOSE);
    }

    private static String printable(char type)
    {
        return type >= 0x20 && type < 0x7F ? "'" + type + "'" : Integer.toString(type);
    }
}
