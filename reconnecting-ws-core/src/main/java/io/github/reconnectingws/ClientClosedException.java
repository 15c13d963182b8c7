package io.github.reconnectingws;

/**
 * The client was stopped or closed by the application, so the message or operation was
 * not accepted (or a queued message was not written before the shutdown timeout).
 */
public class ClientClosedException extends ReconnectingWebSocketException {

    /**
     * Create an exception.
     * @param connectionName the connection's name
     * @param detail what was refused
     */
    public ClientClosedException(String connectionName, String detail) {
        super("WebSocket connection '" + connectionName + "' is closed: " + detail, null);
    }

}
