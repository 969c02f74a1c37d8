package dev.sekisho.gateway.pgwire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sekisho.gateway.auth.ScramVerifier;
import dev.sekisho.gateway.auth.UserRecord;
import dev.sekisho.gateway.auth.UserStore;
import dev.sekisho.gateway.pgwire.message.FrontendMessages;
import dev.sekisho.gateway.pgwire.message.PgProtocolException;
import dev.sekisho.policies.Principal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for everything a client sends before and during authentication: the frame decoder
 * (bytes cut at any place), every frontend message decoder, and the SASL exchange through the real
 * pipeline. The invariant: no exception escapes other than the documented protocol error (08P01,
 * which closes only that connection), nothing hangs, and no garbage authenticates. Run in verify
 * over the committed inputs in {@code FuzzPgWireInputs/}; {@code bench/fuzz.sh} fuzzes one for a
 * given time.
 */
class FuzzPgWire
{
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final ScramVerifier VERIFIER = ScramVerifier.create("fuzz-password".toCharArray(), new byte[16], 16);
    private static final UserStore USERS = UserStore.of(Map.of("alice", new UserRecord(new Principal("alice", Set.of(), Map.of()), VERIFIER)));
    private static final TestingQueryPlanner PLANNER = new TestingQueryPlanner();

    /** The frame decoder alone, fed in chunks of fuzzed sizes: frames, their bodies, or a protocol error. */
    @FuzzTest(maxDuration = "10s")
    void frames(FuzzedDataProvider data)
    {
        boolean tls = data.consumeBoolean();
        EmbeddedChannel channel = new EmbeddedChannel(new PgFrameDecoder(10_000, MAX_MESSAGE_BYTES, tls), new ReleasingSink());
        try {
            while (data.remainingBytes() > 0 && channel.isOpen()) {
                byte[] chunk = data.consumeBytes(data.consumeInt(1, 4096));
                channel.writeInbound(Unpooled.wrappedBuffer(chunk));
                channel.checkException();
            }
        }
        finally {
            channel.finishAndReleaseAll();
        }
    }

    /** Every frontend message decoder on a fuzzed body: a message, or 08P01. */
    @FuzzTest(maxDuration = "10s")
    void messages(FuzzedDataProvider data)
    {
        boolean startup = data.consumeBoolean();
        char type = (char) data.consumeByte();
        ByteBuf body = Unpooled.wrappedBuffer(data.consumeRemainingAsBytes());
        try {
            if (startup) {
                FrontendMessages.decodeStartup(body);
            }
            else {
                FrontendMessages.decode(type, body);
            }
        }
        catch (PgProtocolException e) {
            assertThat(e.sqlState()).isEqualTo("08P01");
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    /**
     * The SASL exchange through the whole pipeline (decoder, handler, SCRAM), for a known and an
     * unknown user: fuzzed SASLInitialResponse and SASLResponse bodies never authenticate and never
     * fail other than with a FATAL error.
     */
    @FuzzTest(maxDuration = "10s")
    void saslExchange(FuzzedDataProvider data)
    {
        PgServer server = new PgServer(PgServerOptions.defaults().withMaxMessageBytes(MAX_MESSAGE_BYTES), USERS, PLANNER,
                new TestingDirectExecutor(), List.of("shop"));
        EmbeddedChannel channel = new EmbeddedChannel(server.channelInitializer());
        TestingPgWire wire = new TestingPgWire(channel);
        try {
            wire.startup(Map.of("user", data.consumeBoolean() ? "alice" : data.consumeString(20), "database", "shop"));
            int steps = data.consumeInt(1, 3);
            for (int i = 0; i < steps && channel.isOpen(); i++) {
                byte[] body = data.consumeBytes(data.consumeInt(0, 512));
                if (data.consumeBoolean()) {
                    // a well-formed SASLInitialResponse envelope around fuzzed SCRAM text
                    ByteBuf initial = Unpooled.buffer();
                    TestingPgWire.writeString(initial, data.consumeBoolean() ? "SCRAM-SHA-256" : data.consumeString(30));
                    initial.writeInt(body.length).writeBytes(body);
                    wire.send('p', initial);
                }
                else {
                    wire.send('p', Unpooled.wrappedBuffer(body));
                }
                channel.checkException();
            }
            for (TestingPgWire.Message message : wire.read()) {
                // AuthenticationOk is R with code 0; ReadyForQuery is Z: neither may come from garbage
                assertThat(message.type()).isNotEqualTo('Z');
                if (message.type() == 'R') {
                    assertThat(message.buffer().readInt()).isNotZero();
                }
            }
        }
        finally {
            channel.finishAndReleaseAll();
        }
    }

    private static final class ReleasingSink
            extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg)
        {
            ReferenceCountUtil.release(msg);
        }
    }

}
