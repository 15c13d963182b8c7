package io.github.reconnectingws.connection;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.github.reconnectingws.SessionEndedException;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes the outbound queue into one session, one message at a time and in order.
 * <p>
 * A send that finds the writer idle writes its message on the sending thread: no thread
 * hand-off, so a request/response round trip costs what it costs with the raw client.
 * Tomcat's client write returns once the frame is in the socket's send buffer, and waits
 * only when that buffer is full: so the sending thread writes a message only if, with it,
 * at most {@link #WINDOW} bytes are unconfirmed, which no socket's buffers fill (bytes as
 * counted by {@link #size}: characters of a text, bytes of a binary, plus a frame's
 * header). Bytes are confirmed by a pong: at {@link #PROBE} unconfirmed bytes, the writer
 * sends a ping carrying the count of bytes written before it, and the server's pong
 * (which it writes after reading everything before the ping) confirms them. Anything else
 * (messages queued behind a write, a server that has not confirmed the window, a rate
 * limit that says wait) is written by the shared writer pool, whose threads may wait for
 * the network: the sender never does. With {@code write-inline}, the sending thread writes
 * whatever is queued whenever the writer is idle, window or not. Whoever writes completes
 * the futures of what it wrote, so their callbacks run on that thread.
 * <p>
 * Stays shut until {@link #open()}, so connect hooks run first. A failed write puts its
 * message back at the head of the queue and ends this writer: the connection is dropped
 * and the next connection's writer sends it again. A message sent for one session (its
 * entry's {@code owner}) is written by that session's writer alone: once that writer has
 * ended, it fails with {@link SessionEndedException}; during a replacement, the old writer
 * parks behind one for the new session until the switch. With a rate limit, a message that may
 * not go yet goes back to the head of the queue and the writer comes back when it may.
 * <p>
 * Threads: whoever holds {@link #writing} (a sender for its send, or a pool thread)
 * writes and owns {@link #written} and {@link #probedAt}, and so, once the writer has
 * stopped for good, does the probe of {@link #confirmAll}; the reading thread sets
 * {@link #confirmed} (and reads {@code probedAt}).
 */
final class SessionWriter {

    /**
     * The bytes that may be written on a sending thread without the server's pong: less
     * than a TCP connection buffers from the start (a 16 KiB send buffer and a 64 KiB
     * receive window), so that such a write never finds the send buffer full; four 16 KiB
     * messages with their frame headers fit.
     */
    static final long WINDOW = 72 * 1024;

    /**
     * The unconfirmed bytes at which the writer asks the server to confirm what it read,
     * one probe at a time: more often costs a pong (a wake-up of the reading thread) per
     * few large messages.
     */
    static final long PROBE = WINDOW / 2;

    /** How long a probe may go unanswered (a server may answer only the latest of several pings) before the next. */
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private static final long PROBE_TIMEOUT_NANOS = PROBE_TIMEOUT.toNanos();

    /** The most messages a sending thread writes in one send (its own and those queued before it). */
    static final int INLINE_BATCH = 64;

    /** The largest header of a client's frame: 2 bytes, 8 of extended length, 4 of mask. */
    static final int FRAME_HEADER = 14;

    private final WebSocketSession session;

    private final OutboundQueue queue;

    private final Executor executor;

    private final String connectionName;

    private final boolean inline;

    private final Consumer<OutboundQueue.Entry> onWritten;

    private final Consumer<Throwable> onFailure;

    private final AtomicBoolean writing = new AtomicBoolean();

    private volatile boolean open;

    private volatile boolean closed;

    private volatile OutboundQueue.@Nullable Entry inFlight;

    private final OutboundPacer pacer;

    private final EngineTime time;

    /**
     * Whether the writer let go because the head of the queue belongs to the session that
     * replaces this one; guarded by {@link #writing}.
     */
    private boolean parked;

    /** Bytes written by this writer, as {@link #size} counts them; guarded by {@link #writing}. */
    private long written;

    /** When the last probing ping went out, in the engine's nanoseconds; guarded by {@link #writing}. */
    private long probeSentAt;

    /**
     * {@link #written} when the last probing ping went out; written by the flag holder,
     * read by the reading thread to tell its pong from one the server sent unasked.
     */
    private volatile long probedAt;

    /** Bytes the server has read, as its last pong says. */
    private volatile long confirmed;

    /** Completed once closed and no write runs any more. */
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    /** What {@link #confirmAll} waits for, or {@code null}. */
    private volatile @Nullable Confirmation awaited;

    /**
     * @param inline whether a sending thread writes whatever is queued, past the window
     * and the batch bound too
     */
    SessionWriter(String connectionName, WebSocketSession session, OutboundQueue queue, Executor executor,
            boolean inline, OutboundPacer pacer, EngineTime time, Consumer<OutboundQueue.Entry> onWritten,
            Consumer<Throwable> onFailure) {
        this.connectionName = connectionName;
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
        wake();
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

    /**
     * Write what the sender just queued, on its thread if the writer is idle and the
     * window allows, else on the pool; called after a send.
     */
    void kick() {
        if (acquire()) {
            writeQueued(true);
        }
    }

    /**
     * The server's pong: the payload of a probing ping confirms the bytes before it. A
     * pong whose count is above the last probe's, or not a count (a heartbeat's), confirms
     * nothing.
     */
    void pong(ByteBuffer payload) {
        if (payload.remaining() == Long.BYTES) {
            long upTo = payload.getLong(payload.position());
            if (upTo > this.confirmed && upTo <= this.probedAt) {
                this.confirmed = upTo;
                Confirmation waiting = this.awaited;
                if (waiting != null && upTo >= waiting.upTo()) {
                    waiting.done().complete(null);
                }
            }
        }
    }

    /**
     * Once {@link #stopped()}: have the server confirm that it has read everything this
     * writer wrote, so that what another session of the same server writes next cannot
     * overtake it there (a server reads each connection on its own). A probe on the
     * writer pool; completes on its pong, after {@code limit} (a server that does not
     * answer pings), or at once if the server has confirmed everything already or the
     * probe cannot be written.
     */
    CompletableFuture<Void> confirmAll(Duration limit) {
        long upTo = this.written;
        if (upTo <= this.confirmed) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        this.awaited = new Confirmation(upTo, done);
        if (this.confirmed >= upTo) {
            // the pong of the writer's own last probe came before the wait was visible
            done.complete(null);
            return done;
        }
        EngineTime.Timer timer = this.time.schedule(limit, () -> done.complete(null));
        done.whenComplete((ok, error) -> timer.cancel());
        this.executor.execute(() -> {
            // the writer has stopped for good: this thread may use its probe fields
            this.probedAt = upTo;
            try {
                this.session.sendMessage(probe(upTo));
            }
            catch (Throwable ex) {
                done.complete(null);
            }
        });
        return done;
    }

    private boolean acquire() {
        // a read before the compare-and-set: a sender that finds the writer busy does not contend for its flag
        return this.open && !this.closed && !this.queue.isEmpty() && !this.writing.get()
                && this.writing.compareAndSet(false, true);
    }

    /** The future of the message being written, or {@code null}. */
    @Nullable CompletableFuture<Void> inFlightFuture() {
        OutboundQueue.Entry entry = this.inFlight;
        return (entry != null) ? entry.future() : null;
    }

    /** On the pool, holding the flag: everything queued. */
    private void drain() {
        writeQueued(false);
    }

    /**
     * Holding the flag, write what is queued. On the sending thread: the sender's message
     * and what was queued with it, at most {@link #INLINE_BATCH} and within the window; the
     * pool takes over past either.
     */
    private void writeQueued(boolean sendingThread) {
        for (int count = 0;; count++) {
            OutboundQueue.Entry entry = next();
            if (entry == null) {
                if (this.parked) {
                    release();
                    return;
                }
                if (releaseAndRecheck()) {
                    continue;
                }
                return;
            }
            long size = size(entry.message());
            if (sendingThread && !this.inline
                    && (count >= INLINE_BATCH || this.written - this.confirmed + size > WINDOW)) {
                // a write now could wait for the network (or the sender would do too much of others' work)
                this.queue.requeue(entry);
                this.executor.execute(this::drain);
                return;
            }
            long wait = this.pacer.tryAcquire(this.time.nanoTime());
            if (wait > 0) {
                // the writer lets go and comes back when the rate limit allows
                this.queue.requeue(entry);
                release();
                this.time.schedule(Duration.ofNanos(wait), this::wake);
                return;
            }
            if (!write(entry, size)) {
                return;
            }
        }
    }

    /**
     * The next entry; {@code null} when there is none: closed, past the lease, empty, or
     * {@link #parked} behind a message of the session that replaces this one.
     */
    private OutboundQueue.@Nullable Entry next() {
        this.parked = false;
        // past the lease, nothing more is written: the client goes on standby
        if (this.closed || !this.queue.writable()) {
            return null;
        }
        for (;;) {
            OutboundQueue.Entry entry = this.queue.poll();
            if (entry != null && this.closed) {
                // closed while polling: what the actor prepended after closing is the next writer's
                this.queue.requeue(entry);
                return null;
            }
            SessionWriter owner = (entry != null) ? entry.owner() : null;
            if (owner == null || owner == this) {
                return entry;
            }
            if (!owner.closed) {
                // it belongs to the session replacing this one: it, and what was sent after it,
                // wait for the switch to that session's writer
                this.queue.requeue(entry);
                this.parked = true;
                return null;
            }
            // its session ended before it was written: it means nothing on another one
            this.queue.fail(entry, new SessionEndedException(this.connectionName));
        }
    }

    /**
     * What a message counts against the window: its characters (a text's UTF-8 bytes,
     * counted without encoding it again: one per character for ASCII, which JSON mostly
     * is) or bytes, and a frame's header.
     */
    static long size(WebSocketMessage<?> message) {
        Object payload = message.getPayload();
        long length = (payload instanceof CharSequence text) ? text.length()
                : (payload instanceof ByteBuffer buffer) ? buffer.remaining() : message.getPayloadLength();
        return length + FRAME_HEADER;
    }

    /**
     * Write one entry and report it; at {@link #PROBE} unconfirmed bytes, probe with a
     * ping unless one is unanswered (for less than {@link #PROBE_TIMEOUT}).
     * @return whether the writer goes on; if not, it is over
     */
    private boolean write(OutboundQueue.Entry entry, long size) {
        WebSocketMessage<?> message = entry.message();
        this.inFlight = entry;
        try {
            this.session.sendMessage(replayable(message));
        }
        catch (Throwable ex) {
            this.queue.requeue(entry);
            this.inFlight = null;
            fail(ex);
            return false;
        }
        this.inFlight = null;
        this.written += size;
        this.onWritten.accept(entry);
        if (this.written - this.confirmed >= PROBE && (this.probedAt <= this.confirmed
                || this.time.nanoTime() - this.probeSentAt > PROBE_TIMEOUT_NANOS)) {
            this.probedAt = this.written;
            this.probeSentAt = this.time.nanoTime();
            try {
                this.session.sendMessage(probe(this.written));
            }
            catch (Throwable ex) {
                fail(ex);
                return false;
            }
        }
        return true;
    }

    /** A write failed: this writer is over, and the connection is dropped. */
    private void fail(Throwable ex) {
        this.closed = true;
        this.stopped.complete(null);
        this.onFailure.accept(ex);
    }

    /**
     * Drop the flag, and take it again if a message was queued after the last poll but
     * before the flag dropped: it must not wait.
     * @return whether the flag was taken again
     */
    private boolean releaseAndRecheck() {
        release();
        return !this.closed && this.queue.writable() && !this.queue.isEmpty() && this.writing.compareAndSet(false, true);
    }

    /** Drop the writing flag; once closed, nothing will write again. */
    private void release() {
        this.writing.set(false);
        if (this.closed && this.writing.compareAndSet(false, true)) {
            this.stopped.complete(null);
        }
    }

    /**
     * Drain on the pool what waits, if open and idle: opened, the rate limit allows, an
     * ended writer put a message back, or the message it was parked behind now fails.
     */
    void wake() {
        if (acquire()) {
            this.executor.execute(this::drain);
        }
    }

    /** A probing ping: it carries the count of bytes written before it, which its pong confirms. */
    private static PingMessage probe(long written) {
        return new PingMessage(ByteBuffer.allocate(Long.BYTES).putLong(0, written));
    }

    /** A binary payload is consumed by the write: send a view so a retry sends it all. */
    private static WebSocketMessage<?> replayable(WebSocketMessage<?> message) {
        if (message instanceof BinaryMessage binary) {
            return new BinaryMessage(binary.getPayload().duplicate(), binary.isLast());
        }
        return message;
    }

    /** The bytes a {@link #confirmAll} waits for the server to confirm, and what it completes. */
    private record Confirmation(long upTo, CompletableFuture<Void> done) {
    }

}
