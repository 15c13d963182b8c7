package io.github.reconnectingws.actuate;

import java.time.Duration;
import java.util.List;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.actuate.ReconnectingWebSocketClientsEndpoint.ConnectionDescriptor;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReconnectingWebSocketClientsEndpoint} against a real WebSocket server.
 */
class ReconnectingWebSocketClientsEndpointTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A server of its own for every test. */
    @RegisterExtension
    final MockWebSocketServer server = MockWebSocketServer.create();

    private ReconnectingWebSocketClient prices;

    private ReconnectingWebSocketClient orders;

    private ReconnectingWebSocketClientsEndpoint endpoint;

    @BeforeEach
    void setUp() {
        this.prices = client("prices", this.server.url() + "?key=k3y-value");
        this.orders = client("orders", this.server.url());
        this.endpoint = new ReconnectingWebSocketClientsEndpoint(ReconnectingWebSocketClientRegistry.of(List.of(this.prices, this.orders)));
    }

    @AfterEach
    void tearDown() {
        this.prices.close();
        this.orders.close();
    }

    @Test
    void listsEveryConnectionInOrder() {
        assertThat(this.endpoint.connections().connections()).containsOnlyKeys("prices", "orders");
        ConnectionDescriptor prices = this.endpoint.connections().connections().get("prices");
        assertThat(prices.state()).isEqualTo("NEW");
        assertThat(prices.url()).isEqualTo("ws://127.0.0.1:" + this.server.port() + "/ws?key=******");
        assertThat(prices.reconnects()).isZero();
        assertThat(prices.pendingOutbound()).isZero();
        assertThat(prices.lastError()).isNull();
        assertThat(prices.since()).isEqualTo(this.prices.getStateSince().toString());
    }

    @Test
    void showsOneConnectionByNameAndRefusesAnUnknownName() {
        assertThat(this.endpoint.connection("orders")).isNotNull();
        assertThat(this.endpoint.connection("missing")).isNull();
        assertRefused(this.endpoint.control("missing", "start"), "No WebSocket connection named 'missing'");
    }

    @Test
    void startsReconnectsAndStopsANamedConnection() {
        ConnectionDescriptor started = descriptor(this.endpoint.control("prices", "start"));
        assertThat(started.state()).isIn("CONNECTING", "CONNECTED");
        await().atMost(TIMEOUT).until(this.prices::isConnected);
        assertThat(this.orders.getState()).isEqualTo(ConnectionState.NEW);

        this.endpoint.control("prices", "reconnect");
        await().atMost(TIMEOUT).until(() -> this.prices.isConnected() && this.prices.getReconnectCount() == 1);

        assertThat(descriptor(this.endpoint.control("prices", "STOP")).state()).isEqualTo("CLOSED");
        assertThat(this.prices.getState()).isEqualTo(ConnectionState.CLOSED);

        // a start after a stop is a first connect again, not a reconnect
        assertThat(descriptor(this.endpoint.control("prices", "start")).state()).isIn("CONNECTING", "CONNECTED");
        await().atMost(TIMEOUT).until(this.prices::isConnected);
        assertThat(this.prices.getReconnectCount()).isEqualTo(1);
    }

    @Test
    void refusesAnUnknownOperation() {
        assertRefused(this.endpoint.control("prices", "explode"), "reconnect, stop, start or yield");
    }

    @Test
    void refusesAReconnectTheClientRefuses() {
        assertRefused(this.endpoint.control("prices", "reconnect"), "not started");
    }

    private static ConnectionDescriptor descriptor(WebEndpointResponse<Object> response) {
        assertThat(response.getStatus()).isEqualTo(200);
        return (ConnectionDescriptor) response.getBody();
    }

    private static void assertRefused(WebEndpointResponse<Object> response, String reason) {
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(response.getBody()).isInstanceOfSatisfying(ReconnectingWebSocketClientsEndpoint.Refusal.class,
                (refusal) -> assertThat(refusal.error()).contains(reason));
    }

    private static ReconnectingWebSocketClient client(String name, String url) {
        return ReconnectingWebSocketClientBuilder.forUrl(url)
            .name(name)
            .backoff(Duration.ofMillis(50), 2.0, 0.0, Duration.ofMillis(200), Duration.ZERO)
            .shutdownTimeout(Duration.ofSeconds(1))
            .build();
    }

}
