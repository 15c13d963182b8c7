package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One feed multiplexing message types on one socket, as exchange feeds do: listeners
 * routed by a JSON field's value and by Jackson type ids each get their own messages, a
 * message no listener takes is counted as unhandled (not an error), and one a listener
 * takes but cannot convert is an error logged with its cause and without its payload.
 */
@SpringBootTest(classes = ListenerRoutingIntegrationTests.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "logging.level.io.github.reconnectingws.ReconnectingWebSocketClient=DEBUG")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ListenerRoutingIntegrationTests {

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
    Feed feed;

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void connected() {
        await().atMost(TIMEOUT).until(this.client::isConnected);
        server.awaitConnections(1);
        assertThat(server.openConnections()).hasSize(1);
        this.feed.calls.clear();
    }

    private double count(String name, String type) {
        return this.meters.get(name).tag("connection", "default").tag("type", type).counter().count();
    }

    private double listenerErrors() {
        return this.meters.get("reconnecting.websocket.listener.errors").tag("connection", "default").counter().count();
    }

    @Test
    void eachListenerGetsTheMessagesItIsRoutedTo() {
        double unhandled = count("reconnecting.websocket.messages.unhandled", "text");
        double errors = listenerErrors();
        server.sendToAll("{\"type\":\"ticker\",\"symbol\":\"BTC\",\"price\":43000.5}");
        server.sendToAll("{\"type\":\"trade\",\"symbol\":\"ETH\",\"size\":2}");
        server.sendToAll("{\"e\":\"ack\",\"id\":7}");
        server.sendToAll("{\"type\":\"snapshot\",\"symbol\":\"BTC\"}");
        server.sendToAll("{\"e\":\"ack\",\"id\":8}");
        await().atMost(TIMEOUT).until(() -> this.feed.calls.size() == 6);
        assertThat(this.feed.calls).containsExactlyInAnyOrder("ticker:BTC@43000.5", "event:Ticker", "trade:ETH x2",
                "event:Trade", "ack:{\"e\":\"ack\",\"id\":7}", "ack:{\"e\":\"ack\",\"id\":8}");
        // the snapshot: no listener takes it
        await().atMost(TIMEOUT).until(() -> count("reconnecting.websocket.messages.unhandled", "text") == unhandled + 1);
        assertThat(listenerErrors()).isEqualTo(errors);
    }

    @Test
    void aMessageNoListenerTakesIsCountedAsUnhandledNotAsAnError(CapturedOutput output) {
        double unhandled = count("reconnecting.websocket.messages.unhandled", "text");
        double errors = listenerErrors();
        server.sendToAll("{\"type\":\"heartbeat\"}");
        server.sendToAll("not json at all");
        server.sendToAll("{\"e\":\"ack\",\"id\":9}");
        await().atMost(TIMEOUT).until(() -> this.feed.calls.size() == 1);
        await().atMost(TIMEOUT).until(() -> count("reconnecting.websocket.messages.unhandled", "text") == unhandled + 2);
        assertThat(listenerErrors()).isEqualTo(errors);
        // logged at DEBUG, by size, never the content
        assertThat(output).containsPattern("DEBUG .*WebSocket 'default' text message of 20 bytes taken by no listener")
            .containsPattern("DEBUG .*WebSocket 'default' text message of 15 bytes taken by no listener")
            .doesNotContain("heartbeat")
            .doesNotContain("not json at all");
    }

    @Test
    void aRoutedMessageThatDoesNotConvertIsAnErrorWithItsCauseAndWithoutThePayload(CapturedOutput output) {
        double errors = listenerErrors();
        server.sendToAll("{\"type\":\"ticker\",\"symbol\":\"BTC\",\"price\":\"secret-not-a-number\"}");
        server.sendToAll("{\"type\":\"ticker\",\"symbol\":\"ETH\",\"price\":2200.0}");
        await().atMost(TIMEOUT).until(() -> this.feed.calls.contains("ticker:ETH@2200.0"));
        await().atMost(TIMEOUT).until(() -> listenerErrors() == errors + 2);
        assertThat(output).contains("Feed.ticker(Ticker) could not take a text message of")
            .contains("MessageConversionException caused by InvalidFormatException at ")
            .contains("Ticker[\"price\"] (wanted double)")
            .doesNotContain("secret-not-a-number");
        assertThat(this.client.isConnected()).isTrue();
    }

    /** The feed's message types, told apart by their "type" property. */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({ @JsonSubTypes.Type(value = Ticker.class, name = "ticker"),
            @JsonSubTypes.Type(value = Trade.class, name = "trade") })
    sealed interface FeedEvent permits Ticker, Trade {
    }

    record Ticker(String symbol, double price) implements FeedEvent {
    }

    record Trade(String symbol, int size) implements FeedEvent {
    }

    static class Feed {

        final List<String> calls = new CopyOnWriteArrayList<>();

        @WebSocketListener
        void ticker(Ticker ticker) {
            this.calls.add("ticker:" + ticker.symbol() + "@" + ticker.price());
        }

        @WebSocketListener
        void trade(Trade trade) {
            this.calls.add("trade:" + trade.symbol() + " x" + trade.size());
        }

        @WebSocketListener
        void any(FeedEvent event) {
            this.calls.add("event:" + event.getClass().getSimpleName());
        }

        @WebSocketListener(field = "/e", havingValue = "ack")
        void ack(String text) {
            this.calls.add("ack:" + text);
        }

    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Feed feed() {
            return new Feed();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

    }

}
