package io.github.reconnectingws.connection;

import java.util.HashMap;
import java.util.Map;

/**
 * The handshake budget of each endpoint, shared by every connection of one
 * {@link WebSocketClientResources}: at most {@link #HANDSHAKES_PER_SECOND} upgrade requests
 * per second to one origin, after a burst of {@link #BURST}. A handshake over the budget
 * is not refused but given a later slot, so that a server restarted under thousands of
 * clients meets a steady rate rather than their retries all at once. A handshake that
 * found nothing listening (connection refused) cost the server nothing: its slot is given
 * back, so that the retries of a restart that hit the closed port do not hold back those
 * that come when it listens again.
 */
final class HandshakeAdmission {

    /** Upgrade requests per second one origin is sent, the steady rate. */
    static final int HANDSHAKES_PER_SECOND = 1000;

    /** Upgrade requests one origin may be sent at once before the rate applies. */
    static final int BURST = 50;

    private static final long SPACING = 1_000_000_000L / HANDSHAKES_PER_SECOND;

    private static final long TOLERANCE = (BURST - 1) * SPACING;

    /** When each origin's next slot is due, steady rate; guarded by {@code this}. */
    private final Map<Origin, Long> due = new HashMap<>();

    /**
     * Take the next slot for a handshake to {@code origin}.
     * @return the nanoseconds to wait before sending it; 0 to send it now
     */
    synchronized long admit(Origin origin, long now) {
        Long previous = this.due.get(origin);
        long due = (previous == null || previous - now < 0) ? now : previous;
        this.due.put(origin, due + SPACING);
        if (this.due.size() > 1024) {
            // origins whose slots are all in the past hold no budget: forget them
            this.due.values().removeIf((next) -> next - now < 0);
        }
        return Math.max(0, due - TOLERANCE - now);
    }

    /** Give back a slot of {@code origin}: its handshake never reached a server. */
    synchronized void refund(Origin origin, long now) {
        Long due = this.due.get(origin);
        if (due != null && due - now > 0) {
            this.due.put(origin, Math.max(now, due - SPACING));
        }
    }

}
