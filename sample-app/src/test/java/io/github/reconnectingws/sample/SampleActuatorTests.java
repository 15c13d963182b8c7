package io.github.reconnectingws.sample;

import java.time.Duration;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the sample exposes through the actuator: health, metrics and the
 * {@code websocketclients} endpoint with its write operations.
 */
@SampleApplicationTest
class SampleActuatorTests {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    private SampleHttp http;

    @BeforeEach
    void connected() {
        this.http = new SampleHttp(this.port);
        await().atMost(RECOVERY)
            .until(() -> this.clients.getClients().values().stream().allMatch(ReconnectingWebSocketClient::isConnected));
    }

    @Test
    void healthHasAComponentPerConnection() {
        JsonNode health = this.http.get("/actuator/health/reconnectingWebSocket");

        assertThat(health.path("status").asString()).isEqualTo("UP");
        assertThat(health.path("components").path("default").path("details").path("state").asString())
            .isEqualTo("CONNECTED");
        assertThat(health.path("components").path("echo").path("details").path("url").asString())
            .endsWith("/feed/echo");
    }

    @Test
    void metricsAreTaggedWithTheConnection() {
        JsonNode connected = this.http.get("/actuator/metrics/reconnecting.websocket.connected?tag=connection:echo");

        assertThat(connected.path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
        await().atMost(RECOVERY)
            .until(() -> this.http.get("/actuator/metrics/reconnecting.websocket.messages.received?tag=connection:default")
                .path("measurements")
                .get(0)
                .path("value")
                .asDouble() > 0);
    }

    @Test
    void websocketclientsEndpointShowsAndReconnectsConnections() {
        JsonNode connections = this.http.get("/actuator/websocketclients").path("connections");
        assertThat(connections.path("default").path("state").asString()).isEqualTo("CONNECTED");
        assertThat(connections.path("echo").path("url").asString()).endsWith("/feed/echo");
        long reconnects = this.clients.getClient("echo").getReconnectCount();

        this.http.post("/actuator/websocketclients/echo/reconnect");

        await().atMost(RECOVERY)
            .until(() -> this.http.get("/actuator/websocketclients/echo").path("reconnects").asLong() > reconnects
                    && this.clients.getClient("echo").isConnected());
    }

}
