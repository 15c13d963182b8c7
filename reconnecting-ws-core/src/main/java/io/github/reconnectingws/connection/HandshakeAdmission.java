package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * The handshake budget of each endpoint, shared by every connection of one
 * {@link WebSocketClientResources}: at most {@link #HANDSHAKES_PER_SECOND} upgrade requests
 * per second to one origin, after a burst of {@link #BURST}. A handshake over the budget
 * is not refused but given a later slot, so that a server restarted under thousands of
 * clients meets a steady rate rather than their retries all at once. A handshake that
 * found nothing listening (connection refused) cost the server nothing: its slot is given
 * back, so that the retries of a restart that hit the closed port do not hold back those
 * that come when it listens again.
 * <p>
 * {@link WebSocketClientResources} keeps two: one admits attempts (a later slot holds no
 * thread, and an attempt stopped meanwhile is never sent); the other, through
 * {@link #atSend}, admits the connect tasks once more when they start on a connect
 * thread, which is when the upgrade request goes out. Admitted attempts queue for the
 * connect threads while the server is slow, and a queue that then drained at once would
 * reach the server faster than the budget. Both run at the same rate, so a steady stream
 * within the budget passes both.
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

    /**
     * Connect tasks to {@code origin} that start only within this budget: one that may
     * not start yet gives its slot and its connect thread back, and is submitted again
     * when its turn comes.
     * @param connectThreads where connect tasks run
     * @param origin the origin every task connects to
     * @param time the engine's clock
     * @return the executor for one connection's connect tasks
     */
    Executor atSend(Executor connectThreads, Origin origin, EngineTime time) {
        return (task) -> connectThreads.execute(new Runnable() {
            @Override
            public void run() {
                long wait = admit(origin, time.nanoTime());
                if (wait > 0) {
                    refund(origin, time.nanoTime());
                    time.schedule(Duration.ofNanos(wait), () -> connectThreads.execute(this));
                    return;
                }
                task.run();
            }
        });
    }

    /** Give back a slot of {@code origin}: its handshake never reached a server. */
    synchronized void refund(Origin origin, long now) {
        Long due = this.due.get(origin);
        if (due != null && due - now > 0) {
            this.due.put(origin, Math.max(now, due - SPACING));
        }
    }

}
