package dev.sekisho.gateway.admin;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * An HTTP request to the admin endpoint, as much of it as the routes read.
 *
 * @param method GET or POST
 * @param path the path without the query string
 * @param authorization the Authorization header
 * @param clientAddress where it came from
 */
record AdminRequest(String method, String path, Optional<String> authorization, Optional<String> clientAddress)
{
    AdminRequest
    {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(authorization, "authorization is null");
        requireNonNull(clientAddress, "clientAddress is null");
    }
}
