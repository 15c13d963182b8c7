package io.github.reconnectingws.listener;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.TextMessage;

/**
 * The {@code @WebSocketListener} methods of one STOMP destination of one connection, on
 * one subscription: each frame goes to every listener whose route takes it, as WebSocket
 * messages go to the connection's listeners. A frame that none takes is reported to the
 * client as unhandled (counted in {@code reconnecting.websocket.messages.unhandled}) and
 * logged at DEBUG, once. A failing listener does not keep the frame from the others; the
 * first failure is thrown afterwards, with later ones suppressed.
 */
final class StompDestinationListeners implements StompFrameHandler {

    private static final Log logger = LogFactory.getLog(StompDestinationListeners.class);

    private final ReconnectingWebSocketClient client;

    private final String destination;

    /** Added while listeners attach (lazy beans later), read by the receiving thread. */
    private final List<StompListenerFrameHandler> listeners = new CopyOnWriteArrayList<>();

    StompDestinationListeners(ReconnectingWebSocketClient client, String destination) {
        this.client = client;
        this.destination = destination;
    }

    void add(StompListenerFrameHandler listener) {
        this.listeners.add(listener);
    }

    @Override
    public Type getPayloadType(StompHeaders headers) {
        // as bytes: text listeners share one decoding of the body
        return byte[].class;
    }

    @Override
    public void handleFrame(StompHeaders headers, @Nullable Object payload) {
        byte[] body = (payload instanceof byte[] bytes) ? bytes : new byte[0];
        String text = null;
        boolean taken = false;
        RuntimeException failure = null;
        for (StompListenerFrameHandler listener : this.listeners) {
            Object own;
            if (listener.binary()) {
                own = body;
            }
            else {
                if (text == null) {
                    text = new String(body, StandardCharsets.UTF_8);
                }
                own = text;
            }
            if (!listener.takes(own)) {
                continue;
            }
            taken = true;
            try {
                listener.handleFrame(headers, own);
            }
            catch (RuntimeException ex) {
                if (failure == null) {
                    failure = ex;
                }
                else {
                    failure.addSuppressed(ex);
                }
            }
        }
        if (!taken) {
            if (logger.isDebugEnabled()) {
                logger.debug("WebSocket '" + this.client.getName() + "' STOMP frame of " + body.length + " bytes from "
                        + this.destination + " taken by no listener");
            }
            this.client.reportUnhandled((text != null) ? new TextMessage(text) : new TextMessage(body));
        }
        if (failure != null) {
            throw failure;
        }
    }

}
