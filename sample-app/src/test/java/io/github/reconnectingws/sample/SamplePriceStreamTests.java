package io.github.reconnectingws.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The prices as server-sent events from the default connection's reactive stream: one
 * HTTP response keeps streaming across a drop of the feed.
 */
@SampleApplicationTest
class SamplePriceStreamTests {

    private static final Duration RECOVERY = Duration.ofSeconds(20);

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    @Test
    void oneEventStreamOutlivesADropOfTheFeed() throws Exception {
        ReconnectingWebSocketClient prices = this.clients.getClient(ReconnectingWebSocketClient.DEFAULT_NAME);
        await().atMost(RECOVERY).until(prices::isConnected);
        List<JsonNode> events = new CopyOnWriteArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/prices/stream"))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient()
            .send(request, HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                (type) -> assertThat(type).startsWith("text/event-stream"));
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> response.body()
            .filter((line) -> line.startsWith("data:"))
            .forEach((line) -> events.add(JsonMapper.shared().readTree(line.substring("data:".length())))));
        try {
            await().atMost(RECOVERY).until(() -> events.size() >= 5);
            long reconnects = prices.getReconnectCount();
            new SampleHttp(this.port).post("/api/faults/drop");
            await().atMost(RECOVERY).until(() -> prices.getReconnectCount() > reconnects && prices.isConnected());
            int afterReconnect = events.size();
            await().atMost(RECOVERY).until(() -> events.size() > afterReconnect + 5);
            assertThat(reading).as("the same response still streams").isNotDone();
            assertThat(events).allSatisfy((event) -> assertThat(event.path("symbol").asString()).isNotEmpty());
        }
        finally {
            new SampleHttp(this.port).post("/api/faults/restore");
            closeQuietly(response.body());
        }
    }

    private static void closeQuietly(Stream<String> body) {
        try {
            body.close();
        }
        catch (RuntimeException ex) {
            // the stream may already have ended
        }
    }

}
