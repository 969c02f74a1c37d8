package dev.sekisho.gateway.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** What the admin endpoint answers: a status, a content type, the body and extra headers. */
record AdminResponse(int status, String contentType, byte[] body, Map<String, String> headers)
{
    AdminResponse
    {
        requireNonNull(contentType, "contentType is null");
        requireNonNull(body, "body is null");
        headers = Map.copyOf(headers);
    }

    static AdminResponse text(int status, String contentType, String body)
    {
        return new AdminResponse(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
