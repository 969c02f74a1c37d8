package dev.sekisho.gateway.avatica;

import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.JsonService;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Avatica's own request handling, protobuf or JSON, over {@link SekishoMeta}: a request body in,
 * a response body and HTTP status out. Avatica decodes the request and calls the {@code Meta};
 * an exception becomes its error response (with the SQLSTATE {@link AvaticaErrors} gives it).
 * Thread-safe; blocking (it runs statements): call it on a worker.
 */
final class AvaticaProtocol
{
    /** The public {@code connectionId} field of each request class that has one (all but ExecuteRequest, which names a statement handle). */
    private static final ClassValue<Optional<Field>> CONNECTION_ID = new ClassValue<>()
    {
        @Override
        protected Optional<Field> computeValue(Class<?> type)
        {
            try {
                Field field = type.getField("connectionId");
                return field.getType() == String.class && !Modifier.isStatic(field.getModifiers()) ? Optional.of(field) : Optional.empty();
            }
            catch (NoSuchFieldException e) {
                return Optional.empty();
            }
        }
    };

    private final AvaticaServerOptions.Serialization serialization;
    private final ProtobufTranslationImpl translation = new ProtobufTranslationImpl();
    private final ProtobufHandler protobuf;
    private final JsonHandler json;

    AvaticaProtocol(SekishoMeta meta, AvaticaServerOptions.Serialization serialization, String serverAddress)
    {
        this.serialization = requireNonNull(serialization, "serialization is null");
        LocalService service = new LocalService(meta, NoopMetricsSystem.getInstance());
        service.setRpcMetadata(new Service.RpcMetadataResponse(serverAddress));
        if (serialization == AvaticaServerOptions.Serialization.PROTOBUF) {
            protobuf = new ProtobufHandler(service, new ProtobufTranslationImpl(), NoopMetricsSystem.getInstance());
            protobuf.setRpcMetadata(new Service.RpcMetadataResponse(serverAddress));
            json = null;
        }
        else {
            json = new JsonHandler(service, NoopMetricsSystem.getInstance());
            json.setRpcMetadata(new Service.RpcMetadataResponse(serverAddress));
            protobuf = null;
        }
    }

    /** The response to one request. */
    HandlerResponse<byte[]> apply(byte[] request)
    {
        if (protobuf != null) {
            return protobuf.apply(request);
        }
        HandlerResponse<String> response = json.apply(new String(request, StandardCharsets.UTF_8));
        return new HandlerResponse<>(response.getResponse().getBytes(StandardCharsets.UTF_8), response.getStatusCode());
    }

    /**
     * The connection a request names, read without running it: the request's thread depends on it
     * (see {@link RemoteConnections#holdingSourceConnections}). Empty for a request that names none
     * or cannot be read; {@link #apply} answers those as Avatica does.
     */
    Optional<String> connectionId(byte[] request)
    {
        Service.Request decoded;
        try {
            decoded = protobuf != null
                    ? translation.parseRequest(request)
                    : JsonService.MAPPER.readValue(new String(request, StandardCharsets.UTF_8), Service.Request.class);
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        if (decoded instanceof Service.ExecuteRequest execute) {
            return Optional.ofNullable(execute.statementHandle).map(handle -> handle.connectionId);
        }
        return CONNECTION_ID.get(decoded.getClass()).map(field -> {
            try {
                return (String) field.get(decoded);
            }
            catch (IllegalAccessException e) {
                return null;
            }
        });
    }

    /** An error response (HTTP 500, which the driver reads) for a request refused before it reached Avatica. */
    HandlerResponse<byte[]> error(Exception failure)
    {
        if (protobuf != null) {
            return protobuf.convertToErrorResponse(failure);
        }
        HandlerResponse<String> response = json.convertToErrorResponse(failure);
        return new HandlerResponse<>(response.getResponse().getBytes(StandardCharsets.UTF_8), response.getStatusCode());
    }

    String contentType()
    {
        return serialization == AvaticaServerOptions.Serialization.PROTOBUF ? "application/octet-stream" : "application/json; charset=utf-8";
    }
}
