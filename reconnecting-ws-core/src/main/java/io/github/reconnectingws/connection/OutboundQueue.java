package io.github.reconnectingws.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.github.reconnectingws.ConnectionLease;
import io.github.reconnectingws.OutboundOverflow;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketMessage;

/**
 * The bounded queue of accepted, not yet written messages. It also decides whether a
 * message is accepted at all ({@link #refuse}), so a message is either queued (and later
 * written or failed) or refused: never lost in between. Futures are completed outside any
 * lock.
 * <p>
 * Threads: any thread offers; one writer at a time (the holder of its writer's flag)
 * polls and requeues; the connection's actor prepends and refuses. Senders and the
 * writer meet only in a lock-free deque ({@link #tail}), so neither takes a lock per
 * message. What goes ahead of everything (a failed write put back, what connect hooks
 * sent) waits in {@link #front}, under its own lock, so that a prepended list is seen
 * whole or not at all.
 */
final class OutboundQueue {

    /**
     * A message and the future of its {@code send}; {@code owner} is the writer of the one
     * session it belongs to, {@code null} for one that any connection writes.
     */
    record Entry(WebSocketMessage<?> message, CompletableFuture<Void> future, @Nullable SessionWriter owner) {

        Entry(WebSocketMessage<?> message, CompletableFuture<Void> future) {
            this(message, future, null);
        }

    }

    /** Offered entries, oldest first. */
    private final ConcurrentLinkedDeque<Entry> tail = new ConcurrentLinkedDeque<>();

    /** Entries ahead of {@link #tail}, oldest first; guarded by itself. */
    private final ArrayDeque<Entry> front = new ArrayDeque<>();

    /** The size of {@link #front}, readable without its lock. */
    private volatile int frontCount;

    /**
     * Entries in both parts. Raised after an entry is added and lowered after one is
     * taken, so it may briefly be below the truth (even negative), never above it for
     * long: a sender raises it before it wakes the writer.
     */
    private final AtomicInteger count = new AtomicInteger();

    private final int capacity;

    private final OutboundOverflow overflow;

    private final Supplier<RuntimeException> overflowError;

    private final Supplier<RuntimeException> discardError;

    private final BiConsumer<Entry, Throwable> onDropped;

    /** Why sends are refused (not started, stopped), or {@code null}. */
    private volatile @Nullable Supplier<RuntimeException> refusal;

    /** Whether queued messages may be written: not once the client's lease has lapsed. */
    private volatile ConnectionLease lease = ConnectionLease.UNLIMITED;

    /**
     * @param onDropped told about every entry that was refused or discarded, after its
     * future failed
     */
    OutboundQueue(int capacity, OutboundOverflow overflow, Supplier<RuntimeException> overflowError,
            Supplier<RuntimeException> discardError, Supplier<RuntimeException> initialRefusal,
            BiConsumer<Entry, Throwable> onDropped) {
        this.capacity = capacity;
        this.overflow = overflow;
        this.overflowError = overflowError;
        this.discardError = discardError;
        this.refusal = initialRefusal;
        this.onDropped = onDropped;
    }

    /** Queue an entry, or fail it (or the oldest entry) as the overflow strategy says. */
    void offer(Entry entry) {
        Supplier<RuntimeException> refused = this.refusal;
        if (refused != null) {
            fail(entry, refused.get());
            return;
        }
        this.tail.addLast(entry);
        if (this.count.incrementAndGet() > this.capacity) {
            if (this.overflow == OutboundOverflow.DROP_OLDEST) {
                Entry oldest = poll();
                if (oldest != null) {
                    fail(oldest, this.discardError.get());
                }
            }
            else if (takeBack(entry)) {
                fail(entry, this.overflowError.get());
                return;
            }
        }
        // refused meanwhile (a stop): the entry is taken back, unless a writer or failAll took it first
        refused = this.refusal;
        if (refused != null && takeBack(entry)) {
            fail(entry, refused.get());
        }
    }

    /** Remove an entry this thread just offered, if no one took it yet. */
    private boolean takeBack(Entry entry) {
        if (this.tail.removeLastOccurrence(entry)) {
            this.count.decrementAndGet();
            return true;
        }
        return false;
    }

    /** Put back an entry whose write failed, ahead of everything else. */
    void requeue(Entry entry) {
        synchronized (this.front) {
            this.front.addFirst(entry);
            this.frontCount = this.front.size();
        }
        this.count.incrementAndGet();
    }

    /** Put entries ahead of everything else, keeping their order. */
    void prependAll(List<Entry> first) {
        if (first.isEmpty()) {
            return;
        }
        synchronized (this.front) {
            for (int i = first.size() - 1; i >= 0; i--) {
                this.front.addFirst(first.get(i));
            }
            this.frontCount = this.front.size();
        }
        this.count.addAndGet(first.size());
    }

    /** The oldest entry, or {@code null}; by the writer (and the overflow of {@code DROP_OLDEST}). */
    @Nullable Entry poll() {
        Entry entry = null;
        if (this.frontCount > 0) {
            synchronized (this.front) {
                entry = this.front.pollFirst();
                this.frontCount = this.front.size();
            }
        }
        if (entry == null) {
            entry = this.tail.pollFirst();
        }
        if (entry != null) {
            this.count.decrementAndGet();
        }
        return entry;
    }

    boolean isEmpty() {
        return this.count.get() <= 0;
    }

    /** Write only while {@code lease} is valid; messages wait in the queue otherwise. */
    void holdUnder(ConnectionLease lease) {
        this.lease = lease;
    }

    /** Whether the writer may write now: the lease holds (a check without the lock). */
    boolean writable() {
        return this.lease.isValid();
    }

    int size() {
        return Math.max(0, this.count.get());
    }

    /** The future of the most recently queued entry, or {@code null} when empty. */
    @Nullable CompletableFuture<Void> lastFuture() {
        Entry last = this.tail.peekLast();
        if (last == null) {
            synchronized (this.front) {
                last = this.front.peekLast();
            }
        }
        return (last != null) ? last.future() : null;
    }

    /** Accept messages from now on. */
    void accept() {
        this.refusal = null;
    }

    /** Refuse new messages from now on; queued ones stay. */
    void refuse(Supplier<RuntimeException> reason) {
        this.refusal = reason;
    }

    /** Fail every queued entry with the given error. */
    void failAll(Supplier<RuntimeException> reason) {
        List<Entry> failed = new ArrayList<>();
        for (Entry entry = poll(); entry != null; entry = poll()) {
            failed.add(entry);
        }
        for (Entry entry : failed) {
            fail(entry, reason.get());
        }
    }

    /** Fail an entry that will not be written, as a dropped one. */
    void fail(Entry entry, RuntimeException error) {
        entry.future().completeExceptionally(error);
        this.onDropped.accept(entry, error);
    }

}
