package io.github.reconnectingws.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.autoconfigure.ReactiveReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics;
import io.github.reconnectingws.reactive.ReactiveReconnectingStompClient;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.stompbroker.StompBrokerApplication;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP destinations watched as reactive streams against Spring's own broker in an
 * embedded server: one SUBSCRIBE shared by the subscribers, restored after every broker
 * restart, UNSUBSCRIBE after the last one; bodies converted by content type, a body that
 * cannot be converted skipped and counted; the streams complete with the context.
 */
class ReactiveStompIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port = freePort();

    private ConfigurableApplicationContext broker;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                ReactiveReconnectingWebSocketAutoConfiguration.class, JacksonAutoConfiguration.class,
                SslAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.connections.broker.url=ws://127.0.0.1:" + this.port + "/ws",
                "reconnecting.websocket.connections.broker.stomp.enabled=true",
                "reconnecting.websocket.connections.broker.stomp.login=guest",
                "reconnecting.websocket.connections.broker.stomp.passcode=" + StompBrokerApplication.PASSCODE,
                "reconnecting.websocket.backoff.initial-interval=50ms",
                "reconnecting.websocket.backoff.max-interval=500ms");

    @AfterEach
    void stopBroker() {
        if (this.broker != null) {
            this.broker.close();
        }
    }

    record Quote(String symbol, double price) {
    }

    @Test
    void watchSubscribesOnceIsRestoredAfterRestartsAndUnsubscribesAfterTheLastSubscriber() {
        this.broker = StompBrokerApplication.start(this.port);
        AtomicReference<StepVerifier> completesWithTheContext = new AtomicReference<>();
        this.runner.run((context) -> {
            assertThat(context).hasNotFailed();
            ReconnectingStompClient stomp = context.getBean("brokerStompClient", ReconnectingStompClient.class);
            ReactiveReconnectingStompClient reactive = context.getBean("brokerReactiveStompClient",
                    ReactiveReconnectingStompClient.class);
            ReconnectingWebSocketClient client = stomp.getClient();
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            new ReconnectingWebSocketClientMetrics(client).bindTo(meters);
            await().atMost(TIMEOUT).until(client::isConnected);
            StompBrokerApplication.subscriptionFrames.clear();

            List<Quote> first = new CopyOnWriteArrayList<>();
            List<Quote> second = new CopyOnWriteArrayList<>();
            Disposable one = reactive.watch("/topic/quotes", Quote.class).subscribe(first::add);
            Disposable two = reactive.watch("/topic/quotes", Quote.class).subscribe(second::add);
            await().atMost(TIMEOUT).until(() -> {
                stomp.send("/topic/quotes", new Quote("A", 1.0)).join();
                return first.contains(new Quote("A", 1.0)) && second.contains(new Quote("A", 1.0));
            });
            assertThat(StompBrokerApplication.subscriptionFrames).as("one SUBSCRIBE for both subscribers")
                .singleElement()
                .satisfies((frame) -> assertThat(frame).startsWith("SUBSCRIBE /topic/quotes "));
            String id = StompBrokerApplication.subscriptionFrames.get(0).substring("SUBSCRIBE /topic/quotes ".length());

            // a body that is no Quote is skipped and counted; the stream goes on
            stomp.send("/topic/quotes", "not a quote").join();
            stomp.send("/topic/quotes", new Quote("B", 2.0)).join();
            await().atMost(TIMEOUT).until(() -> first.contains(new Quote("B", 2.0)));
            assertThat(meters.get(ReconnectingWebSocketClientMetrics.LISTENER_ERRORS).counter().count())
                .isGreaterThanOrEqualTo(1);

            restartBroker(client, 1);
            await().atMost(TIMEOUT).until(() -> {
                stomp.send("/topic/quotes", new Quote("C", 3.0)).join();
                return first.contains(new Quote("C", 3.0)) && second.contains(new Quote("C", 3.0));
            });
            assertThat(StompBrokerApplication.subscriptionFrames).as("restored on the new session")
                .containsExactly("SUBSCRIBE /topic/quotes " + id, "SUBSCRIBE /topic/quotes " + id);

            one.dispose();
            assertThat(StompBrokerApplication.subscriptionFrames).doesNotContain("UNSUBSCRIBE " + id);
            two.dispose();
            await().atMost(TIMEOUT).until(() -> StompBrokerApplication.subscriptionFrames.contains("UNSUBSCRIBE " + id));

            // not restored any more: after the next restart only the new watch subscribes
            restartBroker(client, 2);
            StompBrokerApplication.subscriptionFrames.clear();
            List<String> news = new CopyOnWriteArrayList<>();
            completesWithTheContext.set(StepVerifier.create(reactive.watch("/topic/news", String.class))
                .thenConsumeWhile((text) -> true, news::add)
                .expectComplete()
                .verifyLater());
            await().atMost(TIMEOUT).until(() -> {
                stomp.send("/topic/news", "marker").join();
                return news.contains("marker");
            });
            assertThat(StompBrokerApplication.subscriptionFrames).allMatch((frame) -> frame.startsWith("SUBSCRIBE /topic/news "));
        });
        completesWithTheContext.get().verify(TIMEOUT);
    }

    private void restartBroker(ReconnectingWebSocketClient client, long reconnects) {
        this.broker.close();
        this.broker = StompBrokerApplication.start(this.port);
        await().atMost(TIMEOUT).until(() -> client.getReconnectCount() == reconnects && client.isConnected());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
