package io.github.reconnectingws;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The next connection attempt is scheduled.
 */
public class WebSocketReconnectingEvent extends WebSocketConnectionEvent {

    private final int attempt;

    private final Duration delay;

    private final @Nullable Throwable cause;

    /**
     * Create an event.
     * @param client the client
     * @param attempt the attempt number within the current outage, from 1
     * @param delay the delay before the attempt
     * @param cause why the client reconnects, or a {@link TooManyReconnectsException}
     */
    public WebSocketReconnectingEvent(ReconnectingWebSocketClient client, int attempt, Duration delay,
            @Nullable Throwable cause) {
        super(client);
        this.attempt = attempt;
        this.delay = delay;
        this.cause = cause;
    }

    /**
     * The attempt number within the current outage.
     * @return the attempt number, from 1
     */
    public int getAttempt() {
        return this.attempt;
    }

    /**
     * The delay before the attempt.
     * @return the delay
     */
    public Duration getDelay() {
        return this.delay;
    }

    /**
     * Why the client reconnects.
     * @return the cause, or {@code null}
     */
    public @Nullable Throwable getCause() {
        return this.cause;
    }

    @Override
    String describe() {
        return ", attempt=" + this.attempt + ", delay=" + this.delay.toMillis() + "ms"
                + ((this.cause != null) ? ", cause=" + this.cause.getClass().getSimpleName() : "");
    }

}
