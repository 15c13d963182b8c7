package io.github.reconnectingws.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.stomp.ReconnectingStompClient;
import io.github.reconnectingws.test.ConnectionStates;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The STOMP mode of {@link MockWebSocketServer} with a named connection: a
 * {@code @WebSocketListener(destination)} keeps receiving across a broker restart, and a
 * SEND made while the broker is down reaches it once, after the re-subscribe.
 */
@SpringBootTest(properties = { "reconnecting.websocket.connections.broker.stomp.enabled=true",
        "reconnecting.websocket.backoff.max-interval=500ms" })
@DirtiesContext
class StompBrokerRestartTests {

    @RegisterExtension
    static MockWebSocketServer broker = MockWebSocketServer.create().stomp();

    @DynamicPropertySource
    static void brokerUrl(DynamicPropertyRegistry registry) {
        broker.registerUrl(registry, "broker");
    }

    @Autowired
    @Qualifier("brokerReconnectingWebSocketClient")
    ReconnectingWebSocketClient client;

    @Autowired
    ReconnectingStompClient brokerStompClient;

    @Autowired
    Prices prices;

    @Test
    void listenerReceivesAcrossABrokerRestartAndAQueuedSendArrivesOnce() {
        ConnectionStates.await(this.client, ConnectionState.CONNECTED);
        await().until(broker::stompSubscriptions, (destinations) -> destinations.contains("/topic/prices"));
        assertThat(broker.connections().get(0).subprotocol()).isEqualTo("v12.stomp");
        assertThat(broker.publish("/topic/prices", "{\"symbol\":\"ACME\",\"price\":1.5}")).isEqualTo(1);
        await().until(() -> this.prices.received.size() == 1);

        broker.goDown();
        ConnectionStates.await(this.client, ConnectionState.RECONNECTING);
        // the subscriptions go with the connection, once Tomcat has seen it dropped, which
        // may be a moment after the client has
        await().until(broker::stompSubscriptions, List::isEmpty);
        this.brokerStompClient.send("/topic/orders", "buy ACME");
        broker.comeBack();

        await().until(broker::stompSubscriptions, (destinations) -> destinations.contains("/topic/prices"));
        await().until(() -> broker.stompSent("/topic/orders").size() == 1);
        broker.publish("/topic/prices", "{\"symbol\":\"ACME\",\"price\":1.6}");
        await().until(() -> this.prices.received.size() == 2);
        assertThat(this.prices.received).extracting(Price::price).containsExactly(1.5, 1.6);
        assertThat(broker.stompSent("/topic/orders")).containsExactly("buy ACME");
        // CONNECT, SUBSCRIBE, ...: the frames each connection carried are recorded too
        assertThat(broker.connections().get(1).texts()).first().asString().startsWith("CONNECT");
    }

    @Test
    void aRefusedConnectIsFatal() {
        ConnectionStates.await(this.client, ConnectionState.CONNECTED);
        broker.refuseStompConnect("bad passcode");
        broker.dropAll();
        ConnectionStates.await(this.client, ConnectionState.FAILED);
        broker.heal();
        this.client.start();
        ConnectionStates.await(this.client, ConnectionState.CONNECTED);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Prices.class)
    static class BrokerApp {

    }

    @Component
    static class Prices {

        final List<Price> received = new CopyOnWriteArrayList<>();

        @WebSocketListener(connection = "broker", destination = "/topic/prices")
        void onPrice(Price price) {
            this.received.add(price);
        }

    }

    record Price(String symbol, double price) {

    }

}
