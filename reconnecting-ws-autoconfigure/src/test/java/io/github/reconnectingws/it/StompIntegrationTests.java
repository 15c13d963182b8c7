package io.github.reconnectingws.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ProtocolHandshakeException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectionFailedEvent;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketMetricsAutoConfiguration;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.stompbroker.StompBrokerApplication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.simp.stomp.StompHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * STOMP over a reconnecting connection against Spring's own broker in an embedded server:
 * listeners by destination with content-type conversion and headers, subscriptions and
 * queued SENDs that survive a broker restart, refused credentials that fail the client.
 */
@ExtendWith(OutputCaptureExtension.class)
class StompIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final int port = freePort();

    private ConfigurableApplicationContext broker;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class,
                JacksonAutoConfiguration.class, SslAutoConfiguration.class, PropertyPlaceholderAutoConfiguration.class))
        .withPropertyValues("reconnecting.websocket.connections.broker.url=ws://127.0.0.1:" + this.port + "/ws",
                "reconnecting.websocket.connections.broker.stomp.enabled=true",
                "reconnecting.websocket.connections.broker.stomp.login=guest",
                "reconnecting.websocket.connections.broker.stomp.passcode=" + StompBrokerApplication.PASSCODE,
                "reconnecting.websocket.backoff.initial-interval=50ms",
                "reconnecting.websocket.backoff.max-interval=500ms")
        .withBean(Prices.class);

    @AfterEach
    void stopBroker() {
        if (this.broker != null) {
            this.broker.close();
        }
    }

    @Test
    void listenersGetConvertedPayloadsAndHeadersAndSurviveABrokerRestart() {
        this.broker = StompBrokerApplication.start(this.port);
        StompBrokerApplication.connectTokens.clear();
        this.runner.withPropertyValues("reconnecting.websocket.connections.broker.headers.X-Token=tok-42").run((context) -> {
            assertThat(context).hasNotFailed();
            Prices prices = context.getBean(Prices.class);
            ReconnectingStompClient stomp = context.getBean("brokerStompClient", ReconnectingStompClient.class);
            ReconnectingWebSocketClient client = stomp.getClient();
            await().atMost(TIMEOUT).until(client::isConnected);
            await().atMost(TIMEOUT).until(() -> stomp.send("/topic/prices", new Price("ACME", 12.5)).isDone()
                    && !prices.received.isEmpty());
            assertThat(prices.received.get(0)).isEqualTo(new Price("ACME", 12.5));
            assertThat(prices.destinations.get(0)).isEqualTo("/topic/prices");
            assertThat(prices.contentTypes.get(0)).startsWith("application/json");
            stomp.send("/topic/news", "plain text");
            await().atMost(TIMEOUT).until(() -> prices.news.contains("plain text"));

            // the broker restarts; meanwhile a price is sent: it goes after the re-subscribe
            this.broker.close();
            await().atMost(TIMEOUT).until(() -> client.getState() != ConnectionState.CONNECTED);
            CompletableFuture<Void> queued = stomp.send("/topic/prices", new Price("GLOBEX", 7));
            assertThat(queued).isNotDone();
            this.broker = StompBrokerApplication.start(this.port);
            await().atMost(TIMEOUT).until(() -> prices.received.contains(new Price("GLOBEX", 7)));
            assertThat(client.getReconnectCount()).isEqualTo(1);
            stomp.send("/topic/news", "after the restart");
            await().atMost(TIMEOUT).until(() -> prices.news.contains("after the restart"));
            // every CONNECT carried the handshake's headers
            assertThat(StompBrokerApplication.connectTokens).hasSize(2).containsOnly("tok-42");
        });
    }

    @Test
    void listenersOfOneDestinationAreRoutedByAFieldOfTheBody(CapturedOutput output) {
        this.broker = StompBrokerApplication.start(this.port);
        LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());
        String unhandledLogger = "io.github.reconnectingws.listener.StompDestinationListeners";
        logging.setLogLevel(unhandledLogger, LogLevel.DEBUG);
        try {
            this.runner.withConfiguration(AutoConfigurations.of(ReconnectingWebSocketMetricsAutoConfiguration.class))
                .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean(Events.class)
                .run((context) -> {
                    assertThat(context).hasNotFailed();
                    Events events = context.getBean(Events.class);
                    ReconnectingStompClient stomp = context.getBean("brokerStompClient",
                            ReconnectingStompClient.class);
                    await().atMost(TIMEOUT).until(stomp.getClient()::isConnected);
                    // probes until the subscription is in place; they are left out below
                    String probe = "{\"kind\":\"order\",\"id\":0}";
                    await().atMost(TIMEOUT)
                        .until(() -> stomp.send("/topic/events", probe).isDone() && !events.orders.isEmpty());
                    stomp.send("/topic/events", "{\"kind\":\"order\",\"id\":1}");
                    stomp.send("/topic/events", "{\"kind\":\"fill\",\"id\":2}");
                    stomp.send("/topic/events", "{\"kind\":\"other\",\"id\":3}");
                    stomp.send("/topic/events", "{\"kind\":\"order\",\"id\":4}");
                    // the test broker may deliver one session's messages on several threads: any order
                    await().atMost(TIMEOUT).until(() -> events.orders.contains("{\"kind\":\"order\",\"id\":1}")
                            && events.orders.contains("{\"kind\":\"order\",\"id\":4}") && events.fills.size() == 1);
                    assertThat(events.orders).filteredOn((order) -> !order.equals(probe))
                        .containsExactlyInAnyOrder("{\"kind\":\"order\",\"id\":1}", "{\"kind\":\"order\",\"id\":4}");
                    assertThat(events.fills).containsExactly("{\"kind\":\"fill\",\"id\":2}");
                    // the frame that neither takes: counted and logged once, not once per listener
                    Counter unhandled = context.getBean(MeterRegistry.class)
                        .get("reconnecting.websocket.messages.unhandled")
                        .tag("connection", "broker")
                        .tag("type", "text")
                        .counter();
                    await().atMost(TIMEOUT).until(() -> unhandled.count() == 1);
                    String line = "WebSocket 'broker' STOMP frame of 23 bytes from /topic/events taken by no listener";
                    await().atMost(TIMEOUT).until(() -> output.getAll().contains(line));
                    assertThat(output.getAll().split(Pattern.quote(line), -1)).hasSize(2);
                    assertThat(output.getAll()).doesNotContain("\"kind\":\"other\"");
                });
        }
        finally {
            logging.setLogLevel(unhandledLogger, null);
        }
    }

    @Test
    void programmaticSubscriptionsSurviveRestartsUntilUnsubscribed() {
        this.broker = StompBrokerApplication.start(this.port);
        this.runner.run((context) -> {
            ReconnectingStompClient stomp = context.getBean("brokerStompClient", ReconnectingStompClient.class);
            await().atMost(TIMEOUT).until(stomp.getClient()::isConnected);
            List<String> alerts = new CopyOnWriteArrayList<>();
            ReconnectingStompClient.Subscription subscription = stomp.subscribe("/topic/alerts",
                    new org.springframework.messaging.simp.stomp.StompFrameHandler() {
                        @Override
                        public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
                            return String.class;
                        }

                        @Override
                        public void handleFrame(StompHeaders headers, Object payload) {
                            alerts.add((String) payload);
                        }
                    });
            await().atMost(TIMEOUT).until(() -> {
                stomp.send("/topic/alerts", "one");
                return alerts.contains("one");
            });
            this.broker.close();
            this.broker = StompBrokerApplication.start(this.port);
            await().atMost(TIMEOUT).until(() -> stomp.getClient().getReconnectCount() == 1
                    && stomp.getClient().isConnected());
            await().atMost(TIMEOUT).until(() -> {
                stomp.send("/topic/alerts", "two");
                return alerts.contains("two");
            });
            subscription.unsubscribe();
            stomp.send("/topic/alerts", "three").get();
            stomp.send("/topic/news", "marker").get();
            await().atMost(TIMEOUT).until(() -> context.getBean(Prices.class).news.contains("marker"));
            assertThat(alerts).doesNotContain("three");
        });
    }

    @Test
    void refusedCredentialsFailTheClientWithoutRetrying() {
        this.broker = StompBrokerApplication.start(this.port);
        FailureRecorder failures = new FailureRecorder();
        this.runner.withPropertyValues("reconnecting.websocket.connections.broker.stomp.passcode=wrong")
            .withBean(FailureRecorder.class, () -> failures)
            .run((context) -> {
                ReconnectingWebSocketClient client = context.getBean("brokerReconnectingWebSocketClient",
                        ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(() -> client.getState() == ConnectionState.FAILED);
                await().atMost(TIMEOUT).until(() -> !failures.events.isEmpty());
                assertThat(failures.events.get(0).getCause()).isInstanceOf(ProtocolHandshakeException.class)
                    .hasMessageContaining("Access refused");
                assertThat(client.getLastError()).doesNotContain("wrong");
            });
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    record Price(String symbol, double price) {
    }

    static class Prices {

        final List<Price> received = new CopyOnWriteArrayList<>();

        final List<String> destinations = new CopyOnWriteArrayList<>();

        final List<String> contentTypes = new CopyOnWriteArrayList<>();

        final List<String> news = new CopyOnWriteArrayList<>();

        @WebSocketListener(connection = "broker", destination = "/topic/prices")
        void onPrice(Price price, StompHeaders headers, @Header("content-type") String contentType) {
            this.received.add(price);
            this.destinations.add(headers.getDestination());
            this.contentTypes.add(contentType);
        }

        @WebSocketListener(connection = "broker", destination = "/topic/news")
        void onNews(String text) {
            this.news.add(text);
        }

    }

    static class Events {

        final List<String> orders = new CopyOnWriteArrayList<>();

        final List<String> fills = new CopyOnWriteArrayList<>();

        @WebSocketListener(connection = "broker", destination = "/topic/events", field = "/kind", havingValue = "order")
        void onOrder(String event) {
            this.orders.add(event);
        }

        @WebSocketListener(connection = "broker", destination = "/topic/events", field = "/kind", havingValue = "fill")
        void onFill(String event) {
            this.fills.add(event);
        }

    }

    static class FailureRecorder {

        final List<WebSocketConnectionFailedEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(WebSocketConnectionFailedEvent event) {
            this.events.add(event);
        }

    }

}
