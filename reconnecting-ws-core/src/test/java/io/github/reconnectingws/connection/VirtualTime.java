package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Virtual time for the engine: timers fire only when the test advances the clock, in due
 * order, on the test's thread. With {@link #executor()} as every pool, the engine runs
 * deterministically, in milliseconds, without a network.
 */
final class VirtualTime implements EngineTime {

    private final PriorityQueue<Task> tasks = new PriorityQueue<>();

    private final Queue<Runnable> writes = new ArrayDeque<>();

    private long now = 1_000_000_000L;

    private long sequence;

    private boolean holdWrites;

    @Override
    public long nanoTime() {
        return this.now;
    }

    @Override
    public Timer schedule(Duration delay, Runnable runnable) {
        Task task = new Task(this.now + delay.toNanos(), this.sequence++, runnable);
        this.tasks.add(task);
        return task;
    }

    /** Move the clock forward, running every timer that falls due, in order. */
    void advance(Duration duration) {
        long target = this.now + duration.toNanos();
        for (Task next = this.tasks.peek(); next != null && next.due <= target; next = this.tasks.peek()) {
            this.tasks.poll();
            this.now = Math.max(this.now, next.due);
            if (!next.cancelled) {
                next.done = true;
                next.runnable.run();
            }
        }
        this.now = target;
    }

    /** Milliseconds since the start. */
    long millis() {
        return Duration.ofNanos(this.now - 1_000_000_000L).toMillis();
    }

    /** Runs tasks at once, on the calling thread. */
    Executor executor() {
        return Runnable::run;
    }

    /** Runs writes at once, or holds them until {@link #releaseWrites()} while held. */
    Executor writers() {
        return (write) -> {
            if (this.holdWrites) {
                this.writes.add(write);
            }
            else {
                write.run();
            }
        };
    }

    void holdWrites() {
        this.holdWrites = true;
    }

    void releaseWrites() {
        this.holdWrites = false;
        for (Runnable write = this.writes.poll(); write != null; write = this.writes.poll()) {
            write.run();
        }
    }

    /**
     * @param listening whether the scripted server accepts TCP connections
     */
    WebSocketClientResources resources(java.util.function.BooleanSupplier listening) {
        return resources((origin) -> listening.getAsBoolean());
    }

    /**
     * @param listening whether the scripted endpoint at an origin accepts TCP connections
     */
    WebSocketClientResources resources(java.util.function.Predicate<Origin> listening) {
        return new WebSocketClientResources(this, executor(), writers(), listening);
    }

    private static final class Task implements Timer, Comparable<Task> {

        final long due;

        final long sequence;

        final Runnable runnable;

        boolean cancelled;

        boolean done;

        Task(long due, long sequence, Runnable runnable) {
            this.due = due;
            this.sequence = sequence;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            this.cancelled = true;
        }

        @Override
        public boolean isDone() {
            return this.done || this.cancelled;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(this.due, other.due);
            return (byDue != 0) ? byDue : Long.compare(this.sequence, other.sequence);
        }

    }

}
