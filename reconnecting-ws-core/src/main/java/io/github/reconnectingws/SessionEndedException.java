package io.github.reconnectingws;

/**
 * The session a message belonged to ended before the message was written (see
 * {@link ReconnectingWebSocketClient#send(org.springframework.web.socket.WebSocketMessage, org.springframework.web.socket.WebSocketSession)}): it is not
 * written on another connection.
 */
public class SessionEndedException extends ReconnectingWebSocketException {

    /**
     * Create an exception.
     * @param connectionName the connection's name
     */
    public SessionEndedException(String connectionName) {
        super("WebSocket connection '" + connectionName
                + "': the session the message belonged to ended before it was written", null);
    }

}
