package io.github.reconnectingws.test;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An upgrade request as the {@link MockWebSocketServer} received it, and the status it
 * answered: {@code 101} for an accepted one, the status of a {@link HandshakeRejection}
 * otherwise.
 *
 * @param path the request path, e.g. {@code /ws}
 * @param query the raw query string, or {@code null} without one
 * @param headers the request headers by lower-cased name, values in order
 * @param status the HTTP status the server answered
 */
public record Handshake(String path, @Nullable String query, Map<String, List<String>> headers, int status) {

    /**
     * Copies the headers, so the record is immutable.
     *
     * @param path the request path
     * @param query the raw query string, or {@code null}
     * @param headers the request headers by lower-cased name
     * @param status the HTTP status answered
     */
    public Handshake {
        headers = Map.copyOf(headers);
    }

    /**
     * Returns the first value of a request header.
     *
     * @param name the header name, in any case
     * @return the first value, or {@code null} if the request did not have the header
     */
    public @Nullable String header(String name) {
        List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
        return (values == null || values.isEmpty()) ? null : values.get(0);
    }

    /**
     * Returns whether the server upgraded the request to a WebSocket connection.
     *
     * @return {@code true} for status 101
     */
    public boolean accepted() {
        return this.status == 101;
    }

}
