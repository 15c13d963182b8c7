package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

/**
 * Base class of the exceptions reported by a {@link ReconnectingWebSocketClient}.
 */
public class ReconnectingWebSocketException extends RuntimeException {

    /**
     * Create an exception.
     * @param message the message (never carries secrets)
     * @param cause the cause, if any
     */
    public ReconnectingWebSocketException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

}
