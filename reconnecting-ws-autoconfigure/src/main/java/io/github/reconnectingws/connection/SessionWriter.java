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
 * A write may never report back: Tomcat queues a message behind a frame in progress (a
 * close frame, say) and returns; once a close frame is out, it discards the queued message
 * without invoking its handler. So a write that the transport took but has not completed
 * when this writer closes ({@link MessageSink#mayDropCompletion()}) is taken back and
 * re-queued, and a completion that arrives later for it is ignored: such a message may be
 * sent twice, never lost. A write still running on a thread when the writer closes always
 * reports back, and is left to do so.
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

    private final AtomicReference<@Nullable Write> inFlight = new AtomicReference<>();

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
     * Stop taking messages from the queue. A write in flight still completes, unless the
     * transport queued it and may never complete it: that one goes back to the queue.
     */
    void close() {
        this.closed = true;
        Write write = this.inFlight.get();
        if (write != null && write.state.get() == CALLER_RETURNED) {
            takeBack(write);
        }
    }

    private void takeBack(Write write) {
        if (this.sink.mayDropCompletion() && this.inFlight.compareAndSet(write, null)) {
            this.queue.requeue(write.entry);
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
        Write write = this.inFlight.get();
        return (write != null) ? write.entry.future() : null;
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
            Write write = new Write(entry);
            this.inFlight.set(write);
            // Trampoline: a transport may complete a write on the calling thread; loop
            // instead of recursing so long bursts cannot overflow the stack.
            AtomicInteger completion = write.state;
            this.sink.write(entry.message(), (error) -> {
                if (!this.inFlight.compareAndSet(write, null)) {
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
                // the transport took the write and completes it later; if close() ran
                // meanwhile, it could not see that yet
                if (this.closed) {
                    takeBack(write);
                }
                return;
            }
            if (this.closed) {
                return;
            }
        }
    }

    /** A write handed to the sink: its entry and whether the sink call has returned. */
    private static final class Write {

        final OutboundQueue.Entry entry;

        final AtomicInteger state = new AtomicInteger(PENDING);

        Write(OutboundQueue.Entry entry) {
            this.entry = entry;
        }

    }

}
