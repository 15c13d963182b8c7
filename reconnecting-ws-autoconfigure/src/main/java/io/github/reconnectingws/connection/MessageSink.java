package io.github.reconnectingws.connection;

import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * Writes one message at a time to a session without blocking the caller, and reports
 * the outcome to a callback (with {@code null} on success).
 */
interface MessageSink {

    void write(WebSocketMessage<?> message, Consumer<@Nullable Throwable> done);

    /**
     * Whether a write that returned without completing may never complete (Tomcat discards
     * a message queued behind a close frame without calling its handler).
     * @return {@code true} if a writer must take such a write back when it closes
     */
    default boolean mayDropCompletion() {
        return false;
    }

    /**
     * The best sink for a session: JSR-356's async remote when the transport is a JSR-356
     * client (Tomcat), so a write holds no thread; else a blocking send on the executor.
     */
    static MessageSink forSession(WebSocketSession session, Executor executor, long sendTimeoutMillis) {
        if (session instanceof NativeWebSocketSession nativeSession
                && nativeSession.getNativeSession() instanceof Session jsr356Session) {
            RemoteEndpoint.Async remote = jsr356Session.getAsyncRemote();
            remote.setSendTimeout(sendTimeoutMillis);
            return new AsyncRemoteSink(remote, session, executor);
        }
        return new BlockingSink(session, executor);
    }

    /** A copy of a binary payload that a transport may consume without harming a retry. */
    static WebSocketMessage<?> replayable(WebSocketMessage<?> message) {
        if (message instanceof BinaryMessage binary) {
            return new BinaryMessage(binary.getPayload().duplicate(), binary.isLast());
        }
        return message;
    }

    /** Writes through JSR-356's async remote endpoint. */
    final class AsyncRemoteSink implements MessageSink {

        private final RemoteEndpoint.Async remote;

        private final BlockingSink controlFrames;

        AsyncRemoteSink(RemoteEndpoint.Async remote, WebSocketSession session, Executor executor) {
            this.remote = remote;
            this.controlFrames = new BlockingSink(session, executor);
        }

        @Override
        public boolean mayDropCompletion() {
            return true;
        }

        @Override
        public void write(WebSocketMessage<?> message, Consumer<@Nullable Throwable> done) {
            SendHandler handler = (result) -> done.accept(result.isOK() ? null : result.getException());
            try {
                if (message instanceof TextMessage text) {
                    this.remote.sendText(text.getPayload(), handler);
                }
                else if (message instanceof BinaryMessage binary) {
                    ByteBuffer payload = binary.getPayload().duplicate();
                    this.remote.sendBinary(payload, handler);
                }
                else {
                    // ping and pong: JSR-356 has no async variant
                    this.controlFrames.write(message, done);
                }
            }
            catch (RuntimeException ex) {
                done.accept(ex);
            }
        }

    }

    /** Writes with the session's blocking send on an executor. */
    final class BlockingSink implements MessageSink {

        private final WebSocketSession session;

        private final Executor executor;

        BlockingSink(WebSocketSession session, Executor executor) {
            this.session = session;
            this.executor = executor;
        }

        @Override
        public void write(WebSocketMessage<?> message, Consumer<@Nullable Throwable> done) {
            this.executor.execute(() -> {
                try {
                    this.session.sendMessage(replayable(message));
                }
                catch (Throwable ex) {
                    done.accept(ex);
                    return;
                }
                done.accept(null);
            });
        }

    }

}
