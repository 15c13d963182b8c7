package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

/**
 * The HTTP proxy of the connection ({@code proxy.url}) answered its {@code CONNECT} with a
 * status instead of opening the tunnel. {@code 407} or {@code 401} (the configured
 * {@code proxy.username} and {@code proxy.password} were refused, or none are configured;
 * proxies answer either) and the other 4xx are fatal; 5xx (the proxy cannot reach the feed) and 408, 425, 429 are retried, like a
 * rejected handshake.
 */
public class ProxyRejectedException extends HandshakeRejectedException {

    /**
     * Create an exception.
     * @param statusCode the proxy's HTTP status
     * @param cause the transport's exception
     */
    public ProxyRejectedException(int statusCode, @Nullable Throwable cause) {
        super(message(statusCode), statusCode, null, cause);
    }

    private static String message(int statusCode) {
        if (statusCode == 407 || statusCode == 401) {
            return "HTTP proxy refused the tunnel with " + statusCode + " (authentication): "
                    + "check proxy.username and proxy.password";
        }
        return "HTTP proxy refused the tunnel with HTTP status " + statusCode;
    }

}
