package io.github.reconnectingws.stomp;

import java.util.concurrent.CompletableFuture;

import org.springframework.messaging.simp.stomp.BufferingStompDecoder;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.web.socket.WebSocketSession;

/**
 * The STOMP state of one WebSocket session of a {@link ReconnectingStompClient}: two are
 * open during a planned rotation, and neither may see the other's frames.
 */
final class StompSessionState {

    /**
     * Its WebSocket session: the frames that mean something on this session alone
     * (SUBSCRIBE, UNSUBSCRIBE, ACK, NACK) are sent for it, so that none is written on the
     * next one.
     */
    final WebSocketSession session;

    /** Frames split over WebSocket messages; used by the session's reading thread only. */
    final BufferingStompDecoder decoder = new BufferingStompDecoder(new StompDecoder(), 1024 * 1024);

    /** Completed by the broker's answer to CONNECT. */
    final CompletableFuture<Void> connected = new CompletableFuture<>();

    StompSessionState(WebSocketSession session) {
        this.session = session;
    }

}
