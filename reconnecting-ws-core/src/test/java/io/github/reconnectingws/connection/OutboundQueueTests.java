package io.github.reconnectingws.connection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.OutboundOverflow;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.TextMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The outbound queue without a socket: senders on several threads against one writer
 * thread and a stop, where every accepted message must be taken by the writer or failed,
 * exactly once, and each sender's messages come out in the order it sent them.
 */
class OutboundQueueTests {

    private static final int SENDERS = 4;

    private static final int PER_SENDER = 20_000;

    @Test
    void everyMessageOfConcurrentSendersIsTakenOrFailedExactlyOnceAndInEachSendersOrder() throws Exception {
        AtomicInteger dropped = new AtomicInteger();
        OutboundQueue queue = queue(Integer.MAX_VALUE, OutboundOverflow.REJECT, (entry, error) -> dropped.incrementAndGet());
        queue.accept();
        Map<Integer, List<Integer>> taken = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch start = new CountDownLatch(1);
        AtomicBoolean sendersDone = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            // takes what it finds until the senders are done and the queue is empty
            while (!(sendersDone.get() && queue.isEmpty())) {
                OutboundQueue.Entry entry = queue.poll();
                if (entry == null) {
                    Thread.onSpinWait();
                    continue;
                }
                String[] parts = ((String) entry.message().getPayload()).split(":");
                taken.computeIfAbsent(Integer.parseInt(parts[0]), (sender) -> new ArrayList<>())
                    .add(Integer.parseInt(parts[1]));
                entry.future().complete(null);
            }
        });
        List<Thread> senders = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            senders.add(new Thread(() -> {
                awaitQuietly(start);
                for (int i = 0; i < PER_SENDER; i++) {
                    OutboundQueue.Entry entry = entry(sender + ":" + i);
                    futures.add(entry.future());
                    queue.offer(entry);
                    if (sender == 0 && i == PER_SENDER / 2) {
                        // a stop half-way: from now on each send is refused, none is lost
                        queue.refuse(() -> new IllegalStateException("stopped"));
                    }
                }
            }));
        }
        writer.start();
        senders.forEach(Thread::start);
        start.countDown();
        for (Thread thread : senders) {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
        sendersDone.set(true);
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(writer.isAlive()).isFalse();

        assertThat(futures).hasSize(SENDERS * PER_SENDER).allMatch(CompletableFuture::isDone);
        long failed = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
        int takenCount = taken.values().stream().mapToInt(List::size).sum();
        assertThat(failed).isEqualTo(dropped.get());
        assertThat(takenCount + failed).isEqualTo((long) SENDERS * PER_SENDER);
        assertThat(takenCount).isGreaterThan(PER_SENDER / 2);
        taken.values().forEach((numbers) -> assertThat(numbers).isSorted());
        assertThat(queue.size()).isZero();
    }

    @Test
    void prependedAndRequeuedEntriesComeFirstInTheirOrder() {
        OutboundQueue queue = queue(10, OutboundOverflow.REJECT, (entry, error) -> {
        });
        queue.accept();
        queue.offer(entry("backlog-1"));
        queue.offer(entry("backlog-2"));
        queue.prependAll(List.of(entry("hook-1"), entry("hook-2")));
        OutboundQueue.Entry first = queue.poll();
        queue.requeue(first);
        assertThat(queue.size()).isEqualTo(4);
        assertThat(queue.lastFuture()).isNotNull();
        List<Object> order = new ArrayList<>();
        for (OutboundQueue.Entry entry = queue.poll(); entry != null; entry = queue.poll()) {
            order.add(entry.message().getPayload());
        }
        assertThat(order).containsExactly("hook-1", "hook-2", "backlog-1", "backlog-2");
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.lastFuture()).isNull();
    }

    @Test
    void aFullQueueFailsTheNewMessageOrTheOldestAsItsOverflowSays() {
        List<Object> dropped = new ArrayList<>();
        OutboundQueue failing = queue(2, OutboundOverflow.REJECT, (entry, error) -> dropped.add(entry.message().getPayload()));
        failing.accept();
        failing.offer(entry("a"));
        failing.offer(entry("b"));
        OutboundQueue.Entry refused = entry("c");
        failing.offer(refused);
        assertThat(refused.future()).isCompletedExceptionally();
        assertThat(failing.size()).isEqualTo(2);
        OutboundQueue dropping = queue(2, OutboundOverflow.DROP_OLDEST,
                (entry, error) -> dropped.add(entry.message().getPayload()));
        dropping.accept();
        dropping.offer(entry("x"));
        dropping.offer(entry("y"));
        dropping.offer(entry("z"));
        assertThat(dropping.size()).isEqualTo(2);
        assertThat(dropping.poll().message().getPayload()).isEqualTo("y");
        assertThat(dropped).containsExactly("c", "x");
    }

    private static OutboundQueue queue(int capacity, OutboundOverflow overflow,
            java.util.function.BiConsumer<OutboundQueue.Entry, Throwable> onDropped) {
        return new OutboundQueue(capacity, overflow, () -> new IllegalStateException("full"),
                () -> new IllegalStateException("discarded"), () -> new IllegalStateException("not started"), onDropped);
    }

    private static OutboundQueue.Entry entry(String text) {
        return new OutboundQueue.Entry(new TextMessage(text), new CompletableFuture<>());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
