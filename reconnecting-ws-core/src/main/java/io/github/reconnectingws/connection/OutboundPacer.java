package io.github.reconnectingws.connection;

/**
 * Writes spaced evenly, {@code 1/limit} seconds apart, with no burst: whatever the sender
 * does, any one second holds at most {@code limit} writes (a second counted from one write
 * to the next, both included, {@code limit + 1}), so a server counting its own windows sees
 * the limit, give or take the network's jitter. One per client, shared by the writers of
 * its connections, so pacing holds across reconnects.
 */
final class OutboundPacer {

    /** Nanoseconds between two writes; 0 for no limit. */
    private final long spacing;

    /** Whether anything was written yet; guarded by {@code this}, as is {@link #next}. */
    private boolean started;

    /** The earliest time of the next write. */
    private long next;

    /**
     * @param limit writes per second; 0 for no limit
     */
    OutboundPacer(int limit) {
        // rounded up: never a write more than the limit in a second
        this.spacing = (limit > 0) ? (1_000_000_000L + limit - 1) / limit : 0;
    }

    /**
     * Take a write at {@code now}, or learn how long to wait for one.
     * @return 0 when the write may go now (it is counted), else the nanoseconds to wait
     */
    long tryAcquire(long now) {
        if (this.spacing == 0) {
            return 0;
        }
        synchronized (this) {
            if (this.started && now - this.next < 0) {
                return this.next - now;
            }
            this.started = true;
            this.next = now + this.spacing;
            return 0;
        }
    }

}
