package io.github.reconnectingws.sample;

import java.time.Duration;

import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code rotation} profile, with a shorter age: the status page's JSON shows each
 * connection being replaced without a reconnect, and the journal says so.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "sample.feed.tick-interval=50ms", "reconnecting.websocket.max-connection-age=1s" })
@ActiveProfiles("rotation")
class SampleRotationTests {

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    @Test
    void theStatusPageShowsRotationsWithoutReconnects() {
        SampleHttp http = new SampleHttp(this.port);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode prices = http.get("/api/status").path("connections").get(0);
            return prices.path("rotations").asLong() >= 2;
        });
        JsonNode status = http.get("/api/status");
        assertThat(status.path("connections").get(0).path("reconnects").asLong()).isZero();
        assertThat(status.path("journal").toString()).contains("replaced by a new connection");
        assertThat(this.clients.getClient("default").getReconnectCount()).isZero();
    }

}
