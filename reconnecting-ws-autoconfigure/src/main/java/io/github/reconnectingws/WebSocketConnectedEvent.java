package io.github.reconnectingws;

/**
 * The connection is open. Published before the messages queued while disconnected are
 * flushed: messages a listener sends synchronously go out first (re-subscribe).
 */
public class WebSocketConnectedEvent extends WebSocketConnectionEvent {

    private final boolean reconnect;

    /**
     * Create an event.
     * @param client the client
     * @param reconnect whether this is a reconnection rather than the first connect
     */
    public WebSocketConnectedEvent(ReconnectingWebSocketClient client, boolean reconnect) {
        super(client);
        this.reconnect = reconnect;
    }

    /**
     * Whether this is a reconnection.
     * @return {@code false} for the first connect
     */
    public boolean isReconnect() {
        return this.reconnect;
    }

    @Override
    String describe() {
        return ", reconnect=" + this.reconnect;
    }

}
