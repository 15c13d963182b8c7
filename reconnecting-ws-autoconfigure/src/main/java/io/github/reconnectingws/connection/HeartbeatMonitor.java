package io.github.reconnectingws.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Detects half-open connections: sends a ping every {@code interval} and, if no frame of
 * any kind (pong or message) arrived within {@code timeout} after a ping, declares the
 * connection dead. Scheduled on the shared scheduler; holds no thread.
 */
final class HeartbeatMonitor {

    private final TaskScheduler scheduler;

    private final Duration interval;

    private final Duration timeout;

    private final LongSupplier lastActivity;

    private final Runnable sendPing;

    private final Runnable onTimeout;

    private volatile @Nullable ScheduledFuture<?> pings;

    private volatile @Nullable ScheduledFuture<?> check;

    private volatile boolean stopped;

    /**
     * @param lastActivity the {@link System#nanoTime()} of the last frame received
     */
    HeartbeatMonitor(TaskScheduler scheduler, Duration interval, Duration timeout, LongSupplier lastActivity,
            Runnable sendPing, Runnable onTimeout) {
        this.scheduler = scheduler;
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
            this.pings = this.scheduler.scheduleAtFixedRate(this::ping, Instant.now().plusNanos(firstNanos),
                    this.interval);
        }
    }

    void stop() {
        this.stopped = true;
        cancel(this.pings);
        cancel(this.check);
    }

    private void ping() {
        if (this.stopped) {
            return;
        }
        long sentAt = System.nanoTime();
        this.sendPing.run();
        ScheduledFuture<?> pending = this.check;
        // a pending check already covers an earlier ping: keep it, or a timeout longer
        // than the interval would never be checked
        if (pending == null || pending.isDone()) {
            this.check = this.scheduler.schedule(() -> verify(sentAt), Instant.now().plus(this.timeout));
        }
    }

    private void verify(long pingSentAt) {
        if (!this.stopped && this.lastActivity.getAsLong() - pingSentAt < 0) {
            stop();
            this.onTimeout.run();
        }
    }

    private static void cancel(@Nullable ScheduledFuture<?> future) {
        if (future != null) {
            future.cancel(false);
        }
    }

}
