package io.github.reconnectingws;

import org.springframework.web.socket.WebSocketMessage;

/**
 * Turns an application object into a WebSocket message for
 * {@code ReconnectingWebSocketClient.send(Object)}, typically JSON text.
 */
@FunctionalInterface
public interface PayloadEncoder {

    /**
     * Encode a payload.
     * @param payload the object to send
     * @return the message to write
     * @throws Exception if the payload cannot be encoded
     */
    WebSocketMessage<?> encode(Object payload) throws Exception;

}
