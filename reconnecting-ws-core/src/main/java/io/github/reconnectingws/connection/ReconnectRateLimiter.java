package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayDeque;

/**
 * At most {@code maxReconnects} reconnect attempts within a sliding window, as the Go
 * reference's {@code MaxReconnectionsTotal} per {@code MaxReconnectionsTime}. Zero means
 * unlimited.
 */
final class ReconnectRateLimiter {

    private final int maxReconnects;

    private final long windowNanos;

    /** Times of the reconnects in the window; guarded by {@code this}. */
    private final ArrayDeque<Long> attempts = new ArrayDeque<>();

    ReconnectRateLimiter(int maxReconnects, Duration window) {
        this.maxReconnects = maxReconnects;
        this.windowNanos = window.toNanos();
    }

    /** Record a reconnect attempt made at {@code now}. */
    synchronized void record(long now) {
        if (this.maxReconnects > 0) {
            this.attempts.addLast(now);
            purge(now);
        }
    }

    /**
     * How long after {@code at} until an attempt is allowed.
     * @return zero when allowed at {@code at}, else the nanoseconds to wait
     */
    synchronized long delayUntilAllowed(long at) {
        if (this.maxReconnects <= 0) {
            return 0;
        }
        purge(at);
        if (this.attempts.size() < this.maxReconnects) {
            return 0;
        }
        // the attempt that has to leave the window for one more to fit
        long oldestThatMustExpire = this.attempts.toArray(new Long[0])[this.attempts.size() - this.maxReconnects];
        return Math.max(0, oldestThatMustExpire + this.windowNanos - at);
    }

    private void purge(long now) {
        while (!this.attempts.isEmpty() && now - this.attempts.peekFirst() >= this.windowNanos) {
            this.attempts.pollFirst();
        }
    }

}
