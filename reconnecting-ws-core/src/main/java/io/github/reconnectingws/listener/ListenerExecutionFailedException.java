package io.github.reconnectingws.listener;

import io.github.reconnectingws.ReconnectingWebSocketException;
import org.jspecify.annotations.Nullable;

/**
 * A {@code @WebSocketListener} method threw, or the payload could not be converted to
 * its parameter type. Reported to the client's observers as a listener error; the
 * connection stays up. The message never contains the payload: for a conversion failure
 * the converter's exception, whose message may quote the payload, is not attached; the
 * message names the types in its cause chain and, for JSON, where in the document it
 * failed and what type was wanted there.
 */
public class ListenerExecutionFailedException extends ReconnectingWebSocketException {

    private final boolean conversionFailure;

    /**
     * Create an exception.
     * @param message what failed (never the payload)
     * @param cause the listener's exception, or {@code null} for a conversion failure
     * @param conversionFailure whether the payload could not be converted
     */
    public ListenerExecutionFailedException(String message, @Nullable Throwable cause, boolean conversionFailure) {
        super(message, cause);
        this.conversionFailure = conversionFailure;
    }

    /**
     * Whether the payload could not be converted to the listener's parameter type (a
     * poison message), rather than the listener throwing.
     * @return {@code true} for a conversion failure
     */
    public boolean isConversionFailure() {
        return this.conversionFailure;
    }

}
