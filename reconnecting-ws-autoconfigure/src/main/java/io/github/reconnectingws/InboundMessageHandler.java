package io.github.reconnectingws;

import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Handles the messages a {@link ReconnectingWebSocketClient} receives. Invoked in arrival
 * order on the transport's receiving thread; keep it short or hand work off.
 */
@FunctionalInterface
public interface InboundMessageHandler {

    /**
     * Handle one message.
     * @param client the client that received it
     * @param session the current session
     * @param message the message (text or binary)
     * @throws Exception any error, logged and counted as a listener error; the
     * connection stays up
     */
    void handleMessage(ReconnectingWebSocketClient client, WebSocketSession session, WebSocketMessage<?> message)
            throws Exception;

}
