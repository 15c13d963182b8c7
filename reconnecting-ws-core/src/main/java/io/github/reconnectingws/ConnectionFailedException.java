package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

/**
 * The client gave up: a fatal error, or the backoff's maximum elapsed time was spent.
 * Queued messages are failed with this exception.
 */
public class ConnectionFailedException extends ReconnectingWebSocketException {

    /**
     * Create an exception.
     * @param message what happened (never carries secrets)
     * @param cause the cause, if any
     */
    public ConnectionFailedException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

}
