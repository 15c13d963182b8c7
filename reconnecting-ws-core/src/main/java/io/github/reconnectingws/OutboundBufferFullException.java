package io.github.reconnectingws;

/**
 * An outbound message was rejected (overflow {@code reject}) or discarded to make room
 * for a newer one (overflow {@code drop-oldest}) because the outbound buffer was full.
 */
public class OutboundBufferFullException extends ReconnectingWebSocketException {

    /**
     * Create an exception.
     * @param connectionName the connection's name
     * @param bufferSize the configured buffer size
     * @param discarded {@code true} if the message was discarded for a newer one
     */
    public OutboundBufferFullException(String connectionName, int bufferSize, boolean discarded) {
        super("WebSocket connection '" + connectionName + "': outbound buffer of " + bufferSize + " messages is full"
                + (discarded ? "; oldest message discarded" : "; message rejected"), null);
    }

}
