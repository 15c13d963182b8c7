package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.reconnectingws.ConnectionObserver;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.autoconfigure.ReactiveReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.reactive.ReactiveReconnectingStompClient;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.testsupport.RabbitMqServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.web.socket.WebSocketMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * STOMP against a real external broker, RabbitMQ's Web STOMP plugin (Debian's
 * rabbitmq-server, started by the test): after a broker restart every subscription and
 * watch is restored and what was sent during the outage is delivered after the
 * re-subscribe, with receipts.
 */
class StompRabbitMqTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static RabbitMqServer rabbit;

    @BeforeAll
    static void startBroker() {
        rabbit = RabbitMqServer.start();
    }

    @AfterAll
    static void stopBroker() {
        if (rabbit != null) {
            rabbit.close();
        }
    }

    /**
     * One restart of the broker, seen by a {@code @WebSocketListener}, by a SEND made during
     * the outage (with its RECEIPT) and by a reactive watch, which goes on without
     * completing.
     */
    @Test
    void subscriptionsQueuedSendsAndWatchesSurviveABrokerRestart() throws Exception {
        reactiveRunner().withPropertyValues("reconnecting.websocket.connections.rabbit.stomp.receipts=true")
            .withBean(Quotes.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                Quotes quotes = context.getBean(Quotes.class);
                ReconnectingStompClient stomp = context.getBean("rabbitStompClient", ReconnectingStompClient.class);
                ReactiveReconnectingStompClient reactive = context.getBean("rabbitReactiveStompClient",
                        ReactiveReconnectingStompClient.class);
                ReconnectingWebSocketClient client = stomp.getClient();
                await().atMost(TIMEOUT).until(client::isConnected);
                Set<String> watched = ConcurrentHashMap.newKeySet();
                List<String> watchEnded = new CopyOnWriteArrayList<>();
                Disposable watch = reactive.watch("/topic/watched", String.class)
                    .subscribe(watched::add, (error) -> watchEnded.add("error: " + error),
                            () -> watchEnded.add("completed"));
                try {
                    await().atMost(TIMEOUT).until(() -> {
                        stomp.send("/topic/quotes", "before").get(10, TimeUnit.SECONDS);
                        return quotes.received.contains("before");
                    });
                    sendUntilSeen(stomp, "before", watched);

                    rabbit.stop();
                    await().atMost(TIMEOUT).until(() -> client.getState() != ConnectionState.CONNECTED);
                    CompletableFuture<Void> during = stomp.send("/topic/quotes", "during the outage");
                    rabbit.restart();
                    // RECEIPT: the broker has it; and it came after the re-subscribe
                    during.get(60, TimeUnit.SECONDS);
                    await().atMost(TIMEOUT).until(() -> quotes.received.contains("during the outage"));
                    assertThat(client.getReconnectCount()).isGreaterThanOrEqualTo(1);
                    stomp.send("/topic/quotes", "after").get(10, TimeUnit.SECONDS);
                    await().atMost(TIMEOUT).until(() -> quotes.received.contains("after"));
                    sendUntilSeen(stomp, "after", watched);
                    assertThat(watchEnded).as("the watch goes on across the restart").isEmpty();
                }
                finally {
                    watch.dispose();
                }
            });
    }

    @Test
    void aClientIndividualWatchAcknowledgesWhatItsSubscriberReceivedAndTheBrokerRedeliversTheRest() {
        reactiveRunner().run((context) -> {
            assertThat(context).hasNotFailed();
            ReconnectingStompClient stomp = context.getBean("rabbitStompClient", ReconnectingStompClient.class);
            ReactiveReconnectingStompClient reactive = context.getBean("rabbitReactiveStompClient",
                    ReactiveReconnectingStompClient.class);
            await().atMost(TIMEOUT).until(stomp.getClient()::isConnected);
            StompHeaders subscribe = new StompHeaders();
            subscribe.setDestination("/queue/acked-" + UUID.randomUUID());
            subscribe.setAck("client-individual");

            AtomicInteger acksWritten = new AtomicInteger();
            stomp.getClient().addObserver(new ConnectionObserver() {
                @Override
                public void onMessageSent(ReconnectingWebSocketClient client, WebSocketMessage<?> message) {
                    if (String.valueOf(message.getPayload()).startsWith("ACK\n")) {
                        acksWritten.incrementAndGet();
                    }
                }
            });

            // the subscriber takes two of five; three wait in its buffer when it cancels
            Set<String> arrived = ConcurrentHashMap.newKeySet();
            StepVerifier.create(reactive.watch(subscribe, String.class).doOnNext(arrived::add), 0)
                .then(() -> {
                    for (int i = 1; i <= 5; i++) {
                        stomp.send(subscribe.getDestination(), "m" + i).join();
                    }
                })
                .thenRequest(2)
                .expectNext("m1", "m2")
                .thenCancel()
                .verify(TIMEOUT);

            // unacknowledged, they come back with the next session; the received two do not
            // (once their ACKs are written)
            await().atMost(TIMEOUT).until(() -> acksWritten.get() == 2);
            long reconnects = stomp.getClient().getReconnectCount();
            stomp.getClient().reconnect();
            await().atMost(TIMEOUT)
                .until(() -> stomp.getClient().isConnected() && stomp.getClient().getReconnectCount() > reconnects);
            List<String> again = new CopyOnWriteArrayList<>();
            Disposable second = reactive.watch(subscribe, String.class).subscribe(again::add);
            try {
                await().atMost(TIMEOUT).until(() -> again.containsAll(List.of("m3", "m4", "m5")));
                stomp.send(subscribe.getDestination(), "m6").join();
                await().atMost(TIMEOUT).until(() -> again.contains("m6"));
                assertThat(again).as("m1 and m2 were acknowledged when the subscriber received them")
                    .doesNotContain("m1", "m2");
            }
            finally {
                second.dispose();
            }
            assertThatIllegalArgumentException().isThrownBy(() -> {
                StompHeaders cumulative = new StompHeaders();
                cumulative.setDestination(subscribe.getDestination());
                cumulative.setAck("client");
                reactive.watch(cumulative, String.class);
            });
        });
    }

    private static ApplicationContextRunner reactiveRunner() {
        return new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                    ReactiveReconnectingWebSocketAutoConfiguration.class, JacksonAutoConfiguration.class,
                    SslAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
            .withPropertyValues("reconnecting.websocket.connections.rabbit.url=" + rabbit.stompUri(),
                    "reconnecting.websocket.connections.rabbit.stomp.enabled=true",
                    "reconnecting.websocket.connections.rabbit.stomp.login=" + rabbit.login(),
                    "reconnecting.websocket.connections.rabbit.stomp.passcode=" + rabbit.passcode(),
                    "reconnecting.websocket.connections.rabbit.stomp.host=" + rabbit.virtualHost(),
                    "reconnecting.websocket.backoff.initial-interval=100ms",
                    "reconnecting.websocket.backoff.max-interval=1s");
    }

    /** Sends until the watch sees it: a SUBSCRIBE has no receipt. */
    private static void sendUntilSeen(ReconnectingStompClient stomp, String text, Set<String> seen) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            stomp.send("/topic/watched", text).join();
            return seen.contains(text);
        });
    }

    static class Quotes {

        final List<String> received = new CopyOnWriteArrayList<>();

        @WebSocketListener(connection = "rabbit", destination = "/topic/quotes")
        void onQuote(String quote) {
            this.received.add(quote);
        }

    }

}
