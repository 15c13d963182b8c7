package io.github.reconnectingws;

/**
 * The client gave up and is {@link ConnectionState#FAILED}: a fatal error (invalid URL,
 * handshake rejected with a fatal 4xx status, TLS trust failure) or the backoff's maximum
 * elapsed time was spent.
 */
public class WebSocketConnectionFailedEvent extends WebSocketConnectionEvent {

    private final Throwable cause;

    /**
     * Create an event.
     * @param client the client
     * @param cause why it gave up
     */
    public WebSocketConnectionFailedEvent(ReconnectingWebSocketClient client, Throwable cause) {
        super(client);
        this.cause = cause;
    }

    /**
     * Why the client gave up.
     * @return the cause
     */
    public Throwable getCause() {
        return this.cause;
    }

    @Override
    String describe() {
        return ", cause=" + this.cause.getClass().getSimpleName();
    }

}
