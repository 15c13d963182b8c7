package io.github.reconnectingws.it;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A bean with a {@code @WebSocketListener} method for every supported argument type; each
 * records what it received as "method:value".
 */
public class ListenerRecorder implements ConnectionObserver {

    final List<String> calls = new CopyOnWriteArrayList<>();

    final List<String> ordered = new CopyOnWriteArrayList<>();

    final List<Throwable> listenerErrors = new CopyOnWriteArrayList<>();

    @WebSocketListener
    void text(String text) {
        this.calls.add("text:" + text);
        if (text.startsWith("seq-")) {
            this.ordered.add(text);
        }
        if ("boom".equals(text)) {
            throw new IllegalStateException("listener failed on purpose");
        }
    }

    @WebSocketListener
    void pojo(Price price) {
        this.calls.add("pojo:" + price.symbol() + "=" + price.value());
    }

    @WebSocketListener
    void bytes(byte[] data) {
        this.calls.add("bytes:" + new String(data, StandardCharsets.UTF_8));
    }

    @WebSocketListener
    void buffer(ByteBuffer data) {
        this.calls.add("buffer:" + StandardCharsets.UTF_8.decode(data));
    }

    @WebSocketListener
    void raw(WebSocketMessage<?> message) {
        this.calls.add("raw:" + ((message instanceof TextMessage) ? "text"
                : (message instanceof BinaryMessage) ? "binary" : "other"));
    }

    @WebSocketListener
    void context(String text, ReconnectingWebSocketClient client, WebSocketSession session) {
        this.calls.add("context:" + client.getName() + ":" + session.isOpen());
    }

    @WebSocketListener
    String reply(String text) {
        return text.startsWith("ping:") ? "pong:" + text.substring(5) : null;
    }

    @WebSocketListener
    Price quote(String text) {
        return text.startsWith("quote:") ? new Price(text.substring(6), 1.0) : null;
    }

    @Override
    public void onListenerError(ReconnectingWebSocketClient client, WebSocketMessage<?> message, Throwable error) {
        this.listenerErrors.add(error);
    }

    List<String> callsOf(String method) {
        return this.calls.stream().filter((call) -> call.startsWith(method + ":")).toList();
    }

    void clear() {
        this.calls.clear();
        this.ordered.clear();
        this.listenerErrors.clear();
    }

    /** A JSON payload. */
    public record Price(String symbol, double value) {
    }

}
