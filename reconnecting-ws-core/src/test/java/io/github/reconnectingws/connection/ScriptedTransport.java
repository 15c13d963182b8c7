package io.github.reconnectingws.connection;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.github.reconnectingws.HandshakeRequest;
import io.github.reconnectingws.testsupport.ScriptedSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketHandler;
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

    final List<ScriptedSession> sessions = new ArrayList<>();

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

    ScriptedSession lastSession() {
        return this.sessions.get(this.sessions.size() - 1);
    }

    @Override
    public CompletableFuture<WebSocketSession> connect(WebSocketHandler handler, HandshakeRequest request) {
        this.attempts.add(this.time.millis());
        Throwable failure = this.answer.get();
        if (failure != null) {
            return CompletableFuture.failedFuture(failure);
        }
        ScriptedSession session = new ScriptedSession(handler, request.getUri(), null);
        this.sessions.add(session);
        try {
            handler.afterConnectionEstablished(session);
        }
        catch (Exception ex) {
            return CompletableFuture.failedFuture(ex);
        }
        return CompletableFuture.completedFuture(session);
    }

}
