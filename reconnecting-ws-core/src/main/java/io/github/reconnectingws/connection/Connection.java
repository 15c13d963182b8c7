package io.github.reconnectingws.connection;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * An open connection of a {@link ConnectionStateMachine}: its session, the writer that
 * drains the outbound queue into it and the heartbeat that watches it. The machine's actor
 * is its only owner; the mutable fields are touched there alone.
 */
final class Connection {

    final AttemptHandler handler;

    final WebSocketSession session;

    final SessionWriter writer;

    final HeartbeatMonitor heartbeat;

    /** When it connected, in the engine's nanoseconds. */
    final long connectedAt;

    /** Whether this connection was opened to replace one that is still open. */
    final boolean rotation;

    /** How long the connection it replaces keeps delivering after the switch. Actor only. */
    Duration overlap = Duration.ZERO;

    /** When this connection is to be replaced (max-connection-age). Actor only. */
    EngineTime.@Nullable Timer rotationTimer;

    Connection(AttemptHandler handler, WebSocketSession session, SessionWriter writer, HeartbeatMonitor heartbeat,
            long connectedAt, boolean rotation) {
        this.handler = handler;
        this.session = session;
        this.writer = writer;
        this.heartbeat = heartbeat;
        this.connectedAt = connectedAt;
        this.rotation = rotation;
    }

}
