package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectedEvent;
import io.github.reconnectingws.WebSocketConnectionEvent;
import io.github.reconnectingws.WebSocketDisconnectedEvent;
import io.github.reconnectingws.WebSocketReconnectingEvent;
import io.github.reconnectingws.test.ConnectionStates;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connection events as application events, and re-subscribe from a connected-event
 * listener going out before the messages queued during an outage.
 */
@SpringBootTest(classes = ConnectionEventsIntegrationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = { "reconnecting.websocket.backoff.initial-interval=50ms",
                "reconnecting.websocket.backoff.max-interval=300ms" })
@DirtiesContext
class ConnectionEventsIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @RegisterExtension
    static final MockWebSocketServer server = MockWebSocketServer.create();

    @DynamicPropertySource
    static void connection(DynamicPropertyRegistry registry) {
        server.registerUrl(registry);
    }

    @Autowired
    ReconnectingWebSocketClient client;

    @Autowired
    Subscriber subscriber;

    @Test
    void eventsAndResubscribeBeforeTheBacklog() {
        await().atMost(TIMEOUT).until(this.client::isConnected);
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(server.receivedTexts()).containsExactly("subscribe"));
        assertThat(this.subscriber.events).first()
            .isInstanceOfSatisfying(WebSocketConnectedEvent.class, (event) -> {
                assertThat(event.isReconnect()).isFalse();
                assertThat(event.getConnectionName()).isEqualTo("default");
                assertThat(event.getClient()).isSameAs(this.client);
            });

        server.goDown();
        ConnectionStates.await(this.client, ConnectionState.RECONNECTING, TIMEOUT);
        server.clearRecords();
        this.client.send("queued-1");
        this.client.send("queued-2");
        assertThat(this.client.getPendingCount()).isEqualTo(2);
        server.comeBack();

        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(server.receivedTexts()).containsExactly("subscribe",
                "queued-1", "queued-2"));
        List<WebSocketConnectionEvent> events = List.copyOf(this.subscriber.events);
        assertThat(events).hasAtLeastOneElementOfType(WebSocketDisconnectedEvent.class)
            .hasAtLeastOneElementOfType(WebSocketReconnectingEvent.class);
        assertThat(events).filteredOn(WebSocketConnectedEvent.class::isInstance)
            .extracting((event) -> ((WebSocketConnectedEvent) event).isReconnect())
            .containsExactly(false, true);
        WebSocketReconnectingEvent reconnecting = events.stream()
            .filter(WebSocketReconnectingEvent.class::isInstance)
            .map(WebSocketReconnectingEvent.class::cast)
            .findFirst()
            .orElseThrow();
        assertThat(reconnecting.getAttempt()).isEqualTo(1);
        assertThat(reconnecting.getDelay()).isLessThanOrEqualTo(Duration.ofMillis(300));
        // the cause travels with the event and shows in its description
        assertThat(reconnecting.getCause()).isNotNull();
        assertThat(reconnecting.toString()).contains("cause=" + reconnecting.getCause().getClass().getSimpleName());
        int disconnected = events.indexOf(events.stream()
            .filter(WebSocketDisconnectedEvent.class::isInstance)
            .findFirst()
            .orElseThrow());
        assertThat(disconnected).isLessThan(events.indexOf(reconnecting));
    }

    /** Re-subscribes on every connect and records every connection event. */
    static class Subscriber {

        final List<WebSocketConnectionEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void onEvent(WebSocketConnectionEvent event) {
            this.events.add(event);
        }

        @EventListener
        void resubscribe(WebSocketConnectedEvent event) {
            event.getClient().send("subscribe");
        }

    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Subscriber subscriber() {
            return new Subscriber();
        }

    }

}
