package io.github.reconnectingws.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The timer of a {@link MockWebSocketServer}: its tickers ({@code tick}) and its delayed
 * faults ({@code goDown(Duration)}), on one daemon thread created on first use and ended
 * by {@link #shutdown()}. Thread-safe: its lock guards the thread and the tickers.
 */
final class ServerTimer {

    /** Guarded by {@code this}; created on first use. */
    private @Nullable ScheduledExecutorService scheduler;

    /** Guarded by {@code this}. */
    private final List<ScheduledFuture<?>> tickers = new ArrayList<>();

    /** Runs {@code task} every {@code interval} (at least 1 ms), the first time one interval from now. */
    synchronized void repeat(Duration interval, Runnable task) {
        long period = Math.max(1, interval.toMillis());
        this.tickers.add(scheduler().scheduleAtFixedRate(task, period, period, TimeUnit.MILLISECONDS));
    }

    /** Stops every task set with {@link #repeat}. */
    synchronized void stopRepeating() {
        this.tickers.forEach((ticker) -> ticker.cancel(false));
        this.tickers.clear();
    }

    /** Runs {@code task} once after {@code delay}. */
    void schedule(Duration delay, Runnable task) {
        scheduler().schedule(() -> {
            try {
                task.run();
            }
            catch (RuntimeException ex) {
                // the server was closed meanwhile
            }
        }, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Ends the thread, if it was created, and every task. */
    void shutdown() {
        ScheduledExecutorService timer;
        synchronized (this) {
            timer = this.scheduler;
        }
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private synchronized ScheduledExecutorService scheduler() {
        if (this.scheduler == null) {
            ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
                Thread thread = new Thread(runnable, "mock-websocket-server-timer");
                thread.setDaemon(true);
                return thread;
            });
            executor.setRemoveOnCancelPolicy(true);
            this.scheduler = executor;
        }
        return this.scheduler;
    }

}
