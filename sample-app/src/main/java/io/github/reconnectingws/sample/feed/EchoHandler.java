package io.github.reconnectingws.sample.feed;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/** {@code /feed/echo}: sends every text message back as it came. */
public class EchoHandler extends TextWebSocketHandler {

    private final FeedFaults faults;

    EchoHandler(FeedFaults faults) {
        this.faults = faults;
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        this.faults.opened(session);
    }

    @Override
    protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
        // replies go out on the thread that reads this connection: one at a time
        session.sendMessage(new TextMessage(message.getPayload()));
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
        this.faults.closed(session);
    }

}
