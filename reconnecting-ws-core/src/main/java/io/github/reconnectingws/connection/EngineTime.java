package io.github.reconnectingws.connection;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.springframework.scheduling.TaskScheduler;

/**
 * The engine's only source of time: a monotonic clock and one-shot timers. Every delay
 * (backoff, rate limit, heartbeat, connect and shutdown timeouts) goes through it, so tests
 * can run the engine in virtual time.
 */
interface EngineTime {

    /** The current time in nanoseconds, comparable only with other values of this clock. */
    long nanoTime();

    /** Run {@code task} once after {@code delay}. */
    Timer schedule(Duration delay, Runnable task);

    /** A scheduled task. */
    interface Timer {

        void cancel();

        boolean isDone();

    }

    /** Real time on a {@link TaskScheduler}. */
    static EngineTime on(TaskScheduler scheduler) {
        return new EngineTime() {

            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Timer schedule(Duration delay, Runnable task) {
                ScheduledFuture<?> future = scheduler.schedule(task, Instant.now().plus(delay));
                return new Timer() {

                    @Override
                    public void cancel() {
                        future.cancel(false);
                    }

                    @Override
                    public boolean isDone() {
                        return future.isDone();
                    }

                };
            }

        };
    }

}
