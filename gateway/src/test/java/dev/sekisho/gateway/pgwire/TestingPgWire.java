package dev.sekisho.gateway.pgwire;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw Postgres-protocol client over an {@link EmbeddedChannel}: builds frontend frames, reads
 * backend messages, and runs the client side of SCRAM-SHA-256.
 */
final class TestingPgWire
{
    private final EmbeddedChannel channel;
    private final List<Message> pending = new ArrayList<>();
    private ByteBuf unread = Unpooled.buffer();

    /** One backend message: type byte and body. */
    record Message(char type, byte[] body)
    {
        ByteBuf buffer()
        {
            return Unpooled.wrappedBuffer(body);
        }

        /** The fields of an ErrorResponse or NoticeResponse, by field code. */
        Map<Character, String> fields()
        {
            Map<Character, String> fields = new LinkedHashMap<>();
            ByteBuf buffer = buffer();
            while (buffer.isReadable()) {
                char code = (char) buffer.readByte();
                if (code == 0) {
                    break;
                }
                fields.put(code, readString(buffer));
            }
            return fields;
        }

        String tag()
        {
            return readString(buffer());
        }

        /** The columns of a DataRow as text; null for NULL. */
        List<String> columns()
        {
            ByteBuf buffer = buffer();
            int count = buffer.readShort();
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int length = buffer.readInt();
                columns.add(length < 0 ? null : buffer.readCharSequence(length, StandardCharsets.UTF_8).toString());
            }
            return columns;
        }

        /** The columns of a DataRow as bytes; null for NULL. */
        List<byte[]> rawColumns()
        {
            ByteBuf buffer = buffer();
            int count = buffer.readShort();
            List<byte[]> columns = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int length = buffer.readInt();
                if (length < 0) {
                    columns.add(null);
                    continue;
                }
                byte[] bytes = new byte[length];
                buffer.readBytes(bytes);
                columns.add(bytes);
            }
            return columns;
        }

        @Override
        public String toString()
        {
            return type + "(" + body.length + ")";
        }
    }

    TestingPgWire(EmbeddedChannel channel)
    {
        this.channel = channel;
    }

    EmbeddedChannel channel()
    {
        return channel;
    }

    void writeRaw(ByteBuf bytes)
    {
        channel.writeInbound(bytes);
        channel.runPendingTasks();
    }

    void startup(Map<String, String> parameters)
    {
        ByteBuf out = Unpooled.buffer();
        out.writeInt(0).writeInt(196608);
        parameters.forEach((name, value) -> {
            writeString(out, name);
            writeString(out, value);
        });
        out.writeByte(0);
        out.setInt(0, out.readableBytes());
        writeRaw(out);
    }

    void send(char type, ByteBuf body)
    {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(type).writeInt(4 + body.readableBytes()).writeBytes(body);
        writeRaw(out);
    }

    /** Several messages in one inbound write (pipelining). */
    void sendAll(ByteBuf... frames)
    {
        writeRaw(Unpooled.wrappedBuffer(frames));
    }

    static ByteBuf frame(char type, ByteBuf body)
    {
        ByteBuf out = Unpooled.buffer();
        out.writeByte(type).writeInt(4 + body.readableBytes()).writeBytes(body);
        return out;
    }

    static ByteBuf query(String sql)
    {
        ByteBuf body = Unpooled.buffer();
        writeString(body, sql);
        return frame('Q', body);
    }

    static ByteBuf parse(String name, String sql, int... oids)
    {
        ByteBuf body = Unpooled.buffer();
        writeString(body, name);
        writeString(body, sql);
        body.writeShort(oids.length);
        for (int oid : oids) {
            body.writeInt(oid);
        }
        return frame('P', body);
    }

    /** Bind with text parameters (null = NULL) and one result format for all columns (or none). */
    static ByteBuf bind(String portal, String statement, List<String> parameters, int... resultFormats)
    {
        ByteBuf body = Unpooled.buffer();
        writeString(body, portal);
        writeString(body, statement);
        body.writeShort(0);
        body.writeShort(parameters.size());
        for (String parameter : parameters) {
            if (parameter == null) {
                body.writeInt(-1);
            }
            else {
                byte[] bytes = parameter.getBytes(StandardCharsets.UTF_8);
                body.writeInt(bytes.length).writeBytes(bytes);
            }
        }
        body.writeShort(resultFormats.length);
        for (int format : resultFormats) {
            body.writeShort(format);
        }
        return frame('B', body);
    }

    /** Bind with binary parameters. */
    static ByteBuf bindBinary(String portal, String statement, List<byte[]> parameters, int... resultFormats)
    {
        ByteBuf body = Unpooled.buffer();
        writeString(body, portal);
        writeString(body, statement);
        body.writeShort(1).writeShort(1);
        body.writeShort(parameters.size());
        for (byte[] parameter : parameters) {
            body.writeInt(parameter.length).writeBytes(parameter);
        }
        body.writeShort(resultFormats.length);
        for (int format : resultFormats) {
            body.writeShort(format);
        }
        return frame('B', body);
    }

    static ByteBuf describe(char target, String name)
    {
        ByteBuf body = Unpooled.buffer();
        body.writeByte(target);
        writeString(body, name);
        return frame('D', body);
    }

    static ByteBuf execute(String portal, int maxRows)
    {
        ByteBuf body = Unpooled.buffer();
        writeString(body, portal);
        body.writeInt(maxRows);
        return frame('E', body);
    }

    static ByteBuf close(char target, String name)
    {
        ByteBuf body = Unpooled.buffer();
        body.writeByte(target);
        writeString(body, name);
        return frame('C', body);
    }

    static ByteBuf sync()
    {
        return frame('S', Unpooled.EMPTY_BUFFER);
    }

    /** Every backend message written so far and not yet read. */
    List<Message> read()
    {
        channel.runPendingTasks();
        ByteBuf chunk;
        while ((chunk = channel.readOutbound()) != null) {
            ByteBuf combined = Unpooled.buffer();
            combined.writeBytes(unread);
            combined.writeBytes(chunk);
            chunk.release();
            unread = combined;
        }
        while (unread.readableBytes() >= 5) {
            int length = unread.getInt(unread.readerIndex() + 1);
            if (unread.readableBytes() < length + 1) {
                break;
            }
            char type = (char) unread.readByte();
            unread.readInt();
            byte[] body = new byte[length - 4];
            unread.readBytes(body);
            pending.add(new Message(type, body));
        }
        List<Message> messages = new ArrayList<>(pending);
        pending.clear();
        return messages;
    }

    /** Reads a single raw byte (the answer to SSLRequest). */
    int readByte()
    {
        ByteBuf chunk = channel.readOutbound();
        assertThat(chunk).isNotNull();
        int value = chunk.readByte();
        assertThat(chunk.isReadable()).isFalse();
        chunk.release();
        return value;
    }

    static String types(List<Message> messages)
    {
        StringBuilder types = new StringBuilder();
        messages.forEach(message -> types.append(message.type()));
        return types.toString();
    }

    /**
     * Runs SCRAM-SHA-256 as a client after the StartupMessage; returns the messages after the
     * client-final message.
     */
    List<Message> authenticate(String password)
    {
        List<Message> messages = read();
        assertThat(types(messages)).isEqualTo("R");
        ByteBuf sasl = messages.get(0).buffer();
        assertThat(sasl.readInt()).isEqualTo(10);
        assertThat(readString(sasl)).isEqualTo("SCRAM-SHA-256");
        assertThat(readString(sasl)).isEmpty();

        String clientNonce = "rOprNGfwEbeRWgbNEkqO";
        String clientFirstBare = "n=*,r=" + clientNonce;
        ByteBuf initial = Unpooled.buffer();
        writeString(initial, "SCRAM-SHA-256");
        byte[] clientFirst = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
        initial.writeInt(clientFirst.length).writeBytes(clientFirst);
        send('p', initial);

        messages = read();
        assertThat(types(messages)).isEqualTo("R");
        ByteBuf continuation = messages.get(0).buffer();
        assertThat(continuation.readInt()).isEqualTo(11);
        String serverFirst = continuation.toString(StandardCharsets.UTF_8);
        Map<String, String> attributes = attributes(serverFirst);
        assertThat(attributes.get("r")).startsWith(clientNonce);
        byte[] salt = Base64.getDecoder().decode(attributes.get("s"));
        int iterations = Integer.parseInt(attributes.get("i"));

        ScramMechanism mechanism = ScramMechanism.SCRAM_SHA_256;
        byte[] saltedPassword = ScramFunctions.saltedPassword(mechanism, StringPreparation.POSTGRESQL_PREPARATION, password.toCharArray(), salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(mechanism, saltedPassword);
        byte[] storedKey = ScramFunctions.storedKey(mechanism, clientKey);
        String withoutProof = "c=biws,r=" + attributes.get("r");
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = ScramFunctions.clientSignature(mechanism, storedKey, authMessage);
        byte[] proof = ScramFunctions.clientProof(clientKey, clientSignature);
        ByteBuf response = Unpooled.buffer();
        response.writeBytes((withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8));
        send('p', response);

        messages = read();
        if (!messages.isEmpty() && messages.get(0).type() == 'R') {
            ByteBuf last = messages.get(0).buffer();
            assertThat(last.readInt()).isEqualTo(12);
            String serverFinal = last.toString(StandardCharsets.UTF_8);
            byte[] serverKey = ScramFunctions.serverKey(mechanism, saltedPassword);
            byte[] expected = ScramFunctions.serverSignature(mechanism, serverKey, authMessage);
            assertThat(serverFinal).isEqualTo("v=" + Base64.getEncoder().encodeToString(expected));
        }
        return messages;
    }

    private static Map<String, String> attributes(String message)
    {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (String part : message.split(",")) {
            attributes.put(part.substring(0, 1), part.substring(2));
        }
        return attributes;
    }

    static String readString(ByteBuf buffer)
    {
        int end = buffer.indexOf(buffer.readerIndex(), buffer.writerIndex(), (byte) 0);
        String value = buffer.toString(buffer.readerIndex(), end - buffer.readerIndex(), StandardCharsets.UTF_8);
        buffer.readerIndex(end + 1);
        return value;
    }

    static void writeString(ByteBuf out, String value)
    {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }
}
