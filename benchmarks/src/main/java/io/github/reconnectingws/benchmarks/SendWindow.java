package io.github.reconnectingws.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pipelined sends of ours: keeps fewer than {@link #WINDOW} send futures outstanding; when
 * full, waits once for the older half to be written (writes complete in order), so the
 * sender parks once per WINDOW/2 messages, as an application batching its sends would,
 * instead of once per message. The first failed send fails the next call. Used by one
 * sending thread.
 */
final class SendWindow {

    /** Outstanding send futures kept by a pipelined sender. */
    static final int WINDOW = 256;

    private final ArrayDeque<CompletableFuture<Void>> outstanding = new ArrayDeque<>();

    private final AtomicReference<Throwable> error = new AtomicReference<>();

    private final String label;

    SendWindow(String label) {
        this.label = label;
    }

    void add(CompletableFuture<Void> sent) throws Exception {
        this.outstanding.addLast(sent);
        if (this.outstanding.size() >= WINDOW) {
            CompletableFuture<Void> olderHalf = null;
            for (int i = 0; i < WINDOW / 2; i++) {
                CompletableFuture<Void> next = this.outstanding.pollFirst();
                next.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        this.error.compareAndSet(null, failure);
                    }
                });
                olderHalf = next;
            }
            olderHalf.handle((ok, failure) -> null).get(30, TimeUnit.SECONDS);
        }
        Throwable failure = this.error.get();
        if (failure != null) {
            throw new IllegalStateException(this.label + ": send failed", failure);
        }
    }

}
