package io.github.reconnectingws.connection;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import io.github.reconnectingws.ConnectionLease;
import io.github.reconnectingws.OutboundOverflow;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketMessage;

/**
 * The bounded queue of accepted, not yet written messages. It also decides whether a
 * message is accepted at all ({@link #refuse}), under the same lock, so a message is
 * either queued (and later written or failed) or refused at once: never lost in between.
 * Futures are completed outside the lock.
 */
final class OutboundQueue {

    /** A message and the future of its {@code send}. */
    record Entry(WebSocketMessage<?> message, CompletableFuture<Void> future) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    private final int capacity;

    private final OutboundOverflow overflow;

    private final Supplier<RuntimeException> overflowError;

    private final Supplier<RuntimeException> discardError;

    private final BiConsumer<Entry, Throwable> onDropped;

    /** Why sends are refused (not started, stopped), or {@code null}; guarded by {@code this}, as is the queue. */
    private @Nullable Supplier<RuntimeException> refusal;

    /** The size, readable without the lock: the writer polls it while it lingers. */
    private volatile int count;

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
        Entry failed = null;
        RuntimeException error = null;
        synchronized (this) {
            if (this.refusal != null) {
                failed = entry;
                error = this.refusal.get();
            }
            else if (this.entries.size() < this.capacity) {
                this.entries.addLast(entry);
            }
            else if (this.overflow == OutboundOverflow.DROP_OLDEST) {
                failed = this.entries.pollFirst();
                error = this.discardError.get();
                this.entries.addLast(entry);
            }
            else {
                failed = entry;
                error = this.overflowError.get();
            }
            this.count = this.entries.size();
        }
        if (failed != null) {
            fail(failed, error);
        }
    }

    /** Put back an entry whose write failed, ahead of everything else. */
    synchronized void requeue(Entry entry) {
        this.entries.addFirst(entry);
        this.count = this.entries.size();
    }

    /** Put entries ahead of everything else, keeping their order. */
    synchronized void prependAll(List<Entry> first) {
        for (int i = first.size() - 1; i >= 0; i--) {
            this.entries.addFirst(first.get(i));
        }
        this.count = this.entries.size();
    }

    synchronized @Nullable Entry poll() {
        Entry entry = this.entries.pollFirst();
        this.count = this.entries.size();
        return entry;
    }

    boolean isEmpty() {
        return this.count == 0;
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
        return this.count;
    }

    /** The future of the most recently queued entry, or {@code null} when empty. */
    synchronized @Nullable CompletableFuture<Void> lastFuture() {
        Entry last = this.entries.peekLast();
        return (last != null) ? last.future() : null;
    }

    /** Accept messages from now on. */
    synchronized void accept() {
        this.refusal = null;
    }

    /** Refuse new messages from now on; queued ones stay. */
    synchronized void refuse(Supplier<RuntimeException> reason) {
        this.refusal = reason;
    }

    /** Fail every queued entry with the given error. */
    void failAll(Supplier<RuntimeException> reason) {
        List<Entry> failed;
        synchronized (this) {
            failed = new ArrayList<>(this.entries);
            this.entries.clear();
            this.count = 0;
        }
        for (Entry entry : failed) {
            fail(entry, reason.get());
        }
    }

    private void fail(Entry entry, RuntimeException error) {
        entry.future().completeExceptionally(error);
        this.onDropped.accept(entry, error);
    }

}
