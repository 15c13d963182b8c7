package io.github.reconnectingws.connection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.reactive.ReactiveOverflow;
import io.github.reconnectingws.reactive.ReactiveReconnectingWebSocketClient;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import org.springframework.web.socket.CloseStatus;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive streams over the engine in virtual time, where timing is the subject:
 * what a subscriber sees, and when, across outages on the backoff schedule; what a slow
 * subscriber keeps and loses, exactly. Subscribers receive on the test's thread
 * ({@code Schedulers.immediate()}) or on a scheduler whose tasks the test runs.
 */
class ReactiveVirtualTimeTests {

    private final VirtualTime time = new VirtualTime();

    private final ScriptedTransport server = new ScriptedTransport(this.time);

    private ReconnectingWebSocketClient client() {
        // jitter and heartbeat off
        ConnectionSettings settings = ReconnectingWebSocketClientBuilder.forUrl("ws://feed.test/ws")
            .backoff(Duration.ofMillis(100), 2.0, 0, Duration.ofSeconds(30), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))
            .settings();
        return new DefaultReconnectingWebSocketClient("vt", settings, this.time.resources(this.server::isListening),
                false, this.server, null, List.of(), null, null);
    }

    private ReactiveReconnectingWebSocketClient reactive(ReconnectingWebSocketClient client, Scheduler scheduler) {
        return ReactiveReconnectingWebSocketClient.builder(client).scheduler(scheduler).build();
    }

    private void advance(long millis) {
        this.time.advance(Duration.ofMillis(millis));
    }

    private void rejectHandshakes() {
        this.server.failWith(() -> new HandshakeRejectedException(503, null, null));
    }

    @Test
    void statesFollowTheBackoffScheduleToTheMillisecond() {
        ReconnectingWebSocketClient client = client();
        ReactiveReconnectingWebSocketClient reactive = reactive(client, Schedulers.immediate());
        List<String> states = new CopyOnWriteArrayList<>();
        Disposable subscription = reactive.states().subscribe((state) -> states.add(state + "@" + this.time.millis()));
        rejectHandshakes();
        client.start();
        advance(650);
        assertThat(this.server.attempts).containsExactly(0L, 100L, 300L);
        this.server.up();
        advance(50);
        assertThat(this.server.attempts).containsExactly(0L, 100L, 300L, 700L);
        assertThat(states).containsExactly("NEW@0", "CONNECTING@0", "RECONNECTING@0", "CONNECTING@100",
                "RECONNECTING@100", "CONNECTING@300", "RECONNECTING@300", "CONNECTING@700", "CONNECTED@700");
        subscription.dispose();
        client.close();
    }

    @Test
    void messagesAndSendsCrossAnOutageOnTheBackoffScheduleWithoutEndingTheStream() throws Exception {
        ReconnectingWebSocketClient client = client();
        ReactiveReconnectingWebSocketClient reactive = reactive(client, Schedulers.immediate());
        List<String> received = new CopyOnWriteArrayList<>();
        Disposable subscription = reactive.messages(String.class).subscribe(received::add,
                (error) -> received.add("error"), () -> received.add("complete"));
        client.start();
        receive("before");
        rejectHandshakes();
        this.server.lastSession().closeFromServer(new CloseStatus(1011));
        List<Long> sentAt = new CopyOnWriteArrayList<>();
        reactive.send("during").subscribe(null, null, () -> sentAt.add(this.time.millis()));
        // the retry at once and the ones at 200 and 600 ms are rejected; the server is back for the one at 1,400
        advance(1_350);
        assertThat(this.server.attempts).containsExactly(0L, 0L, 200L, 600L);
        assertThat(sentAt).isEmpty();
        assertThat(client.getPendingCount()).isOne();
        this.server.up();
        advance(50);
        assertThat(sentAt).containsExactly(1_400L);
        assertThat(this.server.lastSession().sent()).containsExactly("during");
        receive("after");
        assertThat(received).containsExactly("before", "after");
        subscription.dispose();
        client.close();
    }

    @Test
    void sendAllHoldsThePublisherBackWhileDownAndSendsEverythingInOrderWhenBack() throws Exception {
        ReconnectingWebSocketClient client = client();
        ReactiveReconnectingWebSocketClient reactive = reactive(client, Schedulers.immediate());
        client.start();
        rejectHandshakes();
        this.server.lastSession().closeFromServer(new CloseStatus(1011));
        List<Integer> requested = new CopyOnWriteArrayList<>();
        List<Long> doneAt = new CopyOnWriteArrayList<>();
        Flux<String> payloads = Flux.range(0, 200).doOnRequest((n) -> requested.add((int) Math.min(n, 1_000)))
            .map(String::valueOf);
        reactive.sendAll(payloads).subscribe(null, null, () -> doneAt.add(this.time.millis()));
        advance(1_350);
        // only a window's worth reached the connection's queue; the publisher waits
        assertThat(client.getPendingCount()).isEqualTo(ReactiveReconnectingWebSocketClient.SEND_WINDOW);
        assertThat(requested.stream().mapToInt(Integer::intValue).sum())
            .isLessThanOrEqualTo(2 * ReactiveReconnectingWebSocketClient.SEND_WINDOW);
        this.server.up();
        advance(50);
        assertThat(doneAt).containsExactly(1_400L);
        assertThat(this.server.lastSession().sent())
            .containsExactlyElementsOf(IntStream.range(0, 200).mapToObj(String::valueOf).toList());
        client.close();
    }

    @Test
    void aSubscriberThatDoesNotRunKeepsItsHandOverAndTheLatestOfItsBufferExactly() {
        ReconnectingWebSocketClient client = client();
        Queue<Runnable> worker = new ArrayDeque<>();
        ReactiveReconnectingWebSocketClient reactive = ReactiveReconnectingWebSocketClient.builder(client)
            .scheduler(Schedulers.fromExecutor(worker::add))
            .bufferSize(8)
            .overflow(ReactiveOverflow.DROP_OLDEST)
            .build();
        List<Integer> received = new CopyOnWriteArrayList<>();
        Disposable subscription = reactive.messages(String.class).map(Integer::valueOf).subscribe(received::add);
        runAll(worker);
        client.start();
        IntStream.range(0, 100).forEach((n) -> receive(String.valueOf(n)));
        // the worker has not run: nothing delivered, the hand-over and the buffer full, the rest lost
        assertThat(received).isEmpty();
        int kept = ReactiveReconnectingWebSocketClient.HANDOFF + 8;
        assertThat(reactive.getDroppedCount()).isEqualTo(100 - kept);
        runAll(worker);
        assertThat(received).containsExactlyElementsOf(IntStream.concat(
                IntStream.range(0, ReactiveReconnectingWebSocketClient.HANDOFF), IntStream.range(92, 100))
            .boxed()
            .toList());
        subscription.dispose();
        client.close();
    }

    private static void runAll(Queue<Runnable> tasks) {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    private void receive(String text) {
        try {
            this.server.lastSession().receive(text);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
