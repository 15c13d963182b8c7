package io.github.reconnectingws.connection;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Drains the outbound queue into one session, one write at a time, with no thread held
 * between writes. Stays shut until {@link #open()} (connect hooks run first). A failed
 * write puts its message back at the head of the queue and ends this writer: the
 * connection is dropped and the next connection's writer sends the message again.
 * <p>
 * A write may never report back: Tomcat queues a message behind a close frame in progress
 * and, once the close frame is out, discards the queued message without invoking its
 * handler. {@link #close()} therefore takes back a write still in flight and re-queues it;
 * a completion that arrives later for it is ignored (the message may then be sent twice,
 * never lost).
 */
final class SessionWriter {

    private static final int PENDING = 0;

    private static final int CALLER_RETURNED = 1;

    private static final int COMPLETED_INLINE = 2;

    private final OutboundQueue queue;

    private final MessageSink sink;

    private final Consumer<OutboundQueue.Entry> onWritten;

    private final Consumer<Throwable> onFailure;

    private final AtomicBoolean writing = new AtomicBoolean();

    private volatile boolean open;

    private volatile boolean closed;

    private final AtomicReference<OutboundQueue.@Nullable Entry> inFlight = new AtomicReference<>();

    SessionWriter(OutboundQueue queue, MessageSink sink, Consumer<OutboundQueue.Entry> onWritten,
            Consumer<Throwable> onFailure) {
        this.queue = queue;
        this.sink = sink;
        this.onWritten = onWritten;
        this.onFailure = onFailure;
    }

    /** Start writing. */
    void open() {
        this.open = true;
        kick();
    }

    /**
     * Stop taking messages from the queue. A write still in flight is put back at the head
     * of the queue: its completion may never come (see above).
     */
    void close() {
        this.closed = true;
        OutboundQueue.Entry unfinished = this.inFlight.getAndSet(null);
        if (unfinished != null) {
            this.queue.requeue(unfinished);
        }
    }

    /** Start draining if messages wait and no write is in flight. */
    void kick() {
        if (this.open && !this.closed && !this.queue.isEmpty() && this.writing.compareAndSet(false, true)) {
            drain();
        }
    }

    /** The future of the message being written, or {@code null}. */
    @Nullable CompletableFuture<Void> inFlightFuture() {
        OutboundQueue.Entry entry = this.inFlight.get();
        return (entry != null) ? entry.future() : null;
    }

    private void drain() {
        for (;;) {
            OutboundQueue.Entry entry = this.closed ? null : this.queue.poll();
            if (entry == null) {
                this.writing.set(false);
                // a message queued after poll() but before the flag dropped must not wait
                if (this.closed || this.queue.isEmpty() || !this.writing.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            this.inFlight.set(entry);
            // Trampoline: a transport may complete a write on the calling thread; loop
            // instead of recursing so long bursts cannot overflow the stack.
            AtomicInteger completion = new AtomicInteger(PENDING);
            this.sink.write(entry.message(), (error) -> {
                if (!this.inFlight.compareAndSet(entry, null)) {
                    // close() took the entry back and re-queued it
                    return;
                }
                if (error != null) {
                    this.closed = true;
                    this.queue.requeue(entry);
                    this.onFailure.accept(error);
                    return;
                }
                this.onWritten.accept(entry);
                if (!completion.compareAndSet(PENDING, COMPLETED_INLINE)) {
                    drain();
                }
            });
            if (completion.compareAndSet(PENDING, CALLER_RETURNED)) {
                return;
            }
            if (this.closed) {
                return;
            }
        }
    }

}
