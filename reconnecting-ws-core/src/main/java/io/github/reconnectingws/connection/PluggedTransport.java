package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.HandshakeRequest;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;

/**
 * The transport over a {@link WebSocketClient} other than Spring's
 * {@code StandardWebSocketClient}, used as it is. The engine enforces the connect
 * timeout. Failures are classified as the client reports them: a rejected handshake is
 * fatal or honours {@code Retry-After} only when the client reports it as a
 * {@link HandshakeRejectedException}; otherwise every failed attempt is retried, and
 * redirects follow the client's own rules. This is logged once, when the connection is
 * built.
 */
final class PluggedTransport implements Transport {

    private static final Log logger = LogFactory.getLog(ReconnectingWebSocketClient.class);

    private final WebSocketClient client;

    private final Duration connectTimeout;

    private final EngineTime time;

    PluggedTransport(String connectionName, WebSocketClient client, Duration connectTimeout, EngineTime time) {
        this.client = client;
        this.connectTimeout = connectTimeout;
        this.time = time;
        logger.info("WebSocket '" + connectionName + "' uses the transport " + client.getClass().getName()
                + ": rejected handshakes are classified only when it reports them as "
                + HandshakeRejectedException.class.getSimpleName()
                + " (otherwise every failed attempt is retried), and it follows redirects by its own rules");
    }

    @Override
    public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, HandshakeRequest request) {
        CompletableFuture<WebSocketSession> handshake;
        try {
            handshake = this.client.execute(handler, request.getHeaders(), request.getUri());
        }
        catch (Throwable ex) {
            return CompletableFuture.failedFuture(ex);
        }
        EngineTime.Timer timer = this.time.schedule(this.connectTimeout, () -> handshake.completeExceptionally(
                new TimeoutException("handshake did not complete within " + this.connectTimeout.toMillis() + " ms")));
        handshake.whenComplete((session, failure) -> timer.cancel());
        return handshake;
    }

}
