package io.github.reconnectingws;

/**
 * The life cycle of a {@link ReconnectingWebSocketClient}.
 *
 * <pre>
 * NEW ──start──▶ CONNECTING ──▶ CONNECTED ──drop──▶ RECONNECTING ──delay──▶ CONNECTING ...
 *                    │                                    │
 *                    └──────── fatal / gave up ──────────▶ FAILED
 * any ──stop/close──▶ CLOSED
 * </pre>
 *
 * The ordinal is exported as the {@code reconnecting.websocket.state} gauge, so the order
 * of the constants is part of the contract.
 */
public enum ConnectionState {

    /** Built but never started. */
    NEW,

    /** A handshake attempt is in progress. */
    CONNECTING,

    /** The connection is open and usable. */
    CONNECTED,

    /** The connection dropped (or an attempt failed); waiting for the next attempt. */
    RECONNECTING,

    /** Stopped or closed by the application; never reconnects by itself. */
    CLOSED,

    /** Gave up: a fatal error, or the backoff's maximum elapsed time was spent. */
    FAILED,

    /**
     * Another instance of the cluster holds the connection: this one makes no attempts
     * and refuses sends until it is granted the connection ({@code cluster.enabled}).
     */
    STANDBY

}
