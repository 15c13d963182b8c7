package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;

/**
 * An open connection dropped. Unless the application stopped it, a
 * {@link WebSocketReconnectingEvent} follows.
 */
public class WebSocketDisconnectedEvent extends WebSocketConnectionEvent {

    private final @Nullable CloseStatus closeStatus;

    private final @Nullable Throwable cause;

    /**
     * Create an event.
     * @param client the client
     * @param closeStatus the close status, if any
     * @param cause the error that ended the connection, if any
     */
    public WebSocketDisconnectedEvent(ReconnectingWebSocketClient client, @Nullable CloseStatus closeStatus,
            @Nullable Throwable cause) {
        super(client);
        this.closeStatus = closeStatus;
        this.cause = cause;
    }

    /**
     * The close status.
     * @return the close status, or {@code null} when the connection ended without one
     */
    public @Nullable CloseStatus getCloseStatus() {
        return this.closeStatus;
    }

    /**
     * The error that ended the connection.
     * @return the cause, or {@code null}
     */
    public @Nullable Throwable getCause() {
        return this.cause;
    }

    @Override
    String describe() {
        return ", closeStatus=" + ((this.closeStatus != null) ? this.closeStatus.getCode() : "none") + ", cause="
                + ((this.cause != null) ? this.cause.getClass().getSimpleName() : "none");
    }

}
