package io.github.reconnectingws.connection;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.reconnectingws.HandshakeRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A transport whose server the test scripts: each attempt is answered at once by the
 * current answer (accept, or fail with a given exception). Stands in for the network in
 * virtual-time tests, where a real socket cannot take part.
 */
final class ScriptedTransport implements Transport {

    private final VirtualTime time;

    /** When each attempt was made, in virtual milliseconds. */
    final List<Long> attempts = new ArrayList<>();

    final List<Session> sessions = new ArrayList<>();

    private Supplier<@Nullable Throwable> answer = () -> null;

    private boolean listening = true;

    ScriptedTransport(VirtualTime time) {
        this.time = time;
    }

    /** Accept every attempt from now on. */
    void up() {
        this.answer = () -> null;
        this.listening = true;
    }

    /** Refuse every attempt from now on (the server is down). */
    void down() {
        this.answer = () -> new ConnectException("Connection refused");
        this.listening = false;
    }

    /** Whether a TCP connect would succeed. */
    boolean isListening() {
        return this.listening;
    }

    /** Fail every attempt from now on with the given failure. */
    void failWith(Supplier<Throwable> failure) {
        this.answer = failure::get;
    }

    Session lastSession() {
        return this.sessions.get(this.sessions.size() - 1);
    }

    @Override
    public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, HandshakeRequest request) {
        this.attempts.add(this.time.millis());
        Throwable failure = this.answer.get();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        Session session = new Session(handler, request.getUri());
        this.sessions.add(session);
        try {
            handler.afterConnectionEstablished(session);
        }
        catch (Exception ex) {
            return CompletableFuture.failedFuture(ex);
        }
        return CompletableFuture.completedFuture(session);
    }

    /** A session that records what the client writes; the test plays the server. */
    static final class Session implements WebSocketSession {

        final WebSocketHandler handler;

        final URI uri;

        final List<String> texts = new ArrayList<>();

        int pings;

        @Nullable CloseStatus closedWith;

        private final Map<String, Object> attributes = new ConcurrentHashMap<>();

        Session(WebSocketHandler handler, URI uri) {
            this.handler = handler;
            this.uri = uri;
        }

        /** The server sends a text message. */
        void receive(String text) throws Exception {
            this.handler.handleMessage(this, new TextMessage(text));
        }

        /** The server closes the connection. */
        void closeFromServer(CloseStatus status) throws Exception {
            this.closedWith = status;
            this.handler.afterConnectionClosed(this, status);
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
            return null;
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
        public void sendMessage(WebSocketMessage<?> message) throws IOException {
            if (this.closedWith != null) {
                throw new IOException("closed");
            }
            if (message instanceof PingMessage) {
                this.pings++;
            }
            else {
                this.texts.add(String.valueOf(message.getPayload()));
            }
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

}
