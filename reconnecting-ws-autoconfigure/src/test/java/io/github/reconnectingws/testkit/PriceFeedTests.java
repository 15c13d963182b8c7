package io.github.reconnectingws.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.test.ConnectionStates;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Service;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(properties = "reconnecting.websocket.backoff.max-interval=500ms")
@DirtiesContext   // its clients stop with the test class, not at the end of the run
class PriceFeedTests {

    @RegisterExtension
    static MockWebSocketServer feed = MockWebSocketServer.create()
        .sendOnOpen("{\"symbol\":\"ACME\",\"price\":10.0}");

    @DynamicPropertySource
    static void feedUrl(DynamicPropertyRegistry registry) {
        feed.registerUrl(registry);   // reconnecting.websocket.url = ws://127.0.0.1:<port>/ws
    }

    @Autowired
    ReconnectingWebSocketClient client;

    @Autowired
    Trader trader;

    @Test
    void resumesAfterAnOutageAndSendsTheQueuedOrderOnce() {
        ConnectionStates.await(this.client, ConnectionState.CONNECTED);
        await().until(() -> this.trader.prices().size() == 1);

        feed.goDown();   // every connection dropped, the port closed
        ConnectionStates.await(this.client, ConnectionState.RECONNECTING);
        this.trader.buy("ACME");   // queued while the feed is down
        feed.comeBack();

        feed.awaitReceived((text) -> text.contains("\"buy\""));
        ConnectionStates.await(this.client, ConnectionState.CONNECTED);
        await().until(() -> this.trader.prices().size() == 2);   // the listener resumed
        assertThat(feed.receivedTexts()).containsOnlyOnce("{\"buy\":\"ACME\"}");
        assertThat(feed.connections()).hasSize(2);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Trader.class)
    static class TradingApp {

    }

    @Service
    static class Trader {

        private final List<Price> prices = new CopyOnWriteArrayList<>();

        private final ReconnectingWebSocketClient client;

        Trader(ReconnectingWebSocketClient client) {
            this.client = client;
        }

        @WebSocketListener
        void onPrice(Price price) {
            this.prices.add(price);
        }

        void buy(String symbol) {
            this.client.send(new Order(symbol));
        }

        List<Price> prices() {
            return this.prices;
        }

    }

    record Price(String symbol, double price) {

    }

    record Order(String buy) {

    }

}
