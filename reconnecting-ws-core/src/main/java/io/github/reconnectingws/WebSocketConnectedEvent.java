package io.github.reconnectingws;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The connection is open. Published before the messages queued while disconnected are
 * flushed: messages a listener sends synchronously go out first (re-subscribe).
 */
public class WebSocketConnectedEvent extends WebSocketConnectionEvent {

    private final boolean reconnect;

    private final boolean rotation;

    private final @Nullable String resumePosition;

    /**
     * Create an event.
     * @param client the client
     * @param reconnect whether this is a reconnection rather than the first connect
     */
    public WebSocketConnectedEvent(ReconnectingWebSocketClient client, boolean reconnect) {
        this(client, reconnect, false);
    }

    /**
     * Create an event.
     * @param client the client
     * @param reconnect whether this is a reconnection rather than the first connect
     * @param rotation whether the new connection replaces one that is still open
     */
    public WebSocketConnectedEvent(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
        super(client);
        this.reconnect = reconnect;
        this.rotation = rotation;
        this.resumePosition = client.getResumePosition().orElse(null);
    }

    /**
     * The last delivered position when the connection opened ({@code resume.position}):
     * the one a re-subscribe should resume after.
     * @return the position, or empty when resuming is off or nothing was delivered yet
     */
    public Optional<String> getResumePosition() {
        return Optional.ofNullable(this.resumePosition);
    }

    /**
     * Whether the new connection replaces one that is still open ({@code max-connection-age}):
     * the listeners run for the new connection, which takes over sends and deliveries
     * once they return; the old one is then closed with 1000. Not a drop.
     * @return whether this is a planned rotation
     */
    public boolean isRotation() {
        return this.rotation;
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
        return ", reconnect=" + this.reconnect + (this.rotation ? ", rotation" : "");
    }

}
