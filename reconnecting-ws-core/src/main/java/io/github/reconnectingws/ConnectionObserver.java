package io.github.reconnectingws;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Receives what happens on a {@link ReconnectingWebSocketClient}. All methods have empty
 * defaults. An exception thrown by an observer is logged and ignored.
 * <p>
 * Lifecycle callbacks ({@code onStateChanged}, {@code onConnected},
 * {@code onDisconnected}, {@code onReconnecting}, {@code onFailed},
 * {@code onConnectAttempt}) run one at a time, in order, per client, on a shared callback
 * pool, never on the threads that detect drops, reconnect and write: they may block, and
 * a callback that blocks delays only the later callbacks of its own client (and, for
 * {@code onConnected}, the flush of its backlog).
 * <p>
 * Message callbacks ({@code onMessageReceived}, {@code onMessageSent},
 * {@code onMessageDropped}, {@code onListenerError}, {@code onMessageFenced}, {@code onResumeDuplicate},
 * {@code onResumeGap}) run on the thread that received,
 * wrote or dropped the message, which may be shared with other connections: they must
 * be quick and must not block (counting, as the metrics do, is the intended use).
 */
public interface ConnectionObserver {

    /**
     * The client moved from one state to another.
     * @param client the client
     * @param from the previous state
     * @param to the new state
     */
    default void onStateChanged(ReconnectingWebSocketClient client, ConnectionState from, ConnectionState to) {
    }

    /**
     * A handshake attempt ended.
     * @param client the client
     * @param success whether the attempt connected
     */
    default void onConnectAttempt(ReconnectingWebSocketClient client, boolean success) {
    }

    /**
     * The connection is open. This is the connect hook: messages sent from this callback
     * go out before the messages queued while disconnected (re-subscribe first).
     * @param client the client
     * @param reconnect {@code false} for the first connect, {@code true} afterwards
     */
    default void onConnected(ReconnectingWebSocketClient client, boolean reconnect) {
    }

    /**
     * The connection is open; this variant also tells a planned rotation
     * ({@code max-connection-age}) from a reconnect: the new connection replaces one that
     * is still open, and takes over sends and deliveries once the connect hooks have run.
     * By default it calls {@link #onConnected(ReconnectingWebSocketClient, boolean)}.
     * @param client the client
     * @param reconnect {@code false} for the first connect, {@code true} afterwards
     * @param rotation whether this connection replaces one that is still open
     */
    default void onConnected(ReconnectingWebSocketClient client, boolean reconnect, boolean rotation) {
        onConnected(client, reconnect);
    }

    /**
     * An open connection dropped (or was dropped by the client, e.g. on heartbeat timeout).
     * @param client the client
     * @param status the close status, if a close frame was received or sent
     * @param cause the error that ended the connection, if any
     */
    default void onDisconnected(ReconnectingWebSocketClient client, @Nullable CloseStatus status,
            @Nullable Throwable cause) {
    }

    /**
     * The next attempt is scheduled.
     * @param client the client
     * @param attempt the number of the attempt, from 1 within one outage
     * @param delay the delay before the attempt
     * @param cause why the client reconnects (the drop or failed attempt), or a
     * {@link TooManyReconnectsException} when the rate limit postponed the attempt
     */
    default void onReconnecting(ReconnectingWebSocketClient client, int attempt, Duration delay,
            @Nullable Throwable cause) {
    }

    /**
     * The client gave up and is {@link ConnectionState#FAILED}.
     * @param client the client
     * @param cause the fatal error, or a {@link ConnectionFailedException} when the
     * backoff's maximum elapsed time was spent
     */
    default void onFailed(ReconnectingWebSocketClient client, Throwable cause) {
    }

    /**
     * A message arrived (before it is handed to the message handlers).
     * @param client the client
     * @param message the message
     */
    default void onMessageReceived(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
    }

    /**
     * A message was written.
     * @param client the client
     * @param message the message
     */
    default void onMessageSent(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
    }

    /**
     * An outbound message was rejected or discarded and will never be written.
     * @param client the client
     * @param message the message
     * @param reason why
     */
    default void onMessageDropped(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
            Throwable reason) {
    }

    /**
     * A message was dropped before the handlers: its numeric resume position is at or
     * below the last delivered one ({@code resume.deduplicate}).
     * @param client the client
     * @param message the message
     * @param position its position
     */
    default void onResumeDuplicate(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
            String position) {
    }

    /**
     * A numeric resume position jumped by more than 1: {@code missed} positions before it
     * never arrived. Called once the message was delivered.
     * @param client the client
     * @param position the position that arrived
     * @param missed how many positions are missing before it
     */
    default void onResumeGap(ReconnectingWebSocketClient client, String position, long missed) {
    }

    /**
     * A message handler threw, or a payload could not be converted.
     * @param client the client
     * @param message the message being handled
     * @param error the error
     */
    default void onListenerError(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
            Throwable error) {
    }

    /**
     * No message handler of the client takes the message (see
     * {@link InboundMessageHandler#handles}): e.g. a message type no
     * {@code @WebSocketListener} is routed to. Not an error.
     * @param client the client
     * @param message the message
     */
    default void onMessageUnhandled(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
    }

    /**
     * A message arrived after the client's {@link ConnectionLease} lapsed: it reaches no
     * observer and no handler, and its position is not recorded.
     * @param client the client
     * @param message the message
     */
    default void onMessageFenced(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
    }

}
