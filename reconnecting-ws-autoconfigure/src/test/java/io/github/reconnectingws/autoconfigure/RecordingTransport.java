package io.github.reconnectingws.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * A transport that records handshake requests and refuses them all, so that tests can see
 * what a client would send without a server.
 */
class RecordingTransport implements WebSocketClient {

    record Handshake(URI uri, WebSocketHttpHeaders headers) {
    }

    final List<Handshake> handshakes = new CopyOnWriteArrayList<>();

    @Override
    public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
            Object... uriVariables) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, WebSocketHttpHeaders headers,
            URI uri) {
        this.handshakes.add(new Handshake(uri, headers));
        return CompletableFuture.failedFuture(new IOException("refused by the test transport"));
    }

}
