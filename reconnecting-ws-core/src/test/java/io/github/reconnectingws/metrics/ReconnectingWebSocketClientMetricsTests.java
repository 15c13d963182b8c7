package io.github.reconnectingws.metrics;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.OutboundBufferFullException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.OutboundOverflow;
import io.github.reconnectingws.connection.ReconnectingWebSocketClientBuilder;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.TextMessage;

import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.CLUSTER_FENCED;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.CONNECTED;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.CONNECT_ATTEMPTS;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.DOWNTIME;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.LISTENER_ERRORS;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.MESSAGES_DROPPED;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.MESSAGES_RECEIVED;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.MESSAGES_SENT;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.MESSAGES_UNHANDLED;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.OUTBOUND_PENDING;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.RECONNECTS;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.RESUME_DUPLICATES;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.RESUME_GAPS;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.ROTATIONS;
import static io.github.reconnectingws.metrics.ReconnectingWebSocketClientMetrics.STATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReconnectingWebSocketClientMetrics}: real clients against a real
 * WebSocket server, meters read from a {@link SimpleMeterRegistry}.
 */
class ReconnectingWebSocketClientMetricsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final String NAME = "feed";

    private final MeterRegistry registry = new SimpleMeterRegistry();

    private TestWebSocketServer server;

    private ReconnectingWebSocketClient client;

    private ReconnectingWebSocketClientMetrics metrics;

    @BeforeEach
    void startServer() {
        this.server = TestWebSocketServer.start();
    }

    @AfterEach
    void closeEverything() {
        if (this.client != null) {
            this.client.close();
        }
        if (this.metrics != null) {
            this.metrics.close();
        }
        this.server.close();
    }

    @Test
    void registersEveryMeterOfTheContractTaggedWithTheConnection() {
        bind(builder());
        Set<String> names = this.registry.getMeters()
            .stream()
            .map((meter) -> meter.getId().getName())
            .collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrder(CONNECTED, STATE, RECONNECTS, CONNECT_ATTEMPTS, MESSAGES_RECEIVED,
                MESSAGES_SENT, MESSAGES_DROPPED, OUTBOUND_PENDING, DOWNTIME, LISTENER_ERRORS, MESSAGES_UNHANDLED,
                ROTATIONS, RESUME_DUPLICATES, RESUME_GAPS, CLUSTER_FENCED);
        assertThat(this.registry.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTag("connection"))
            .isEqualTo(NAME));
        assertThat(ids(CONNECT_ATTEMPTS)).extracting((id) -> id.getTag("outcome"))
            .containsExactlyInAnyOrder("success", "failure");
        assertThat(ids(MESSAGES_RECEIVED)).extracting((id) -> id.getTag("type"))
            .containsExactlyInAnyOrder("text", "binary");
        assertThat(ids(MESSAGES_UNHANDLED)).extracting((id) -> id.getTag("type"))
            .containsExactlyInAnyOrder("text", "binary");
        assertThat(gauge(STATE)).isEqualTo(ConnectionState.NEW.ordinal());
        assertThat(gauge(CONNECTED)).isZero();
    }

    @Test
    void countsConnectSendReceiveListenerErrorsDropsAndReconnects() throws Exception {
        bind(builder().messageHandler((client, session, message) -> {
            if ("boom".equals(message.getPayload())) {
                throw new IllegalStateException("listener failed");
            }
        }));
        this.client.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(gauge(CONNECTED)).isEqualTo(1);
        assertThat(gauge(STATE)).isEqualTo(ConnectionState.CONNECTED.ordinal());
        assertThat(count(CONNECT_ATTEMPTS, "outcome", "success")).isEqualTo(1);
        assertThat(count(RECONNECTS)).isZero();

        CompletableFuture.allOf(this.client.send("one"), this.client.send("two".getBytes(StandardCharsets.UTF_8)))
            .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        // the future completes just before the observer hears of the write
        await().atMost(TIMEOUT).until(() -> count(MESSAGES_SENT) == 2);

        await().atMost(TIMEOUT).until(() -> this.server.openSessions() == 1);
        this.server.sendToAll("hello");
        this.server.sendToAll(new byte[] { 1, 2, 3 });
        this.server.sendToAll("boom");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(count(MESSAGES_RECEIVED, "type", "text")).isEqualTo(2);
            assertThat(count(MESSAGES_RECEIVED, "type", "binary")).isEqualTo(1);
            assertThat(count(LISTENER_ERRORS)).isEqualTo(1);
        });
        assertThat(gauge(CONNECTED)).isEqualTo(1);

        // a plain drop: reconnects at once
        this.server.closeAll(4000, "bye");
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(count(RECONNECTS)).isEqualTo(1);
            assertThat(this.registry.get(DOWNTIME).timer().count()).isEqualTo(1);
            assertThat(gauge(CONNECTED)).isEqualTo(1);
        });

        // an outage with failed attempts: counted as failures, timed as one outage
        this.server.stop();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(count(CONNECT_ATTEMPTS, "outcome", "failure")).isGreaterThanOrEqualTo(1);
            assertThat(gauge(CONNECTED)).isZero();
            assertThat(gauge(STATE)).isIn((double) ConnectionState.RECONNECTING.ordinal(),
                    (double) ConnectionState.CONNECTING.ordinal());
        });
        this.server.restart();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(count(RECONNECTS)).isEqualTo(2);
            assertThat(gauge(CONNECTED)).isEqualTo(1);
            assertThat(this.registry.get(DOWNTIME).timer().count()).isEqualTo(2);
        });
        assertThat(this.registry.get(DOWNTIME).timer().totalTime(TimeUnit.NANOSECONDS)).isPositive();
        assertThat(count(CONNECT_ATTEMPTS, "outcome", "success")).isEqualTo(3);
        assertThat(count(MESSAGES_DROPPED)).isZero();
    }

    @Test
    void countsOverflowAndThePendingBacklog() throws Exception {
        this.server.stop();
        bind(builder().outbound(2, OutboundOverflow.REJECT));
        assertThat(this.client.send("before start")).isCompletedExceptionally();
        assertThat(count(MESSAGES_DROPPED)).isEqualTo(1);

        this.client.start();
        CompletableFuture<Void> first = this.client.send("first");
        CompletableFuture<Void> second = this.client.send("second");
        CompletableFuture<Void> third = this.client.send("third");
        assertThat(third).failsWithin(TIMEOUT)
            .withThrowableThat()
            .withCauseInstanceOf(OutboundBufferFullException.class);
        assertThat(count(MESSAGES_DROPPED)).isEqualTo(2);
        assertThat(gauge(OUTBOUND_PENDING)).isEqualTo(2);
        await().atMost(TIMEOUT).until(() -> count(CONNECT_ATTEMPTS, "outcome", "failure") >= 1);

        this.server.restart();
        CompletableFuture.allOf(first, second).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(TIMEOUT).until(() -> count(MESSAGES_SENT) == 2);
        assertThat(gauge(OUTBOUND_PENDING)).isZero();
        // the first connect is no reconnect, and there was no drop to time
        assertThat(count(RECONNECTS)).isZero();
        assertThat(this.registry.get(DOWNTIME).timer().count()).isZero();
    }

    @Test
    void countsDiscardedMessagesWithDropOldest() {
        this.server.stop();
        bind(builder().outbound(1, OutboundOverflow.DROP_OLDEST));
        this.client.start();
        CompletableFuture<Void> oldest = this.client.send(new TextMessage("oldest"));
        this.client.send("newest");
        assertThat(oldest).failsWithin(TIMEOUT);
        assertThat(count(MESSAGES_DROPPED)).isEqualTo(1);
        assertThat(gauge(OUTBOUND_PENDING)).isEqualTo(1);
    }

    @Test
    void showsAGiveUpAsFailedWithoutTimingTheOutage() throws Exception {
        bind(builder().backoff(Duration.ofMillis(50), 2.0, 0.0, Duration.ofMillis(100), Duration.ofMillis(500)));
        this.client.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        this.server.stop();
        await().atMost(TIMEOUT).untilAsserted(() -> {
            assertThat(gauge(STATE)).isEqualTo(ConnectionState.FAILED.ordinal());
            assertThat(gauge(CONNECTED)).isZero();
        });
        assertThat(count(CONNECT_ATTEMPTS, "outcome", "failure")).isGreaterThanOrEqualTo(1);
        assertThat(count(RECONNECTS)).isZero();
        assertThat(this.registry.get(DOWNTIME).timer().count()).isZero();
    }

    @Test
    void showsAFatalRejectionAsAFailedAttempt() {
        this.server.rejectHandshakes(403);
        bind(builder());
        assertThat(this.client.start()).failsWithin(TIMEOUT);
        await().atMost(TIMEOUT).until(() -> gauge(STATE) == ConnectionState.FAILED.ordinal());
        assertThat(count(CONNECT_ATTEMPTS, "outcome", "failure")).isEqualTo(1);
        assertThat(count(CONNECT_ATTEMPTS, "outcome", "success")).isZero();
    }

    @Test
    void closeRemovesTheMetersAndStopsCounting() throws Exception {
        bind(builder());
        this.metrics.close();
        assertThat(this.registry.getMeters()).isEmpty();
        this.client.start().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        this.client.send("after close").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        assertThat(this.registry.getMeters()).isEmpty();
    }

    @Test
    void bindsOnlyOnce() {
        bind(builder());
        assertThatIllegalStateException().isThrownBy(() -> this.metrics.bindTo(new SimpleMeterRegistry()))
            .withMessageContaining(NAME);
    }

    private ReconnectingWebSocketClientBuilder builder() {
        return ReconnectingWebSocketClientBuilder.forUrl(this.server.uri().toString())
            .name(NAME)
            .backoff(Duration.ofMillis(50), 2.0, 0.0, Duration.ofMillis(200), Duration.ZERO)
            .connectTimeout(Duration.ofSeconds(5))
            .shutdownTimeout(Duration.ofSeconds(1));
    }

    private void bind(ReconnectingWebSocketClientBuilder builder) {
        this.client = builder.build();
        this.metrics = new ReconnectingWebSocketClientMetrics(this.client);
        this.metrics.bindTo(this.registry);
    }

    private List<Meter.Id> ids(String name) {
        return this.registry.getMeters().stream().map(Meter::getId).filter((id) -> id.getName().equals(name)).toList();
    }

    private double gauge(String name) {
        return this.registry.get(name).tag("connection", NAME).gauge().value();
    }

    private double count(String name, String... tags) {
        return this.registry.get(name).tag("connection", NAME).tags(tags).counter().count();
    }

}
