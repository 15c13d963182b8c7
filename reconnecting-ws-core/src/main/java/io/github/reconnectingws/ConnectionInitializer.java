package io.github.reconnectingws;

import java.util.concurrent.CompletableFuture;

import org.springframework.web.socket.WebSocketSession;

/**
 * A protocol's own handshake on every new connection (STOMP's CONNECT, for one): run after
 * the WebSocket opens and before the connect hooks and the backlog. It may write to the
 * session directly; inbound messages keep reaching the message handlers meanwhile. The
 * connection is dropped (and retried, or failed when the exception is a fatal
 * {@link ProtocolHandshakeException}) if the returned future fails or does not complete
 * within the connect timeout. If the connection closes first, the client stops waiting
 * for the future at once and goes on as after any drop.
 */
@FunctionalInterface
public interface ConnectionInitializer {

    /**
     * Start the protocol's handshake on a new session.
     * @param client the client
     * @param session the new session
     * @return completed when the protocol is ready
     */
    CompletableFuture<Void> initialize(ReconnectingWebSocketClient client, WebSocketSession session);

}
