package dev.sekisho.gateway.pgwire;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A blocking Postgres-protocol client over a socket, for tests that need a slow or rude client. */
final class TestingPgSocketClient
        implements AutoCloseable
{
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;

    TestingPgSocketClient(int port)
            throws IOException
    {
        socket = new Socket("127.0.0.1", port);
        socket.setReceiveBufferSize(16 * 1024);
        // a server that stops answering fails the test instead of hanging the build
        socket.setSoTimeout(60_000);
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Type byte and body of the next backend message. */
    record Message(char type, byte[] body) {}

    void login(String user, String password)
            throws IOException
    {
        byte[] userBytes = user.getBytes(StandardCharsets.UTF_8);
        out.writeInt(4 + 4 + 5 + userBytes.length + 1 + 1);
        out.writeInt(196608);
        out.write("user\0".getBytes(StandardCharsets.UTF_8));
        out.write(userBytes);
        out.write(0);
        out.write(0);
        out.flush();
        expect('R');
        String clientFirstBare = "n=,r=fyko+d2lbbFgONRv9qkxdawL";
        byte[] mechanism = "SCRAM-SHA-256\0".getBytes(StandardCharsets.UTF_8);
        byte[] clientFirst = ("n,," + clientFirstBare).getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(4 + mechanism.length + 4 + clientFirst.length);
        out.write(mechanism);
        out.writeInt(clientFirst.length);
        out.write(clientFirst);
        out.flush();
        Message continuation = expect('R');
        String serverFirst = new String(continuation.body(), 4, continuation.body().length - 4, StandardCharsets.UTF_8);
        String[] parts = serverFirst.split(",");
        String nonce = parts[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(parts[1].substring(2));
        int iterations = Integer.parseInt(parts[2].substring(2));
        ScramMechanism sha256 = ScramMechanism.SCRAM_SHA_256;
        byte[] saltedPassword = ScramFunctions.saltedPassword(sha256, StringPreparation.POSTGRESQL_PREPARATION, password.toCharArray(), salt, iterations);
        byte[] clientKey = ScramFunctions.clientKey(sha256, saltedPassword);
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] proof = ScramFunctions.clientProof(clientKey, ScramFunctions.clientSignature(sha256, ScramFunctions.storedKey(sha256, clientKey), authMessage));
        byte[] clientFinal = (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
        out.writeByte('p');
        out.writeInt(4 + clientFinal.length);
        out.write(clientFinal);
        out.flush();
        while (next().type() != 'Z') {
            // AuthenticationSASLFinal, AuthenticationOk, ParameterStatus, BackendKeyData
        }
    }

    void query(String sql)
            throws IOException
    {
        byte[] bytes = sql.getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q');
        out.writeInt(4 + bytes.length + 1);
        out.write(bytes);
        out.write(0);
        out.flush();
    }

    void writeRaw(byte[] bytes)
            throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    Message next()
            throws IOException
    {
        char type = (char) in.readUnsignedByte();
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message(type, body);
    }

    Message expect(char type)
            throws IOException
    {
        Message message = next();
        if (message.type() != type) {
            throw new IllegalStateException("expected " + type + " but got " + message.type() + ": " + new String(message.body(), StandardCharsets.UTF_8));
        }
        return message;
    }

    @Override
    public void close()
            throws IOException
    {
        socket.close();
    }
}
