package io.github.reconnectingws.stomp;

import java.util.concurrent.CompletableFuture;

import org.springframework.messaging.simp.stomp.BufferingStompDecoder;
import org.springframework.messaging.simp.stomp.StompDecoder;

/**
 * The STOMP state of one WebSocket session of a {@link ReconnectingStompClient}: two are
 * open during a planned rotation, and neither may see the other's frames.
 */
final class StompSessionState {

    /** Frames split over WebSocket messages; used by the session's reading thread only. */
    final BufferingStompDecoder decoder = new BufferingStompDecoder(new StompDecoder(), 1024 * 1024);

    /** Completed by the broker's answer to CONNECT. */
    final CompletableFuture<Void> connected = new CompletableFuture<>();

}
