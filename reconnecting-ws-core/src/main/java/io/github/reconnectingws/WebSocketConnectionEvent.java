package io.github.reconnectingws;

import org.springframework.context.ApplicationEvent;

/**
 * Base class of the application events published for a {@link ReconnectingWebSocketClient}.
 */
public abstract class WebSocketConnectionEvent extends ApplicationEvent {

    /**
     * Create an event.
     * @param client the client the event is about (the event source)
     */
    protected WebSocketConnectionEvent(ReconnectingWebSocketClient client) {
        super(client);
    }

    /**
     * The client the event is about.
     * @return the client
     */
    public ReconnectingWebSocketClient getClient() {
        return (ReconnectingWebSocketClient) getSource();
    }

    /**
     * The name of the connection, {@code default} for the default connection.
     * @return the connection name
     */
    public String getConnectionName() {
        return getClient().getName();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[connection=" + getConnectionName() + describe() + "]";
    }

    /**
     * Extra details for {@link #toString()}, starting with {@code ", "}; never secrets.
     * @return the details
     */
    String describe() {
        return "";
    }

}
