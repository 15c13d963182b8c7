package io.github.reconnectingws;

import java.net.URI;

import org.springframework.util.Assert;
import org.springframework.web.socket.WebSocketHttpHeaders;

/**
 * The URL and headers of one handshake attempt, built from the static configuration and
 * handed to {@link HandshakeRequestCustomizer}s before each attempt, for example to put
 * a fresh token in a header or in the URL.
 */
public final class HandshakeRequest {

    private final String connectionName;

    private URI uri;

    private final WebSocketHttpHeaders headers;

    /**
     * Create a request.
     * @param connectionName the connection's name
     * @param uri the URI to connect to
     * @param headers the handshake headers (a copy is not made)
     */
    public HandshakeRequest(String connectionName, URI uri, WebSocketHttpHeaders headers) {
        this.connectionName = connectionName;
        this.uri = uri;
        this.headers = headers;
    }

    /**
     * The name of the connection this attempt is for.
     * @return the connection name
     */
    public String getConnectionName() {
        return this.connectionName;
    }

    /**
     * The URI to connect to.
     * @return the URI
     */
    public URI getUri() {
        return this.uri;
    }

    /**
     * Replace the URI of this attempt.
     * @param uri a {@code ws} or {@code wss} URI
     */
    public void setUri(URI uri) {
        Assert.isTrue(uri != null && ("ws".equals(uri.getScheme()) || "wss".equals(uri.getScheme())),
                "uri must be a ws:// or wss:// URI");
        this.uri = uri;
    }

    /**
     * The handshake headers, mutable; subprotocols are in {@code Sec-WebSocket-Protocol}.
     * @return the headers
     */
    public WebSocketHttpHeaders getHeaders() {
        return this.headers;
    }

}
