package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Drains the outbound queue into one session, one message at a time, on the shared
 * writer pool: the sender never waits for the network, and an idle connection holds no
 * thread. (Tomcat's client writes block the writing thread even through JSR-356's async
 * API, bounded by the send timeout.) Stays shut until {@link #open()}, so connect hooks
 * run first. A failed write puts its message back at the head of the queue and ends this
 * writer: the connection is dropped and the next connection's writer sends it again.
 * With a rate limit, a message that may not go yet goes back to the head of the queue and
 * the writer comes back when it may: it never waits on a thread.
 */
final class SessionWriter {

    private final WebSocketSession session;

    private final OutboundQueue queue;

    private final Executor executor;

    private final boolean inline;

    private final Consumer<OutboundQueue.Entry> onWritten;

    private final Consumer<Throwable> onFailure;

    private final AtomicBoolean writing = new AtomicBoolean();

    private volatile boolean open;

    private volatile boolean closed;

    private volatile OutboundQueue.@Nullable Entry inFlight;

    private final OutboundPacer pacer;

    private final EngineTime time;

    /** Completed once closed and no write runs any more. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /**
     * @param inline whether {@link #kick()} may drain on the calling (sending) thread
     */
    SessionWriter(WebSocketSession session, OutboundQueue queue, Executor executor, boolean inline,
            OutboundPacer pacer, EngineTime time, Consumer<OutboundQueue.Entry> onWritten,
            Consumer<Throwable> onFailure) {
        this.pacer = pacer;
        this.time = time;
        this.session = session;
        this.queue = queue;
        this.executor = executor;
        this.inline = inline;
        this.onWritten = onWritten;
        this.onFailure = onFailure;
    }

    /** Start writing: the backlog is drained on the pool, never on the opening thread. */
    void open() {
        this.open = true;
        if (acquire()) {
            this.executor.execute(this::drain);
        }
    }

    /** Stop taking messages from the queue; a write in flight still completes. */
    void close() {
        this.closed = true;
        if (this.writing.compareAndSet(false, true)) {
            this.stopped.complete(null);
        }
    }

    /**
     * Completes once this writer is closed and its last write is over (written, or
     * failed and back in the queue): the next writer may start without reordering.
     */
    CompletableFuture<Void> stopped() {
        return this.stopped;
    }

    /** Start draining if messages wait and no drain is running; called after a send. */
    void kick() {
        if (acquire()) {
            if (this.inline) {
                drain();
            }
            else {
                this.executor.execute(this::drain);
            }
        }
    }

    private boolean acquire() {
        return this.open && !this.closed && !this.queue.isEmpty() && this.writing.compareAndSet(false, true);
    }

    /** The future of the message being written, or {@code null}. */
    @Nullable CompletableFuture<Void> inFlightFuture() {
        OutboundQueue.Entry entry = this.inFlight;
        return (entry != null) ? entry.future() : null;
    }

    private void drain() {
        for (;;) {
            // past the lease, nothing more is written: the client goes on standby
            OutboundQueue.Entry entry = (this.closed || !this.queue.writable()) ? null : this.queue.poll();
            if (entry == null) {
                release();
                // a message queued after poll() but before the flag dropped must not wait
                if (this.closed || !this.queue.writable() || this.queue.isEmpty()
                        || !this.writing.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            long wait = this.pacer.tryAcquire(this.time.nanoTime());
            if (wait > 0) {
                this.queue.requeue(entry);
                release();
                this.time.schedule(Duration.ofNanos(wait), this::resume);
                return;
            }
            this.inFlight = entry;
            try {
                this.session.sendMessage(replayable(entry.message()));
            }
            catch (Throwable ex) {
                this.closed = true;
                this.queue.requeue(entry);
                this.inFlight = null;
                this.stopped.complete(null);
                this.onFailure.accept(ex);
                return;
            }
            this.inFlight = null;
            this.onWritten.accept(entry);
        }
    }

    /** Drop the writing flag; once closed, nothing will write again. */
    private void release() {
        this.writing.set(false);
        if (this.closed && this.writing.compareAndSet(false, true)) {
            this.stopped.complete(null);
        }
    }

    /** The rate limit allows the next write: drain on the pool. */
    private void resume() {
        if (acquire()) {
            this.executor.execute(this::drain);
        }
    }

    /** A binary payload is consumed by the write: send a view so a retry sends it all. */
    private static WebSocketMessage<?> replayable(WebSocketMessage<?> message) {
        if (message instanceof BinaryMessage binary) {
            return new BinaryMessage(binary.getPayload().duplicate(), binary.isLast());
        }
        return message;
    }

}
