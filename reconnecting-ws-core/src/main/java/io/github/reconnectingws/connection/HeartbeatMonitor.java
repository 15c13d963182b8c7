package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Detects half-open connections: sends a ping every {@code interval} and, if no frame of
 * any kind (pong or message) arrived within {@code timeout} after a ping, declares the
 * connection dead. Scheduled on the engine's timers; holds no thread.
 */
final class HeartbeatMonitor {

    private final EngineTime time;

    private final Duration interval;

    private final Duration timeout;

    private final LongSupplier lastActivity;

    private final Runnable sendPing;

    private final Runnable onTimeout;

    private volatile EngineTime.@Nullable Timer nextPing;

    private volatile EngineTime.@Nullable Timer check;

    private volatile boolean stopped;

    /**
     * @param lastActivity the {@link EngineTime#nanoTime()} of the last frame received
     */
    HeartbeatMonitor(EngineTime time, Duration interval, Duration timeout, LongSupplier lastActivity,
            Runnable sendPing, Runnable onTimeout) {
        this.time = time;
        this.interval = interval;
        this.timeout = timeout;
        this.lastActivity = lastActivity;
        this.sendPing = sendPing;
        this.onTimeout = onTimeout;
    }

    void start() {
        if (!this.interval.isZero() && !this.stopped) {
            // the first ping comes after half to one interval: connections opened together
            // (after a server restart, say) do not ping in lockstep ever after
            long intervalNanos = this.interval.toNanos();
            long firstNanos = intervalNanos / 2 + ThreadLocalRandom.current().nextLong(intervalNanos / 2 + 1);
            schedulePing(Duration.ofNanos(firstNanos));
        }
    }

    void stop() {
        this.stopped = true;
        cancel(this.nextPing);
        cancel(this.check);
    }

    private void schedulePing(Duration delay) {
        this.nextPing = this.time.schedule(delay, this::ping);
        if (this.stopped) {
            cancel(this.nextPing);
        }
    }

    private void ping() {
        if (this.stopped) {
            return;
        }
        schedulePing(this.interval);
        long sentAt = this.time.nanoTime();
        this.sendPing.run();
        EngineTime.Timer pending = this.check;
        // a pending check already covers an earlier ping: keep it, or a timeout longer
        // than the interval would never be checked
        if (pending == null || pending.isDone()) {
            this.check = this.time.schedule(this.timeout, () -> verify(sentAt));
        }
    }

    private void verify(long pingSentAt) {
        if (!this.stopped && this.lastActivity.getAsLong() - pingSentAt < 0) {
            stop();
            this.onTimeout.run();
        }
    }

    private static void cancel(EngineTime.@Nullable Timer timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

}
