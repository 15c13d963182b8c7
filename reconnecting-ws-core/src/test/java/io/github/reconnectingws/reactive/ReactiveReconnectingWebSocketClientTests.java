package io.github.reconnectingws.reactive;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import io.github.reconnectingws.ClientClosedException;
import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionSettings;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectedEvent;
import io.github.reconnectingws.WebSocketConnectionEvent;
import io.github.reconnectingws.WebSocketDisconnectedEvent;
import io.github.reconnectingws.WebSocketReconnectingEvent;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.connection.WebSocketClientResources;
import io.github.reconnectingws.listener.InboundPayloads;
import io.github.reconnectingws.listener.ListenerExecutionFailedException;
import io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics;
import io.github.reconnectingws.testsupport.FaultProxy;
import io.github.reconnectingws.testsupport.SequenceFeedServer;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive view of a client against a real server: hot streams that survive drops
 * and restarts, conversion like the listeners', per-subscriber buffers and overflow,
 * states, events, completion, and paced sends.
 */
class ReactiveReconnectingWebSocketClientTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private final WebSocketClientResources resources = new WebSocketClientResources();

    private @Nullable TestWebSocketServer server;

    private final List<Throwable> listenerErrors = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeEverything() throws Exception {
        for (int i = this.closeables.size() - 1; i >= 0; i--) {
            this.closeables.get(i).close();
        }
        this.resources.close();
    }

    private <T extends AutoCloseable> T track(T closeable) {
        this.closeables.add(closeable);
        return closeable;
    }

    private TestWebSocketServer server() {
        if (this.server == null) {
            this.server = track(TestWebSocketServer.start());
        }
        return this.server;
    }

    private static ConditionFactory eventually() {
        return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20));
    }

    /** Quick retries, heartbeat off, listener errors recorded. */
    private ReconnectingWebSocketClientBuilder builder(URI uri) {
        return ReconnectingWebSocketClientBuilder.forUri(uri)
            .backoff(Duration.ofMillis(50), 2.0, 0.2, Duration.ofMillis(500), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))
            .connectTimeout(Duration.ofSeconds(5))
            .resources(this.resources)
            .observer(new ConnectionObserver() {
                @Override
                public void onListenerError(ReconnectingWebSocketClient client, WebSocketMessage<?> message,
                        Throwable error) {
                    ReactiveReconnectingWebSocketClientTests.this.listenerErrors.add(error);
                }
            });
    }

    private ReconnectingWebSocketClient started(ReconnectingWebSocketClientBuilder builder) {
        ReconnectingWebSocketClient client = track(builder.build());
        client.start();
        eventually().until(client::isConnected);
        return client;
    }

    private ReactiveReconnectingWebSocketClient reactive(ReconnectingWebSocketClient client) {
        return track(ReactiveReconnectingWebSocketClient.builder(client)
            .payloads(new InboundPayloads(new JacksonJsonMessageConverter(JsonMapper.shared())))
            .build());
    }

    private void afterReconnect(ReconnectingWebSocketClient client, long reconnects, Runnable action) {
        // off the subscriber's thread: StepVerifier runs then() steps where the items arrive
        CompletableFuture.runAsync(() -> {
            eventually().until(() -> client.getReconnectCount() >= reconnects && client.isConnected());
            action.run();
        });
    }

    @Test
    void messagesSurviveADropARestartAndACutWithoutCompleting() {
        FaultProxy proxy = track(FaultProxy.start(server().port()));
        ReconnectingWebSocketClient client = started(builder(proxy.wsUri(TestWebSocketServer.PATH)));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        StepVerifier.create(reactive.messages(String.class))
            .then(() -> server().sendToAll("before"))
            .expectNext("before")
            .then(() -> {
                server().closeAll(1011, "drop");
                afterReconnect(client, 1, () -> server().sendToAll("after a drop"));
            })
            .expectNext("after a drop")
            .then(() -> {
                proxy.cutAll();
                afterReconnect(client, 2, () -> server().sendToAll("after a cut"));
            })
            .expectNext("after a cut")
            .then(() -> CompletableFuture.runAsync(() -> {
                server().restart();
                afterReconnect(client, 3, () -> server().sendToAll("after a restart"));
            }))
            .expectNext("after a restart")
            .thenCancel()
            .verify(TIMEOUT);
    }

    @Test
    void everySubscriberGetsWhatArrivesWhileItIsSubscribedAndMayComeBack() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        Disposable one = reactive.messages(String.class).subscribe(first::add);
        server().sendToAll("1");
        eventually().until(() -> first.contains("1"));
        Disposable two = reactive.messages(String.class).subscribe(second::add);
        server().sendToAll("2");
        eventually().until(() -> first.contains("2") && second.contains("2"));
        one.dispose();
        server().sendToAll("3");
        eventually().until(() -> second.contains("3"));
        Disposable again = reactive.messages(String.class).subscribe(first::add);
        server().sendToAll("4");
        eventually().until(() -> first.contains("4") && second.contains("4"));
        assertThat(first).containsExactly("1", "2", "4");
        assertThat(second).containsExactly("2", "3", "4");
        two.dispose();
        again.dispose();
    }

    record Price(String symbol, int price) {
    }

    @Test
    void aMessageThatCannotBeConvertedIsSkippedAndCountedAsAListenerError() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ReconnectingWebSocketClientMetrics metrics = track(new ReconnectingWebSocketClientMetrics(client));
        metrics.bindTo(meters);
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        StepVerifier.create(reactive.messages(Price.class))
            .then(() -> {
                server().sendToAll("{\"symbol\":\"A\",\"price\":1}");
                server().sendToAll("{\"symbol\":\"B\",\"price\":\"not a number\"}");
                server().sendToAll("{\"symbol\":\"C\",\"price\":3}");
            })
            .expectNext(new Price("A", 1), new Price("C", 3))
            .thenCancel()
            .verify(TIMEOUT);
        assertThat(this.listenerErrors).singleElement().satisfies((error) -> {
            assertThat(error).isInstanceOf(ListenerExecutionFailedException.class);
            assertThat(((ListenerExecutionFailedException) error).isConversionFailure()).isTrue();
            assertThat(error.getMessage()).contains("messages(Price)").doesNotContain("not a number");
        });
        assertThat(meters.get(ReconnectingWebSocketClientMetrics.LISTENER_ERRORS).counter().count()).isEqualTo(1);
    }

    @Test
    void aTypeTakesTheFramesAListenerParameterOfThatTypeTakes() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        List<String> texts = new CopyOnWriteArrayList<>();
        List<byte[]> binaries = new CopyOnWriteArrayList<>();
        List<WebSocketMessage<?>> all = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        Disposable a = reactive.messages(String.class)
            .doOnNext((text) -> threads.add(Thread.currentThread().getName()))
            .subscribe(texts::add);
        Disposable b = reactive.messages(byte[].class).subscribe(binaries::add);
        Disposable c = reactive.messages(WebSocketMessage.class).subscribe(all::add);
        server().sendToAll("text");
        server().sendToAll(new byte[] { 1, 2, 3 });
        eventually().until(() -> all.size() == 2 && texts.size() == 1 && binaries.size() == 1);
        assertThat(texts).containsExactly("text");
        assertThat(threads).as("never the connection's threads").allMatch((name) -> name.startsWith("boundedElastic"));
        assertThat(binaries.get(0)).containsExactly(1, 2, 3);
        assertThat(this.listenerErrors).isEmpty();
        a.dispose();
        b.dispose();
        c.dispose();
    }

    @Test
    void aSlowSubscriberLosesWhatOverflowsItsBufferAloneAndCounted() throws Exception {
        int bufferSize = 8;
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = track(ReactiveReconnectingWebSocketClient.builder(client)
            .bufferSize(bufferSize)
            .overflow(ReactiveOverflow.DROP_OLDEST)
            .build());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(1);
        List<Integer> slow = new CopyOnWriteArrayList<>();
        List<Integer> fast = new CopyOnWriteArrayList<>();
        Disposable slowSubscription = reactive.messages(String.class).map(Integer::valueOf).subscribe((n) -> {
            slow.add(n);
            blocked.countDown();
            awaitQuietly(release);
        });
        Disposable fastSubscription = reactive.messages(String.class).map(Integer::valueOf).subscribe(fast::add);
        server().sendToAll("0");
        assertThat(blocked.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        // in steps its own buffer takes even while its worker waits for a CPU, so that the
        // fast subscriber loses nothing, while the slow one stays blocked
        int total = 200;
        for (int from = 1; from < total; from += bufferSize) {
            int to = Math.min(from + bufferSize, total);
            IntStream.range(from, to).forEach((n) -> server().sendToAll(String.valueOf(n)));
            eventually().until(() -> fast.size() == to);
        }
        assertThat(fast).containsExactlyElementsOf(IntStream.range(0, total).boxed().toList());
        // the slow one holds one item, a hand-over and its buffer; the rest was dropped
        long dropped = reactive.getDroppedCount();
        assertThat(dropped).isGreaterThanOrEqualTo(total - 1 - ReactiveReconnectingWebSocketClient.HANDOFF - bufferSize);
        release.countDown();
        eventually().until(() -> slow.size() + dropped == total);
        assertThat(slow).isSorted().startsWith(0, 1, 2);
        assertThat(slow).as("drop-oldest keeps the latest").endsWith(total - 1);
        slowSubscription.dispose();
        fastSubscription.dispose();
    }

    @Test
    void dropLatestKeepsWhatWaitedAndErrorEndsOnlyTheSlowSubscribersStream() throws Exception {
        int bufferSize = 4;
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        for (ReactiveOverflow overflow : List.of(ReactiveOverflow.DROP_LATEST, ReactiveOverflow.ERROR)) {
            ReactiveReconnectingWebSocketClient reactive = track(ReactiveReconnectingWebSocketClient.builder(client)
                .bufferSize(bufferSize)
                .overflow(overflow)
                .build());
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch blocked = new CountDownLatch(1);
            List<Integer> slow = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> slowError = new AtomicReference<>();
            List<Integer> fast = new CopyOnWriteArrayList<>();
            reactive.messages(String.class).map(Integer::valueOf).subscribe((n) -> {
                slow.add(n);
                blocked.countDown();
                awaitQuietly(release);
            }, slowError::set);
            Disposable fastSubscription = reactive.messages(String.class).map(Integer::valueOf).subscribe(fast::add);
            server().sendToAll("0");
            assertThat(blocked.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            int total = 60;
            for (int from = 1; from < total; from += bufferSize) {
                int to = Math.min(from + bufferSize, total);
                IntStream.range(from, to).forEach((n) -> server().sendToAll(String.valueOf(n)));
                eventually().until(() -> fast.size() == to);
            }
            assertThat(reactive.getDroppedCount()).as(overflow.name()).isPositive();
            release.countDown();
            if (overflow == ReactiveOverflow.DROP_LATEST) {
                long dropped = reactive.getDroppedCount();
                eventually().until(() -> slow.size() + dropped == total);
                assertThat(slow).as("drop-latest keeps the first ones").doesNotContain(total - 1);
            }
            else {
                eventually().until(() -> slowError.get() != null);
                assertThat(Exceptions.isOverflow(slowError.get())).isTrue();
            }
            // the other subscriber goes on
            server().sendToAll("1000");
            eventually().until(() -> fast.contains(1000));
            fastSubscription.dispose();
            reactive.close();
        }
    }

    @Test
    void statesStartWithTheCurrentStateAndFollowEveryChange() {
        ReconnectingWebSocketClient idle = track(builder(server().uri()).build());
        StepVerifier.create(reactive(idle).states()).expectNext(ConnectionState.NEW).thenCancel().verify(TIMEOUT);

        ReconnectingWebSocketClient client = started(builder(server().uri()));
        StepVerifier.create(reactive(client).states())
            .expectNext(ConnectionState.CONNECTED)
            .then(() -> server().closeAll(1011, "drop"))
            .expectNext(ConnectionState.RECONNECTING)
            .thenConsumeWhile((state) -> state != ConnectionState.CONNECTED)
            .expectNext(ConnectionState.CONNECTED)
            .thenCancel()
            .verify(TIMEOUT);
    }

    @Test
    void eventsCarryTheConnectionEvents() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        // the first connect's event is published in the callback lane after the state
        // changed, so it may reach a subscriber that came after the state: not the subject here
        StepVerifier.create(reactive(client).events()
            .skipWhile((event) -> event instanceof WebSocketConnectedEvent connected && !connected.isReconnect()))
            .then(() -> server().closeAll(1011, "drop"))
            .assertNext((event) -> assertThat(event).isInstanceOf(WebSocketDisconnectedEvent.class))
            .assertNext((event) -> assertThat(event).isInstanceOf(WebSocketReconnectingEvent.class))
            .assertNext((event) -> {
                assertThat(event).isInstanceOf(WebSocketConnectedEvent.class);
                assertThat(((WebSocketConnectedEvent) event).isReconnect()).isTrue();
                assertThat(event.getConnectionName()).isEqualTo(client.getName());
            })
            .thenCancel()
            .verify(TIMEOUT);
    }

    @Test
    void everyStreamCompletesWhenTheClientIsClosedButNotWhenItIsStopped() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        StepVerifier messages = StepVerifier.create(reactive.messages(String.class)).expectComplete().verifyLater();
        StepVerifier events = StepVerifier.create(reactive.events())
            .thenConsumeWhile((event) -> true)
            .expectComplete()
            .verifyLater();
        StepVerifier states = StepVerifier.create(reactive.states())
            .expectNext(ConnectionState.CONNECTED)
            .then(client::stop)
            .expectNext(ConnectionState.CLOSED)
            .then(client::start)
            .expectNext(ConnectionState.CONNECTING, ConnectionState.CONNECTED)
            .then(client::close)
            .expectNext(ConnectionState.CLOSED)
            .expectComplete()
            .verifyLater();
        states.verify(TIMEOUT);
        messages.verify(TIMEOUT);
        events.verify(TIMEOUT);
        // a stream asked for afterwards completes at once
        StepVerifier.create(reactive.messages(String.class)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void closingTheReactiveViewCompletesItsStreamsAndLeavesTheClientUp() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        StepVerifier messages = StepVerifier.create(reactive.messages(String.class)).expectComplete().verifyLater();
        StepVerifier states = StepVerifier.create(reactive.states())
            .expectNext(ConnectionState.CONNECTED)
            .expectComplete()
            .verifyLater();
        reactive.close();
        messages.verify(TIMEOUT);
        states.verify(TIMEOUT);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void sendQueuesLikeTheClientAndSignalsErrors() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        StepVerifier.create(reactive.send("hello")).verifyComplete();
        eventually().until(() -> server().receivedTexts().contains("hello"));
        // nothing is sent before subscription
        reactive.send("never subscribed");
        client.close();
        StepVerifier.create(reactive.send("after close")).verifyError(ClientClosedException.class);
        assertThat(server().receivedTexts()).doesNotContain("never subscribed");
    }

    @Test
    void sendAllRequestsOnlyAsFastAsTheConnectionWritesAndKeepsTheOrder() {
        FaultProxy proxy = track(FaultProxy.start(server().port()));
        ReconnectingWebSocketClient client = started(builder(proxy.wsUri(TestWebSocketServer.PATH)));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        proxy.refuse();
        proxy.cutAll();
        eventually().until(() -> !client.isConnected());
        int total = 1000;
        AtomicLong requested = new AtomicLong();
        Flux<String> payloads = Flux.range(0, total).map(String::valueOf).doOnRequest((n) -> requested.addAndGet(n));
        StepVerifier sent = StepVerifier.create(reactive.sendAll(payloads)).expectComplete().verifyLater();
        eventually().until(() -> client.getPendingCount() == ReactiveReconnectingWebSocketClient.SEND_WINDOW);
        int bound = 2 * ReactiveReconnectingWebSocketClient.SEND_WINDOW;
        Awaitility.await()
            .during(Duration.ofMillis(300))
            .atMost(TIMEOUT)
            .until(() -> requested.get() <= bound
                    && client.getPendingCount() == ReactiveReconnectingWebSocketClient.SEND_WINDOW);
        proxy.resume();
        sent.verify(TIMEOUT);
        eventually().until(() -> server().receivedTexts().size() == total);
        assertThat(server().receivedTexts())
            .containsExactlyElementsOf(IntStream.range(0, total).mapToObj(String::valueOf).toList());
    }

    @Test
    void sendAllSignalsThePublishersErrorAndARefusedPayload() {
        ReconnectingWebSocketClient client = started(builder(server().uri()));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        StepVerifier.create(reactive.sendAll(Flux.concat(Flux.just("a"), Flux.error(new IllegalStateException("boom")))))
            .verifyErrorMessage("boom");
        // without a payload encoder an object cannot be sent
        AtomicInteger asked = new AtomicInteger();
        StepVerifier.create(reactive.sendAll(Flux.just("b", new Object()).doOnNext((p) -> asked.incrementAndGet())))
            .verifyError(IllegalArgumentException.class);
        eventually().until(() -> server().receivedTexts().containsAll(List.of("a", "b")));
        assertThat(asked.get()).isEqualTo(2);
    }

    private ReconnectingWebSocketClientBuilder resuming(SequenceFeedServer feed) {
        ConnectionSettings settings = ConnectionSettings.DEFAULTS.withUrl(feed.uri() + "?since={position}")
            .withResume(new ConnectionSettings.Resume("/seq", ConnectionSettings.Resume.Store.MEMORY, true,
                    Duration.ofMillis(200)));
        return ReconnectingWebSocketClientBuilder.forSettings(settings)
            .backoff(Duration.ofMillis(50), 2.0, 0.5, Duration.ofSeconds(30), Duration.ZERO)
            .heartbeat(Duration.ZERO, Duration.ofSeconds(10))
            .resources(this.resources);
    }

    @Test
    void acrossRotationsWithResumeTheStreamGetsWhatAHandlerGetsEachPositionOnce() {
        SequenceFeedServer feed = track(SequenceFeedServer.start());
        AtomicLong rotations = new AtomicLong();
        List<Long> handled = new CopyOnWriteArrayList<>();
        ReconnectingWebSocketClient client = started(resuming(feed).maxConnectionAge(Duration.ofSeconds(1))
            .messageHandler((c, session, message) -> handled.add(seq((String) message.getPayload())))
            .observer(new ConnectionObserver() {
                @Override
                public void onConnected(ReconnectingWebSocketClient c, boolean reconnect, boolean rotation) {
                    if (rotation) {
                        rotations.incrementAndGet();
                    }
                }
            }));
        // large enough that a worker held up by a loaded machine loses nothing
        ReactiveReconnectingWebSocketClient reactive = track(ReactiveReconnectingWebSocketClient.builder(client)
            .payloads(new InboundPayloads(new JacksonJsonMessageConverter(JsonMapper.shared())))
            .bufferSize(1_000_000)
            .build());
        List<Long> received = new CopyOnWriteArrayList<>();
        AtomicReference<@Nullable String> ended = new AtomicReference<>();
        Disposable subscription = reactive.messages(Position.class)
            .map(Position::seq)
            .subscribe(received::add, (error) -> ended.set("error " + error), () -> ended.set("completed"));
        feed.startPublishing(1000);
        eventually().until(() -> rotations.get() >= 2);
        long last = feed.stopPublishing();
        eventually().until(() -> handled.contains(last) && received.contains(last));
        assertThat(received).as("what the handler got, in the same order").isEqualTo(handled);
        assertThat(received).as("each position once").doesNotHaveDuplicates().isSorted();
        assertThat(ended.get()).as("the stream goes on").isNull();
        assertThat(reactive.getDroppedCount()).isZero();
        subscription.dispose();
    }

    private static long seq(String text) {
        return Long.parseLong(text.substring(text.indexOf(':') + 1, text.indexOf(',')));
    }

    @Test
    void resumeDeduplicationAppliesBeforeTheStream() {
        SequenceFeedServer feed = track(SequenceFeedServer.start());
        feed.replayOverlap(5);
        ReconnectingWebSocketClient client = started(resuming(feed));
        ReactiveReconnectingWebSocketClient reactive = reactive(client);
        List<Long> received = new CopyOnWriteArrayList<>();
        Disposable subscription = reactive.messages(Position.class).map(Position::seq).subscribe(received::add);
        // a first subscriber gets only what is published after the feed registered it
        eventually().until(() -> feed.openSessions() == 1);
        for (int i = 0; i < 10; i++) {
            feed.publish();
        }
        eventually().until(() -> received.size() == 10);
        feed.closeAll(1011);
        eventually().until(() -> client.getReconnectCount() == 1 && client.isConnected());
        feed.publish();
        eventually().until(() -> received.size() >= 11);
        assertThat(received).as("each position once")
            .containsExactlyElementsOf(IntStream.rangeClosed(1, 11).mapToObj(Long::valueOf).toList());
        subscription.dispose();
    }

    record Position(long seq, int price) {
    }

    /** Longer than any wait of the test: a subscriber that held up another would fail it. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(3 * TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
