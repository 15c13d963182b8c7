package io.github.reconnectingws.sample;

import java.time.Duration;

import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's STOMP connection: headlines arrive through its subscription, and keep
 * arriving after the drop switch cut every connection.
 */
@SampleApplicationTest
class SampleStompTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    @Test
    void theNewsSubscriptionSurvivesADrop() {
        SampleHttp http = new SampleHttp(this.port);
        await().atMost(TIMEOUT).until(() -> http.get("/api/status").path("newsReceived").asLong() > 0);
        long reconnects = this.clients.getClient("news").getReconnectCount();
        http.post("/api/faults/drop");
        await().atMost(TIMEOUT).until(() -> this.clients.getClient("news").getReconnectCount() > reconnects
                && this.clients.getClient("news").isConnected());
        long before = http.get("/api/status").path("newsReceived").asLong();
        await().atMost(TIMEOUT).until(() -> http.get("/api/status").path("newsReceived").asLong() > before + 1);
        JsonNode status = http.get("/api/status");
        assertThat(status.path("news").get(0).path("headline").asString()).isNotEmpty();
    }

}
