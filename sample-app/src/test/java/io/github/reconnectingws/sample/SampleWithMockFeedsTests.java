package io.github.reconnectingws.sample;

import java.time.Duration;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.sample.trading.NewsDesk;
import io.github.reconnectingws.sample.trading.Order;
import io.github.reconnectingws.sample.trading.OrderDesk;
import io.github.reconnectingws.sample.trading.PriceBoard;
import io.github.reconnectingws.test.ConnectionStates;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's trading code against feeds of the test kit instead of its own: the price
 * board subscribes again after every reconnect, an order placed while the order feed is
 * down is sent once and acknowledged after it is back, and the news desk's STOMP
 * subscription survives a broker restart.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "reconnecting.websocket.backoff.initial-interval=50ms",
                "reconnecting.websocket.backoff.max-interval=500ms" })
@DirtiesContext
class SampleWithMockFeedsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final String PRICE = "{\"symbol\":\"ACME\",\"price\":10.5,\"seq\":1,\"time\":\"2026-01-01T00:00:00Z\"}";

    /** Answers each subscribe request with one price, as a feed that forgets subscriptions with the connection. */
    @RegisterExtension
    static MockWebSocketServer prices = MockWebSocketServer.create()
        .reply((text) -> text.contains("\"subscribe\""), (text) -> PRICE);

    @RegisterExtension
    static MockWebSocketServer orders = MockWebSocketServer.create().echo();

    @RegisterExtension
    static MockWebSocketServer news = MockWebSocketServer.create().stomp();

    @DynamicPropertySource
    static void feeds(DynamicPropertyRegistry registry) {
        prices.registerUrl(registry);
        orders.registerUrl(registry, "echo");
        news.registerUrl(registry, "news");
    }

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    @Autowired
    private PriceBoard board;

    @Autowired
    private OrderDesk orderDesk;

    @Autowired
    private NewsDesk newsDesk;

    @Test
    void thePriceBoardSubscribesAgainAfterADrop() {
        await().atMost(TIMEOUT).until(() -> this.board.getReceivedCount() >= 1);
        long before = this.board.getReceivedCount();
        prices.dropAll();
        await().atMost(TIMEOUT).until(() -> this.board.getReceivedCount() > before);
        assertThat(prices.connections()).hasSizeGreaterThanOrEqualTo(2).allSatisfy((connection) -> assertThat(
                connection.texts()).singleElement().asString().contains("\"subscribe\"", "ACME"));
    }

    @Test
    void anOrderPlacedDuringAnOutageIsSentOnceAndAcknowledged() {
        ConnectionStates.await(this.clients.getClient(OrderDesk.CONNECTION), ConnectionState.CONNECTED, TIMEOUT);
        orders.goDown();
        ConnectionStates.await(this.clients.getClient(OrderDesk.CONNECTION), ConnectionState.RECONNECTING, TIMEOUT);
        Order order = this.orderDesk.place("GLOBEX", 7);
        assertThat(order.placedWhile()).isIn("RECONNECTING", "CONNECTING");
        orders.comeBack();
        await().atMost(TIMEOUT).until(() -> this.orderDesk.getStatus(order.id()).acknowledgedAt() != null);
        assertThat(orders.receivedTexts()).filteredOn((text) -> text.contains("\"id\":" + order.id() + ","))
            .hasSize(1);
    }

    @Test
    void theNewsSubscriptionSurvivesABrokerRestart() {
        await().atMost(TIMEOUT).until(() -> news.stompSubscriptions().contains("/topic/news"));
        news.publish("/topic/news", "{\"seq\":1,\"headline\":\"Markets open\"}");
        await().atMost(TIMEOUT).until(() -> this.newsDesk.getReceivedCount() == 1);
        news.goDown(Duration.ofMillis(300));
        await().atMost(TIMEOUT).until(() -> news.connections().size() == 2
                && news.stompSubscriptions().contains("/topic/news"));
        news.publish("/topic/news", "{\"seq\":2,\"headline\":\"Markets close\"}");
        await().atMost(TIMEOUT).until(() -> this.newsDesk.getReceivedCount() == 2);
        assertThat(this.newsDesk.getLatest().get(0).headline()).isEqualTo("Markets close");
    }

}
