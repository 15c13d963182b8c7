package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.it.Http.Response;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, the {@code websocketclients} endpoint and metrics over HTTP, in an application
 * with the actuator and two configured connections to a real WebSocket server, while the
 * connections go up, down and fail.
 */
@SpringBootTest(classes = ObservabilityHttpIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=health,metrics,websocketclients",
                "management.endpoint.websocketclients.access=unrestricted",
                "management.endpoint.health.show-details=always",
                "reconnecting.websocket.backoff.initial-interval=100ms",
                "reconnecting.websocket.backoff.max-interval=500ms", "reconnecting.websocket.shutdown-timeout=1s" })
@DirtiesContext
class ObservabilityHttpIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final String HEALTH = "/actuator/health/reconnectingWebSocket";

    private static final String CLIENTS = "/actuator/websocketclients";

    /** Before each test it ends the faults the last one left: it is up and accepts handshakes. */
    @RegisterExtension
    static final MockWebSocketServer server = MockWebSocketServer.create();

    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        registry.add("reconnecting.websocket.connections.prices.url", () -> server.url() + "?channel=prices");
        server.registerUrl(registry, "orders");
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    private Http http;

    @BeforeEach
    void everyConnectionUp() {
        this.http = new Http(this.port);
        // a previous test may leave an attempt in flight that fails (fatally) only after
        // handshakes are accepted again: restart whatever has stopped until all are up
        await().atMost(TIMEOUT).until(() -> {
            for (ReconnectingWebSocketClient client : this.clients.getClients().values()) {
                if (client.getState() == ConnectionState.CLOSED || client.getState() == ConnectionState.FAILED) {
                    client.start();
                }
            }
            return this.clients.getClients().values().stream().allMatch(ReconnectingWebSocketClient::isConnected);
        });
    }

    @Test
    void healthIsUpThenDownWhileTheServerIsGoneThenDownWhenTheClientGivesUp() {
        Response up = this.http.get(HEALTH).saveExample("health-up");
        assertThat(up.status()).isEqualTo(200);
        assertThat(up.<String>json("$.status")).isEqualTo("UP");
        assertThat(up.<String>json("$.components.prices.status")).isEqualTo("UP");
        assertThat(up.<String>json("$.components.prices.details.state")).isEqualTo("CONNECTED");
        assertThat(up.<String>json("$.components.prices.details.url"))
            .isEqualTo("ws://127.0.0.1:" + server.port() + "/ws?channel=******");
        assertThat(up.<String>json("$.components.orders.status")).isEqualTo("UP");
        assertThat(this.http.get("/actuator/health").<String>json("$.components.reconnectingWebSocket.status"))
            .isEqualTo("UP");
        Response component = this.http.get(HEALTH + "/prices");
        assertThat(component.status()).isEqualTo(200);
        assertThat(component.<String>json("$.details.state")).isEqualTo("CONNECTED");
        assertThat(component.<Boolean>json("$.details.compressed")).isTrue();

        long reconnects = this.clients.getClient("prices").getReconnectCount();
        server.goDown();
        try {
            Response down = awaitResponse(HEALTH, 503, "$.components.prices.details.lastError");
            down.saveExample("health-down");
            assertThat(down.<String>json("$.status")).isEqualTo("DOWN");
            assertThat(down.<String>json("$.components.prices.status")).isEqualTo("DOWN");
            assertThat(down.<String>json("$.components.prices.details.state")).isIn("RECONNECTING", "CONNECTING");
        }
        finally {
            server.comeBack();
        }
        await().atMost(TIMEOUT).until(() -> this.http.get(HEALTH).status() == 200);
        Response again = this.http.get(HEALTH);
        assertThat(again.<Integer>json("$.components.prices.details.reconnects")).isEqualTo((int) reconnects + 1);

        // a fatal rejection on the next reconnect: the client gives up
        await().atMost(TIMEOUT).until(() -> server.openConnections().size() == 2);
        server.rejectHandshakes(403);
        server.closeAll(4000, "moving");
        await().atMost(TIMEOUT)
            .until(() -> "FAILED".equals(this.http.get(HEALTH).json("$.components.prices.details.state")));
        Response failed = this.http.get(HEALTH).saveExample("health-failed");
        assertThat(failed.status()).isEqualTo(503);
        assertThat(failed.<String>json("$.components.prices.status")).isEqualTo("DOWN");
        assertThat(failed.<String>json("$.components.prices.details.lastError")).contains("403");

        Response state = this.http.get("/actuator/metrics/reconnecting.websocket.state?tag=connection:prices")
            .saveExample("metrics-state");
        assertThat(state.<Double>json("$.measurements[0].value")).isEqualTo(ConnectionState.FAILED.ordinal());
        Response failures = this.http
            .get("/actuator/metrics/reconnecting.websocket.connect.attempts?tag=connection:prices&tag=outcome:failure");
        assertThat(failures.<Double>json("$.measurements[0].value")).isGreaterThanOrEqualTo(1.0);
        Response downtime = this.http.get("/actuator/metrics/reconnecting.websocket.downtime?tag=connection:prices");
        assertThat(downtime.<List<Double>>json("$.measurements[?(@.statistic == 'COUNT')].value"))
            .singleElement()
            .satisfies((count) -> assertThat(count).isGreaterThanOrEqualTo(1.0));
    }

    @Test
    void endpointListsReadsAndControlsConnections() {
        Response all = this.http.get(CLIENTS).saveExample("websocketclients");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.<String>json("$.connections.prices.state")).isEqualTo("CONNECTED");
        assertThat(all.<String>json("$.connections.prices.url")).endsWith("/ws?channel=******");
        assertThat(all.<Integer>json("$.connections.prices.pendingOutbound")).isZero();
        assertThat(all.<List<String>>json("$.connections.prices.extensions")).containsExactly("permessage-deflate");
        assertThat(all.<String>json("$.connections.orders.state")).isEqualTo("CONNECTED");

        Response one = this.http.get(CLIENTS + "/prices").saveExample("websocketclients-prices");
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.<String>json("$.state")).isEqualTo("CONNECTED");
        assertThat(this.http.get(CLIENTS + "/missing").status()).isEqualTo(404);

        long reconnects = this.clients.getClient("prices").getReconnectCount();
        Response reconnect = this.http.post(CLIENTS + "/prices/reconnect").saveExample("websocketclients-reconnect");
        assertThat(reconnect.status()).isEqualTo(200);
        await().atMost(TIMEOUT)
            .until(() -> this.http.get(CLIENTS + "/prices").<Integer>json("$.reconnects") == reconnects + 1
                    && "CONNECTED".equals(this.http.get(CLIENTS + "/prices").json("$.state")));

        Response stop = this.http.post(CLIENTS + "/prices/stop").saveExample("websocketclients-stop");
        assertThat(stop.status()).isEqualTo(200);
        assertThat(stop.<String>json("$.state")).isEqualTo("CLOSED");
        Response stopped = this.http.get(HEALTH);
        assertThat(stopped.<String>json("$.components.prices.status")).isEqualTo("OUT_OF_SERVICE");
        assertThat(stopped.<String>json("$.components.orders.status")).isEqualTo("UP");

        Response start = this.http.post(CLIENTS + "/prices/start");
        assertThat(start.status()).isEqualTo(200);
        assertThat(start.<String>json("$.state")).isIn("CONNECTING", "CONNECTED");
        await().atMost(TIMEOUT).until(() -> "CONNECTED".equals(this.http.get(CLIENTS + "/prices").json("$.state")));

        Response unknownOperation = this.http.post(CLIENTS + "/prices/explode").saveExample("websocketclients-400");
        assertThat(unknownOperation.status()).isEqualTo(400);
        assertThat(unknownOperation.<String>json("$.error"))
            .isEqualTo("Unknown operation 'explode': use reconnect, stop, start or yield");
        Response unknownConnection = this.http.post(CLIENTS + "/missing/start");
        assertThat(unknownConnection.status()).isEqualTo(400);
        assertThat(unknownConnection.<String>json("$.error")).startsWith("No WebSocket connection named 'missing'");
        assertThat(this.http.get(CLIENTS + "/orders").<String>json("$.state")).isEqualTo("CONNECTED");
    }

    private Response awaitResponse(String path, int status, String presentPath) {
        return await().atMost(TIMEOUT).until(() -> this.http.get(path),
                (response) -> response.status() == status && response.body().contains(lastSegment(presentPath)));
    }

    private static String lastSegment(String jsonPath) {
        return "\"" + jsonPath.substring(jsonPath.lastIndexOf('.') + 1) + "\"";
    }

    /**
     * The test application: nothing but auto-configuration.
     */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

    }

}
