package dev.sekisho.gateway.execution;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where a client came from, as its front door saw it: for the audit trail, the metrics and the
 * admin endpoint's session list.
 *
 * @param frontDoor the protocol it speaks, e.g. {@code postgres}
 * @param address its network address, when the front door knows it
 */
public record ClientOrigin(String frontDoor, Optional<String> address)
{
    /** A client whose front door did not say (embedded use and tests). */
    public static final ClientOrigin UNKNOWN = new ClientOrigin("unknown", Optional.empty());

    public ClientOrigin
    {
        requireNonNull(frontDoor, "frontDoor is null");
        requireNonNull(address, "address is null");
    }
}
