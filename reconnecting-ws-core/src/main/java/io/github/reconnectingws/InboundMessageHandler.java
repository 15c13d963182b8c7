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

    /**
     * Whether this handler takes the message; {@link #handleMessage} is called only for
     * messages it takes. A message that no handler of the client takes is reported as
     * unhandled ({@link ConnectionObserver#onMessageUnhandled}, logged at DEBUG), not as
     * an error. Called on the receiving thread, just before {@code handleMessage}.
     * @param message the message
     * @return {@code true} (the default) to take every message
     */
    default boolean handles(WebSocketMessage<?> message) {
        return true;
    }

}
