package io.github.reconnectingws;

import java.time.Duration;

/**
 * The reconnect rate limit ({@code max-reconnects} per {@code max-reconnects-window})
 * refused a reconnect; the next attempt waits until the window allows it.
 */
public class TooManyReconnectsException extends ReconnectingWebSocketException {

    private final Duration retryIn;

    /**
     * Create an exception.
     * @param connectionName the connection's name
     * @param maxReconnects the configured limit
     * @param window the configured window
     * @param retryIn how long until the window allows a reconnect
     */
    public TooManyReconnectsException(String connectionName, int maxReconnects, Duration window, Duration retryIn) {
        super("WebSocket connection '" + connectionName + "' cannot reconnect right now: more than " + maxReconnects
                + " reconnects within " + window + "; next allowed in " + retryIn.toMillis() + " ms", null);
        this.retryIn = retryIn;
    }

    /**
     * How long until the rate limit allows the next reconnect.
     * @return the time to wait
     */
    public Duration getRetryIn() {
        return this.retryIn;
    }

}
