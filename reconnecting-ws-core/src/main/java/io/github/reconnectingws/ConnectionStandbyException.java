package io.github.reconnectingws;

/**
 * The connection is held by another instance of the cluster: this instance does not hold
 * it ({@link ConnectionState#STANDBY}), so a message sent here would never go out.
 */
public class ConnectionStandbyException extends ReconnectingWebSocketException {

    /**
     * Create an exception.
     * @param connectionName the connection's name
     */
    public ConnectionStandbyException(String connectionName) {
        super("WebSocket connection '" + connectionName
                + "' is held by another instance of the cluster; this instance is on standby", null);
    }

}
