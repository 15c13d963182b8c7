package io.github.reconnectingws;

/**
 * The client was used before {@link ReconnectingWebSocketClient#start()}.
 */
public class ClientNotStartedException extends ReconnectingWebSocketException {

    /**
     * Create an exception.
     * @param connectionName the connection's name
     */
    public ClientNotStartedException(String connectionName) {
        super("WebSocket connection '" + connectionName + "' is not started; call start() first", null);
    }

}
