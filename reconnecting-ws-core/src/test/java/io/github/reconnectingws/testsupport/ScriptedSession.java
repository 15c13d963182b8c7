package io.github.reconnectingws.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A WebSocket session whose server the test plays, for tests where a real socket cannot
 * take part (virtual time, protocol frames): it records what the client writes, and the
 * test delivers what the server sends and closes it. Thread-safe.
 */
public final class ScriptedSession implements WebSocketSession {

    private final WebSocketHandler handler;

    private final URI uri;

    private final @Nullable String acceptedProtocol;

    private final List<String> sent = new CopyOnWriteArrayList<>();

    private final AtomicInteger pings = new AtomicInteger();

    private final Map<String, Object> attributes = new ConcurrentHashMap<>();

    private volatile @Nullable CloseStatus closedWith;

    private volatile boolean answerPings;

    private volatile @Nullable Runnable duringNextSend;

    /**
     * @param handler the client's handler of the session
     * @param uri the URI connected to
     * @param acceptedProtocol the subprotocol the server agreed, or {@code null}
     */
    public ScriptedSession(WebSocketHandler handler, URI uri, @Nullable String acceptedProtocol) {
        this.handler = handler;
        this.uri = uri;
        this.acceptedProtocol = acceptedProtocol;
    }

    /** The text (and other non-ping) messages the client wrote, in order. */
    public List<String> sent() {
        return List.copyOf(this.sent);
    }

    /** How many pings the client wrote. */
    public int pings() {
        return this.pings.get();
    }

    /** Whether the server answers every ping with a pong carrying its payload, as it must. */
    public void answerPings(boolean answer) {
        this.answerPings = answer;
    }

    /**
     * Run {@code action} inside the client's next write of a message (not a ping), before
     * the write completes, or fails if the session is closed by then: what happens while a
     * write is on the wire.
     */
    public void duringNextSend(Runnable action) {
        this.duringNextSend = action;
    }

    /** How the session was closed, by either side, or {@code null} while open. */
    public @Nullable CloseStatus closedWith() {
        return this.closedWith;
    }

    /** The server sends a text message. */
    public void receive(String text) throws Exception {
        this.handler.handleMessage(this, new TextMessage(text));
    }

    /** The server sends a pong, asked for or not. */
    public void receivePong(ByteBuffer payload) throws Exception {
        this.handler.handleMessage(this, new PongMessage(payload));
    }

    /** The server closes the connection. */
    public void closeFromServer(CloseStatus status) throws Exception {
        this.closedWith = status;
        this.handler.afterConnectionClosed(this, status);
    }

    @Override
    public void sendMessage(WebSocketMessage<?> message) throws IOException {
        Runnable during = this.duringNextSend;
        if (during != null && !(message instanceof PingMessage)) {
            this.duringNextSend = null;
            during.run();
        }
        if (this.closedWith != null) {
            throw new IOException("closed");
        }
        if (message instanceof PingMessage ping) {
            this.pings.incrementAndGet();
            if (this.answerPings) {
                try {
                    this.handler.handleMessage(this, new PongMessage(ping.getPayload()));
                }
                catch (Exception ex) {
                    throw new IOException(ex);
                }
            }
        }
        else {
            this.sent.add(String.valueOf(message.getPayload()));
        }
    }

    @Override
    public String getId() {
        return Integer.toHexString(System.identityHashCode(this));
    }

    @Override
    public URI getUri() {
        return this.uri;
    }

    @Override
    public HttpHeaders getHandshakeHeaders() {
        return new HttpHeaders();
    }

    @Override
    public Map<String, Object> getAttributes() {
        return this.attributes;
    }

    @Override
    public @Nullable Principal getPrincipal() {
        return null;
    }

    @Override
    public @Nullable InetSocketAddress getLocalAddress() {
        return null;
    }

    @Override
    public @Nullable InetSocketAddress getRemoteAddress() {
        return null;
    }

    @Override
    public @Nullable String getAcceptedProtocol() {
        return this.acceptedProtocol;
    }

    @Override
    public void setTextMessageSizeLimit(int messageSizeLimit) {
    }

    @Override
    public int getTextMessageSizeLimit() {
        return 65536;
    }

    @Override
    public void setBinaryMessageSizeLimit(int messageSizeLimit) {
    }

    @Override
    public int getBinaryMessageSizeLimit() {
        return 65536;
    }

    @Override
    public List<WebSocketExtension> getExtensions() {
        return List.of();
    }

    @Override
    public boolean isOpen() {
        return this.closedWith == null;
    }

    @Override
    public void close() {
        close(CloseStatus.NORMAL);
    }

    @Override
    public void close(CloseStatus status) {
        if (this.closedWith == null) {
            this.closedWith = status;
        }
    }

}
