package io.github.reconnectingws;

import org.jspecify.annotations.Nullable;

/**
 * The server answered the WebSocket handshake with a redirect that the client does not
 * follow: {@code follow-redirects} is off, or the redirect leads to another origin
 * (scheme, host or port, {@code wss} to {@code ws} included), or there were too many
 * redirects. Always fatal: nothing is sent to the redirect's target, so no configured
 * header, user-info or query value reaches another origin.
 */
public class HandshakeRedirectedException extends ReconnectingWebSocketException {

    private final String location;

    /**
     * Create an exception.
     * @param message what happened (never carries secrets)
     * @param location the redirect's target origin ({@code scheme://host:port}), or an
     * empty string when the transport did not report it
     * @param cause the transport's exception, if it carries no secrets
     */
    public HandshakeRedirectedException(String message, String location, @Nullable Throwable cause) {
        super(message, cause);
        this.location = location;
    }

    /**
     * The origin the server redirected to, {@code scheme://host:port}, without path or
     * query.
     * @return the target origin, or an empty string when the transport did not report it
     * (Tomcat does not report the {@code Location} of a 308)
     */
    public String getLocation() {
        return this.location;
    }

}
