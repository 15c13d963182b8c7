package io.github.reconnectingws.connection;

/**
 * At most {@code limit} writes in any one second: the times of the last {@code limit}
 * writes, in a ring. One per client, shared by the writers of its connections, so pacing
 * holds across reconnects.
 */
final class OutboundPacer {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    /** Times of the last writes, a ring; guarded by {@code this}, like {@link #next} and {@link #count}. */
    private final long[] writes;

    /** Guarded by {@code this}. */
    private int next;

    /** Guarded by {@code this}. */
    private long count;

    /**
     * @param limit writes per second; 0 for no limit
     */
    OutboundPacer(int limit) {
        this.writes = new long[limit];
    }

    /**
     * Take a write at {@code now}, or learn how long to wait for one.
     * @return 0 when the write may go now (it is counted), else the nanoseconds to wait
     */
    synchronized long tryAcquire(long now) {
        if (this.writes.length == 0) {
            return 0;
        }
        if (this.count >= this.writes.length) {
            long wait = this.writes[this.next] + WINDOW_NANOS - now;
            if (wait > 0) {
                return wait;
            }
        }
        this.writes[this.next] = now;
        this.next = (this.next + 1) % this.writes.length;
        this.count++;
        return 0;
    }

}
