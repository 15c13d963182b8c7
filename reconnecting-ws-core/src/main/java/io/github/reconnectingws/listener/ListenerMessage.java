package io.github.reconnectingws.listener;

import java.util.Map;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A WebSocket message on its way to a listener method: the client, the session and the
 * frame travel as fields for {@link WebSocketArgumentResolver}, so that no header map is
 * built per message.
 */
final class ListenerMessage extends GenericMessage<Object> {

    /**
     * Headers without the generated id and timestamp that {@code MessageHeaders} adds by
     * default: listeners cannot ask for them, and generating them (a random UUID, the
     * clock, a second map copy) was most of the per-message cost of dispatch. Immutable,
     * so one instance serves every message.
     */
    static final MessageHeaders NO_HEADERS = new Headers(null);

    final transient ReconnectingWebSocketClient client;

    final transient WebSocketSession session;

    final transient WebSocketMessage<?> frame;

    ListenerMessage(ReconnectingWebSocketClient client, WebSocketSession session, WebSocketMessage<?> frame) {
        super(InboundPayloads.payload(frame), NO_HEADERS);
        this.client = client;
        this.session = session;
        this.frame = frame;
    }

    /** Message headers without a generated id and timestamp (see {@link #NO_HEADERS}). */
    static final class Headers extends MessageHeaders {

        Headers(@Nullable Map<String, Object> headers) {
            super(headers, ID_VALUE_NONE, -1L);
        }

    }

}
