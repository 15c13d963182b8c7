package io.github.reconnectingws;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * A WebSocket client connection that stays up by itself: it reconnects with exponential
 * backoff and jitter after every drop it did not ask for, queues outbound messages while
 * disconnected and flushes them in order after the connect hooks have run.
 * <p>
 * All methods are thread-safe and none blocks on the network, except {@link #stop()} and
 * {@link #close()}, which wait (bounded) for queued messages to be written, and
 * {@code send} when the client was built to write inline ({@code outbound.write-inline}).
 * <p>
 * Build one with {@code ReconnectingWebSocketClientBuilder}, or let the Spring Boot
 * auto-configuration create one per configured connection.
 */
public interface ReconnectingWebSocketClient extends AutoCloseable {

    /** The name of the default connection. */
    String DEFAULT_NAME = "default";

    /**
     * The position of the last message every listener has handled, with
     * {@code resume.position}: what the next handshake puts in place of
     * {@code {position}}.
     * @return the position, or empty when resuming is off or nothing was delivered yet
     */
    default Optional<String> getResumePosition() {
        return Optional.empty();
    }

    /**
     * The connection's name, {@code default} for the default connection.
     * @return the name, used as the {@code connection} tag of metrics
     */
    String getName();

    /**
     * The configured URL with user-info and query values masked: safe to log and show.
     * @return the masked URL
     */
    String getUrl();

    /**
     * The current state.
     * @return the state
     */
    ConnectionState getState();

    /**
     * When the current state was entered.
     * @return the instant of the last state transition
     */
    Instant getStateSince();

    /**
     * Whether the connection is open and usable right now.
     * @return {@code true} when {@link #getState()} is {@link ConnectionState#CONNECTED}
     */
    default boolean isConnected() {
        return getState() == ConnectionState.CONNECTED;
    }

    /**
     * Whether {@link #close()} was called: the client never connects again.
     * @return {@code true} once closed for good (a stopped client is {@link ConnectionState#CLOSED}
     * but not closed, and may be started again)
     */
    default boolean isClosed() {
        return false;
    }

    /**
     * Whether a (re)connect attempt would be allowed now by the reconnect rate limit
     * ({@code max-reconnects} per {@code max-reconnects-window}).
     * @return {@code false} while the rate limit refuses reconnects
     */
    boolean canConnect();

    /**
     * The number of successful reconnections (the first connect does not count).
     * @return the reconnect count since the client was built
     */
    long getReconnectCount();

    /**
     * The number of outbound messages accepted but not yet written.
     * @return the number of queued outbound messages
     */
    int getPendingCount();

    /**
     * A description of the last connection error (type and message, secrets masked).
     * @return the last error, or {@code null} if there was none
     */
    @Nullable String getLastError();

    /**
     * The WebSocket extensions agreed with the server for the current connection, e.g.
     * {@code permessage-deflate} when its messages are compressed.
     * @return the extension names; empty while not connected
     */
    default List<String> getExtensions() {
        return List.of();
    }

    /**
     * The text with every secret this client knows (its URL's user-info and query values,
     * header values, passwords) replaced by {@code ******}: safe to log and show.
     * @param text the text, e.g. a message from the server or a failure's message
     * @return the text, masked; empty for {@code null}
     */
    default String maskSecrets(@Nullable String text) {
        return (text != null) ? text : "";
    }

    /**
     * A failure described for a log line: the type and message of the failure and of its
     * root cause (a {@code CompletionException} or {@code ExecutionException} around it
     * left out), masked as {@link #maskSecrets} does.
     * @param failure the failure
     * @return for example {@code ConnectException: Connection refused}, or
     * {@code DataAccessResourceFailureException: ... (caused by SQLException: ...)}
     */
    default String describeFailure(Throwable failure) {
        Throwable outer = failure;
        while ((outer instanceof CompletionException || outer instanceof ExecutionException)
                && outer.getCause() != null) {
            outer = outer.getCause();
        }
        Throwable root = outer;
        for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        String description = outer.getClass().getSimpleName()
                + ((outer.getMessage() != null) ? ": " + outer.getMessage() : "");
        if (root != outer) {
            description += " (caused by " + root.getClass().getSimpleName()
                    + ((root.getMessage() != null) ? ": " + root.getMessage() : "") + ")";
        }
        return maskSecrets(description);
    }

    /**
     * Report that no listener took a message that arrived on this connection, for a
     * handler that dispatches further (STOMP frames to their destination's listeners):
     * observers are told as for a message that no handler takes
     * ({@link ConnectionObserver#onMessageUnhandled}, counted in
     * {@code reconnecting.websocket.messages.unhandled}).
     * @param message what no listener took, e.g. a STOMP frame's body
     */
    default void reportUnhandled(WebSocketMessage<?> message) {
    }

    /**
     * Send a text message.
     * @param text the text
     * @return a future completed when the message was written, or exceptionally when it
     * was rejected ({@link OutboundBufferFullException}, {@link ClientNotStartedException},
     * {@link ClientClosedException}) or can no longer be sent ({@link ConnectionFailedException})
     */
    CompletableFuture<Void> send(String text);

    /**
     * Send a binary message.
     * @param data the bytes; the array must not be changed afterwards
     * @return a future, as for {@link #send(String)}
     */
    CompletableFuture<Void> send(byte[] data);

    /**
     * Send a binary message.
     * @param data the bytes from position to limit; the buffer must not be changed
     * afterwards
     * @return a future, as for {@link #send(String)}
     */
    CompletableFuture<Void> send(ByteBuffer data);

    /**
     * Send a WebSocket message (text, binary, ping or pong).
     * @param message the message
     * @return a future, as for {@link #send(String)}
     */
    CompletableFuture<Void> send(WebSocketMessage<?> message);

    /**
     * Send a message that belongs to one session: a protocol's frame that means something
     * on that session alone, such as a STOMP SUBSCRIBE, ACK or NACK, which a broker refuses
     * on another. It is written on that session, in order with everything else sent, or not
     * at all: unlike {@link #send(WebSocketMessage)}, it is never written again on the next
     * connection. During a replacement ({@code max-connection-age}), a message for the new
     * session waits, with what was sent after it, until the client has switched to it.
     * @param message the message
     * @param session the session it belongs to, as a {@link ConnectionInitializer} or an
     * {@link InboundMessageHandler} was given it
     * @return a future, as for {@link #send(String)}; completed exceptionally with
     * {@link SessionEndedException} when that session is not, or is no longer, open on this
     * client when the message would be written
     */
    CompletableFuture<Void> send(WebSocketMessage<?> message, WebSocketSession session);

    /**
     * Send an object: a {@code String}, {@code byte[]}, {@code ByteBuffer} or
     * {@code WebSocketMessage} as such, anything else encoded by the client's payload
     * encoder (JSON when Jackson is configured).
     * @param payload the payload
     * @return a future, as for {@link #send(String)}; completed exceptionally with
     * {@link IllegalArgumentException} when the payload cannot be encoded
     */
    CompletableFuture<Void> send(Object payload);

    /**
     * Start connecting. Does nothing when already started. A client that was stopped or
     * that failed may be started again.
     * @return a future completed when the first attempt has connected, or exceptionally
     * with the first attempt's failure (the client keeps retrying unless the failure is
     * fatal, in which case its state is {@link ConnectionState#FAILED})
     * @throws ClientClosedException if the client was closed
     */
    CompletableFuture<Void> start();

    /**
     * Start connecting, holding the connection only while {@code lease} is valid: a
     * cluster gives each connection it assigns to this instance a lease. Once the lease
     * is no longer valid, an inbound message is dropped (reported to
     * {@link ConnectionObserver#onMessageFenced}) instead of reaching observers and
     * handlers, no queued message is written, {@code send} fails with
     * {@link ConnectionStandbyException}, and the client goes to
     * {@link ConnectionState#STANDBY}. {@link #start()} holds it without a lease.
     * @param lease asked before every delivery and write, from any thread: must be cheap
     * @return as for {@link #start()}
     * @throws ClientClosedException if the client was closed
     */
    CompletableFuture<Void> start(ConnectionLease lease);

    /**
     * Drop the current connection (if any) and connect again now, without waiting for
     * the backoff delay.
     * @throws TooManyReconnectsException if the reconnect rate limit refuses it
     * @throws ClientNotStartedException if the client is not started
     */
    void reconnect();

    /**
     * Stop gracefully: flush queued messages (bounded by the shutdown timeout), close
     * with 1001 (going away) and do not reconnect. The client may be started again.
     */
    void stop();

    /**
     * Like {@link #stop()}, without waiting.
     * @return a future completed when the client is {@link ConnectionState#CLOSED}
     */
    CompletableFuture<Void> stopAsync();

    /**
     * Give the connection up to another instance of the cluster: close it with 1001 (going
     * away) without flushing, fail what is queued with {@link ConnectionStandbyException},
     * and wait in {@link ConnectionState#STANDBY}, making no attempts and refusing sends
     * at once, until {@link #start()}.
     * @return a future completed when the client is on standby
     */
    CompletableFuture<Void> standby();

    /**
     * Stop gracefully and release the client's resources for good. Closing a closed
     * client does nothing.
     */
    @Override
    void close();

    /**
     * Observe the connection: state changes, connects (the place for re-subscribe
     * hooks), drops, messages.
     * @param observer the observer
     */
    void addObserver(ConnectionObserver observer);

    /**
     * Stop observing the connection.
     * @param observer an observer added before
     */
    void removeObserver(ConnectionObserver observer);

    /**
     * Add a handler for inbound messages. Every handler receives every message, in
     * arrival order; an exception from one handler is logged, counted and does not
     * affect the other handlers or the connection.
     * @param handler the handler
     */
    void addMessageHandler(InboundMessageHandler handler);

}
