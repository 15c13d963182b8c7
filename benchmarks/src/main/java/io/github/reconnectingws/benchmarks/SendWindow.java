package io.github.reconnectingws.benchmarks;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pipelined sends of ours: keeps fewer than {@link #WINDOW} send futures outstanding; when
 * full, waits once for the older half to be written (writes complete in order), so the
 * sender parks once per WINDOW/2 messages, as an application batching its sends would,
 * instead of once per message. A failed send fails the call that finds it. Used by one
 * sending thread.
 */
final class SendWindow {

    /** Outstanding send futures kept by a pipelined sender. */
    static final int WINDOW = 256;

    private final ArrayDeque<CompletableFuture<Void>> outstanding = new ArrayDeque<>();

    private final String label;

    SendWindow(String label) {
        this.label = label;
    }

    void add(CompletableFuture<Void> sent) throws Exception {
        this.outstanding.addLast(sent);
        if (this.outstanding.size() >= WINDOW) {
            // writes complete in order: once the newest of the older half is done, all of it is;
            // then each is only looked at (no callback per send, which the raw side does not pay)
            CompletableFuture<Void> newestOfOlderHalf = null;
            int index = 0;
            for (CompletableFuture<Void> future : this.outstanding) {
                if (++index == WINDOW / 2) {
                    newestOfOlderHalf = future;
                    break;
                }
            }
            newestOfOlderHalf.handle((ok, failure) -> null).get(30, TimeUnit.SECONDS);
            for (int i = 0; i < WINDOW / 2; i++) {
                CompletableFuture<Void> done = this.outstanding.pollFirst();
                if (!done.isDone()) {
                    done.handle((ok, failure) -> null).get(30, TimeUnit.SECONDS);
                }
                if (done.isCompletedExceptionally()) {
                    throw new IllegalStateException(this.label + ": send failed", done.handle((ok, failure) -> failure).join());
                }
            }
        }
    }

}
