package io.github.reconnectingws;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The server answered the WebSocket handshake with an HTTP status instead of upgrading.
 * 3xx (a redirect the transport did not follow) and 4xx statuses other than 408, 425 and
 * 429 are fatal; the rest are retried.
 */
public class HandshakeRejectedException extends ReconnectingWebSocketException {

    private final int statusCode;

    private final @Nullable Duration retryAfter;

    /**
     * Create an exception.
     * @param statusCode the HTTP status of the handshake response
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param cause the transport's exception
     */
    public HandshakeRejectedException(int statusCode, @Nullable Duration retryAfter, @Nullable Throwable cause) {
        this("WebSocket handshake rejected with HTTP status " + statusCode
                + ((retryAfter != null) ? " (Retry-After " + retryAfter.toMillis() + " ms)" : ""), statusCode,
                retryAfter, cause);
    }

    /**
     * Create an exception with its own message.
     * @param message the message
     * @param statusCode the HTTP status of the response
     * @param retryAfter the server's {@code Retry-After}, if it sent one
     * @param cause the transport's exception
     */
    protected HandshakeRejectedException(String message, int statusCode, @Nullable Duration retryAfter,
            @Nullable Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.retryAfter = retryAfter;
    }

    /**
     * The HTTP status of the handshake response.
     * @return the status code
     */
    public int getStatusCode() {
        return this.statusCode;
    }

    /**
     * The delay the server asked for with {@code Retry-After}.
     * @return the delay, or {@code null}
     */
    public @Nullable Duration getRetryAfter() {
        return this.retryAfter;
    }

    /**
     * Whether the status means the request will never succeed as it is.
     * @return {@code true} for 3xx and for 4xx other than 408, 425 and 429
     */
    public boolean isFatal() {
        return isFatalStatus(this.statusCode);
    }

    /**
     * Whether a handshake answered with this status will never succeed as it is.
     * @param statusCode an HTTP status
     * @return {@code true} for 3xx (a redirect that was not followed) and for 4xx other
     * than 408 (timeout), 425 (too early) and 429 (too many requests)
     */
    public static boolean isFatalStatus(int statusCode) {
        if (statusCode >= 300 && statusCode < 400) {
            return true;
        }
        return statusCode >= 400 && statusCode < 500 && statusCode != 408 && statusCode != 425 && statusCode != 429;
    }

}
