package io.github.reconnectingws;

/**
 * Adjusts the handshake request before every connection attempt: the place for token
 * refresh. Header values and URL query values are treated as secrets and never logged.
 */
@FunctionalInterface
public interface HandshakeRequestCustomizer {

    /**
     * Customize the request of the next attempt.
     * @param request the request, carrying the configured URL and headers
     */
    void customize(HandshakeRequest request);

}
