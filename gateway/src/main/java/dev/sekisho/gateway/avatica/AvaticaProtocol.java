package dev.sekisho.gateway.avatica;

import org.apache.calcite.avatica.metrics.noop.NoopMetricsSystem;
import org.apache.calcite.avatica.remote.Handler.HandlerResponse;
import org.apache.calcite.avatica.remote.JsonHandler;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.ProtobufHandler;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.Service;

import java.nio.charset.StandardCharsets;

import static java.util.Objects.requireNonNull;

/**
 * Avatica's own request handling, protobuf or JSON, over {@link SekishoMeta}: a request body in,
 * a response body and HTTP status out. Avatica decodes the request and calls the {@code Meta};
 * an exception becomes its error response (with the SQLSTATE {@link AvaticaErrors} gives it).
 * Thread-safe; blocking (it runs statements): call it on a worker.
 */
final class AvaticaProtocol
{
    private final AvaticaServerOptions.Serialization serialization;
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
