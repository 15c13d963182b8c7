package io.github.reconnectingws.connection;

import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PongMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * The transport's handler for one connection attempt and, if it connects, its session.
 * It carries the attempt's generation, so that the state machine can tell a stale
 * callback from a current one. The transport's threads write its volatile fields; the
 * machine's actor reads them.
 */
final class AttemptHandler implements WebSocketHandler {

    final int generation;

    private final EngineTime time;

    private final BiConsumer<WebSocketSession, WebSocketMessage<?>> inbound;

    private final BiConsumer<AttemptHandler, CloseStatus> closed;

    /** When the last frame arrived, pongs included: the heartbeat's sign of life. */
    volatile long lastActivity;

    /** The connection it became, once connected. */
    volatile @Nullable Connection connection;


    volatile @Nullable Throwable transportError;

    /** Completed with how the session closed, once it did (it may close before the actor knows it connected). */
    private final CompletableFuture<CloseStatus> sessionClosed = new CompletableFuture<>();

    /**
     * @param inbound where messages go (not pongs)
     * @param closed told when the session closed, on the transport's thread
     */
    AttemptHandler(int generation, EngineTime time, BiConsumer<WebSocketSession, WebSocketMessage<?>> inbound,
            BiConsumer<AttemptHandler, CloseStatus> closed) {
        this.generation = generation;
        this.time = time;
        this.inbound = inbound;
        this.closed = closed;
        this.lastActivity = time.nanoTime();
    }

    /** Completes on the transport's thread once the session has closed, whoever closed it. */
    CompletableFuture<CloseStatus> sessionClosed() {
        return this.sessionClosed;
    }

    /** How the session closed, or {@code null} while it is open. */
    @Nullable CloseStatus closeStatus() {
        return this.sessionClosed.getNow(null);
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession session) {
        this.lastActivity = this.time.nanoTime();
    }

    @Override
    public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) {
        this.lastActivity = this.time.nanoTime();
        if (message instanceof PongMessage pong) {
            Connection open = this.connection;
            if (open != null) {
                open.writer.pong(pong.getPayload());
            }
        }
        else {
            this.inbound.accept(session, message);
        }
    }

    @Override
    public void handleTransportError(WebSocketSession session, Throwable exception) {
        this.transportError = exception;
    }

    @Override
    public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) {
        this.sessionClosed.complete(closeStatus);
        this.closed.accept(this, closeStatus);
    }

    @Override
    public boolean supportsPartialMessages() {
        return false;
    }

}
