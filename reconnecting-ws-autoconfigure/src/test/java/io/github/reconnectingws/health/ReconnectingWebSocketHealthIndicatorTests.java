package io.github.reconnectingws.health;

import java.time.Duration;
import java.time.Instant;

import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReconnectingWebSocketHealthIndicator} against a real WebSocket server.
 */
class ReconnectingWebSocketHealthIndicatorTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A server of its own for every test. */
    @RegisterExtension
    final MockWebSocketServer server = MockWebSocketServer.create();

    private ReconnectingWebSocketClient client;

    @AfterEach
    void closeClient() {
        if (this.client != null) {
            this.client.close();
        }
    }

    @Test
    void isUnknownBeforeTheFirstAttemptWithDetails() {
        ReconnectingWebSocketHealthIndicator indicator = indicatorFor(this.server.url() + "?token=s3cr3t-value");
        Health health = indicator.health();
        assertThat(health.getStatus()).isEqualTo(Status.UNKNOWN);
        assertThat(health.getDetails()).containsEntry("state", "NEW")
            .containsEntry("url", "ws://127.0.0.1:" + this.server.port() + "/ws?token=******")
            .containsEntry("reconnects", 0L)
            .containsKey("since")
            .doesNotContainKey("lastError");
        assertThat(Instant.parse((String) health.getDetails().get("since"))).isBeforeOrEqualTo(Instant.now());
    }

    @Test
    void isUpWhenConnectedDownWhileReconnectingAndOutOfServiceWhenStopped() {
        ReconnectingWebSocketHealthIndicator indicator = indicatorFor(this.server.url());
        this.client.start();
        awaitStatus(indicator, Status.UP);
        assertThat(indicator.health().getDetails()).containsEntry("state", "CONNECTED");

        this.server.goDown();
        awaitStatus(indicator, Status.DOWN);
        // the lost connection and the refused attempts that follow are errors
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(indicator.health())
            .satisfies((health) -> assertThat(health.getDetails()).containsKey("lastError"))
            .satisfies((health) -> assertThat(health.getStatus()).isEqualTo(Status.DOWN)));

        this.server.comeBack();
        awaitStatus(indicator, Status.UP);
        assertThat(indicator.health().getDetails()).containsEntry("reconnects", 1L);

        this.client.stop();
        assertThat(indicator.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(indicator.health().getDetails()).containsEntry("state", "CLOSED");
    }

    @Test
    void isUnknownWhileTheFirstAttemptHangsAndDownWhenItFails() {
        // the handshake gets no response
        this.server.halfOpen();
        ReconnectingWebSocketHealthIndicator indicator = indicatorFor(this.server.url());
        this.client.start();
        awaitSnapshot(indicator, "CONNECTING", Status.UNKNOWN);
        // the attempt times out: from now on the client is recovering, whatever its state
        awaitSnapshot(indicator, "RECONNECTING", Status.DOWN);
        awaitSnapshot(indicator, "CONNECTING", Status.DOWN);
    }

    @Test
    void isDownWithTheCauseWhenTheClientGaveUp() {
        this.server.rejectHandshakes(403);
        ReconnectingWebSocketHealthIndicator indicator = indicatorFor(this.server.url());
        this.client.start();
        awaitStatus(indicator, Status.DOWN);
        await().atMost(TIMEOUT).until(() -> indicator.health().getDetails().get("state").equals("FAILED"));
        assertThat((String) indicator.health().getDetails().get("lastError")).contains("403");
    }

    private ReconnectingWebSocketHealthIndicator indicatorFor(String url) {
        this.client = ReconnectingWebSocketClientBuilder.forUrl(url)
            .name("feed")
            .connectTimeout(Duration.ofSeconds(1))
            .backoff(Duration.ofMillis(300), 2.0, 0.0, Duration.ofMillis(600), Duration.ZERO)
            .shutdownTimeout(Duration.ofSeconds(1))
            .build();
        return new ReconnectingWebSocketHealthIndicator(this.client);
    }

    private static void awaitSnapshot(ReconnectingWebSocketHealthIndicator indicator, String state, Status status) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
            Health health = indicator.health();
            return health.getDetails().get("state").equals(state) && health.getStatus().equals(status);
        });
    }

    private static void awaitStatus(ReconnectingWebSocketHealthIndicator indicator, Status status) {
        await().atMost(TIMEOUT).until(() -> indicator.health().getStatus().equals(status));
    }

}
