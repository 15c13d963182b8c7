package io.github.reconnectingws.connection;

import java.util.concurrent.CompletableFuture;

import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.HandshakeRequest;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;

/**
 * Opens and closes sessions for the engine: the one place that knows the client library.
 * The engine classifies failures by type alone, so a transport reports a rejected
 * handshake as {@link HandshakeRejectedException} (with {@code Retry-After} when the
 * server sent one) and a redirect it did not follow as
 * {@link HandshakeRedirectedException}; anything else counts as retryable (TLS trust
 * failures aside).
 */
interface Transport {

    /**
     * Open a session; the future completes within the connect timeout.
     * @param handler the handler of the session's events
     * @param request the URL and headers of this attempt
     * @return the session, or the failure
     */
    CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, HandshakeRequest request);

    /** Close a session, ignoring errors: it is going away anyway. May block briefly. */
    default void close(WebSocketSession session, CloseStatus status) {
        try {
            session.close(status);
        }
        catch (Exception ex) {
            // already closed or broken
        }
    }

    /** The client is closed for good: give back what the transport holds beyond its sessions. */
    default void release() {
    }

}
