package io.github.reconnectingws.sample.feed;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;

/**
 * The feed server's fault switches. Each one breaks the feed the way real servers and
 * networks break, so that the reconnecting clients have something to recover from:
 * <ul>
 * <li>{@link #drop()}: close every feed connection (close frame 1001, going away);</li>
 * <li>{@link #down(Duration)}: drop every connection and answer handshakes with 503 for a
 * while;</li>
 * <li>{@link #reject(int)}: drop every connection and answer handshakes with a status
 * until {@link #restore()} (401 is fatal: the clients give up);</li>
 * <li>{@link #silence()}: the relay in front of the feed stops moving bytes, sockets stay
 * open: a half-open connection only the heartbeat can detect;</li>
 * <li>{@link #restore()}: undo all of the above.</li>
 * </ul>
 */
@Component
public class FeedFaults {

    /**
     * Close status of a dropped feed connection: 1001, as a server going down sends.
     * (1012, service restart, is not in RFC 6455: Tomcat's client reads it as 1002.)
     */
    public static final CloseStatus DROPPED = CloseStatus.GOING_AWAY.withReason("dropped by fault switch");

    private static final Log logger = LogFactory.getLog(FeedFaults.class);

    private final FeedRelay relay;

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

    private volatile @Nullable Instant downUntil;

    private volatile int rejectStatus;

    public FeedFaults(FeedRelay relay) {
        this.relay = relay;
    }

    /**
     * Close every open feed connection.
     * @return the number of connections closed
     */
    public int drop() {
        int count = 0;
        for (WebSocketSession session : this.sessions) {
            try {
                session.close(DROPPED);
                count++;
            }
            catch (Exception ex) {
                // closing anyway
            }
            this.sessions.remove(session);
        }
        logger.info("Fault: dropped " + count + " feed connection(s)");
        return count;
    }

    /**
     * Drop every connection and answer handshakes with 503 for a while.
     * @param duration how long the feed stays down
     */
    public void down(Duration duration) {
        this.downUntil = Instant.now().plus(duration);
        logger.info("Fault: feed down for " + duration.toSeconds() + " s (handshakes answered with 503)");
        drop();
    }

    /**
     * Drop every connection and answer handshakes with a status until restored.
     * @param status an HTTP error status, 400 to 599
     */
    public void reject(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be 400 to 599, not " + status);
        }
        this.rejectStatus = status;
        logger.info("Fault: rejecting handshakes with " + status);
        drop();
    }

    /** Stop every byte between the clients and the feed; keep the connections open. */
    public void silence() {
        this.relay.stall();
        logger.info("Fault: feed silent (" + this.relay.getConnectionCount()
                + " connection(s) held open, nothing moves)");
    }

    /** Undo every fault. */
    public void restore() {
        this.downUntil = null;
        this.rejectStatus = 0;
        this.relay.resume();
        logger.info("Fault: all switches off, feed restored");
    }

    /**
     * The status a handshake gets now instead of the upgrade.
     * @return the status, or {@code null} to accept the handshake
     */
    public @Nullable HttpStatus handshakeRejection() {
        if (this.rejectStatus != 0) {
            return HttpStatus.valueOf(this.rejectStatus);
        }
        Instant until = this.downUntil;
        return (until != null && Instant.now().isBefore(until)) ? HttpStatus.SERVICE_UNAVAILABLE : null;
    }

    /** Whether the feed sends nothing right now. */
    public boolean isSilent() {
        return this.relay.isStalled();
    }

    /** A snapshot of the switches, for the status page. */
    public Snapshot snapshot() {
        Instant until = this.downUntil;
        Instant now = Instant.now();
        long downSeconds = (until != null && now.isBefore(until)) ? Duration.between(now, until).toSeconds() + 1 : 0;
        return new Snapshot(downSeconds, this.rejectStatus, this.relay.isStalled(), this.sessions.size(),
                this.relay.getPort());
    }

    void opened(WebSocketSession session) {
        this.sessions.add(session);
    }

    void closed(WebSocketSession session) {
        this.sessions.remove(session);
    }

    /**
     * The fault switches.
     * @param downSeconds seconds the feed stays down, 0 when up
     * @param rejectStatus the status handshakes are rejected with, 0 when accepted
     * @param silent whether the relay is stalled
     * @param connections open feed connections
     * @param port the port clients reach the feed at (the relay)
     */
    public record Snapshot(long downSeconds, int rejectStatus, boolean silent, int connections, int port) {
    }

}
