package io.github.reconnectingws.it;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectionEvent;
import io.github.reconnectingws.WebSocketConnectionFailedEvent;
import io.github.reconnectingws.WebSocketDisconnectedEvent;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.WebSocketReconnectingEvent;
import io.github.reconnectingws.it.Http.Response;
import io.github.reconnectingws.test.Handshake;
import io.github.reconnectingws.test.HandshakeRejection;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token configured both as a header value and as a URL query value is sent to the
 * server, and appears in none of the outputs: logs (at DEBUG), health, the endpoint,
 * metrics, events' {@code toString()} and exception messages.
 */
@SpringBootTest(classes = SecretsIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=*",
                "management.endpoint.websocketclients.access=unrestricted",
                "management.endpoint.health.show-details=always", "logging.level.io.github.reconnectingws=DEBUG",
                "reconnecting.websocket.headers[Authorization]=Bearer " + SecretsIntegrationTests.TOKEN,
                "reconnecting.websocket.backoff.initial-interval=100ms",
                "reconnecting.websocket.backoff.max-interval=500ms", "reconnecting.websocket.shutdown-timeout=1s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class SecretsIntegrationTests {

    static final String TOKEN = "tok-8f3a2c9d71e4";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MockWebSocketServer server = MockWebSocketServer.create();

    @DynamicPropertySource
    static void connection(DynamicPropertyRegistry registry) {
        registry.add("reconnecting.websocket.url", () -> server.url() + "?token=" + TOKEN + "&v=1");
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClient client;

    @Autowired
    private MeterRegistry meterRegistry;

    @Autowired
    private EventRecorder events;

    @Test
    void theTokenAppearsInNoOutput(CapturedOutput output) {
        Http http = new Http(this.port);
        List<String> outputs = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> this.client.isConnected() && server.openConnections().size() == 1);
        // the token did go out, in the query and in the header
        Handshake handshake = server.connections().get(0).handshake();
        assertThat(handshake.query()).contains(TOKEN);
        assertThat(handshake.headers().get("authorization")).containsExactly("Bearer " + TOKEN);
        outputs.add(http.get("/actuator/health/reconnectingWebSocket").saveExample("health-single").body());

        // traffic, a failing listener, a drop, rejected attempts, a reconnect
        this.client.send("hello");
        server.sendToAll("boom");
        await().atMost(TIMEOUT).until(() -> this.meterRegistry.get("reconnecting.websocket.listener.errors")
            .counter()
            .count() == 1);
        server.rejectHandshakes(HandshakeRejection.status(503).times(2));
        server.closeAll(4000, "moving");
        await().atMost(TIMEOUT).until(() -> this.client.getReconnectCount() == 1 && this.client.isConnected());
        outputs.add(http.get("/actuator/websocketclients").body());

        // the server is gone: the transport's error names the URL it could not reach
        server.goDown();
        try {
            await().atMost(TIMEOUT).until(() -> String.valueOf(this.client.getLastError()).contains("refused"));
            outputs.add(http.get("/actuator/health/reconnectingWebSocket").body());
        }
        finally {
            server.comeBack();
        }
        await().atMost(TIMEOUT).until(() -> this.client.getReconnectCount() == 2 && this.client.isConnected()
                && server.openConnections().size() == 1);

        // a fatal rejection: the client gives up
        server.rejectHandshakes(401);
        server.closeAll(4000, "moving");
        await().atMost(TIMEOUT).until(() -> this.client.getState() == ConnectionState.FAILED);
        CompletableFuture<Void> afterFailure = this.client.send("too late");
        // reported failed: at once, or by the failure's own clean-up if it came in between
        assertThat(afterFailure).failsWithin(TIMEOUT);
        afterFailure.exceptionally((ex) -> {
            describeChain(ex, outputs);
            return null;
        });
        this.client.stop();
        CompletableFuture<Void> restart = this.client.start();
        await().atMost(TIMEOUT).until(restart::isDone);
        restart.exceptionally((ex) -> {
            describeChain(ex, outputs);
            return null;
        });

        outputs.addAll(actuatorOutputs(http, this.meterRegistry, "default"));
        outputs.add(http.post("/actuator/websocketclients/default/reconnect").body());
        outputs.add(String.valueOf(this.client.getLastError()));
        outputs.add(this.client.getUrl());
        outputs.add(this.client.toString());
        outputs.addAll(this.events.descriptions);
        outputs.add(output.getAll());

        assertThat(this.events.descriptions).hasSizeGreaterThan(4);
        assertThat(this.client.getLastError()).contains("401");
        assertThat(output.getAll()).contains("WebSocket 'default'");
        String encoded = URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
        assertThat(outputs).isNotEmpty().allSatisfy((text) -> assertThat(text).doesNotContain(TOKEN, encoded));
    }

    /**
     * What the actuator shows of the connections: health, the endpoint and each named
     * connection in it, every metric of the client, and the meters' ids.
     */
    static List<String> actuatorOutputs(Http http, MeterRegistry meterRegistry, String... connections) {
        List<String> outputs = new ArrayList<>();
        outputs.add(http.get("/actuator/health").body());
        outputs.add(http.get("/actuator/health/reconnectingWebSocket").body());
        outputs.add(http.get("/actuator/websocketclients").body());
        for (String connection : connections) {
            outputs.add(http.get("/actuator/websocketclients/" + connection).body());
        }
        Response metrics = http.get("/actuator/metrics");
        outputs.add(metrics.body());
        for (String name : metrics.<List<String>>json("$.names")) {
            if (name.startsWith("reconnecting.websocket")) {
                outputs.add(http.get("/actuator/metrics/" + name).body());
            }
        }
        meterRegistry.getMeters().forEach((meter) -> outputs.add(meter.getId().toString()));
        return outputs;
    }

    private static void describeChain(@Nullable Throwable failure, List<String> into) {
        for (Throwable current = failure; current != null; current = current.getCause()) {
            into.add(current.toString());
            into.add(String.valueOf(current.getMessage()));
        }
    }

    /**
     * Records the connection events' {@code toString()} and their causes' messages.
     */
    static final class EventRecorder {

        final List<String> descriptions = new CopyOnWriteArrayList<>();

        @EventListener
        void on(WebSocketConnectionEvent event) {
            this.descriptions.add(event.toString());
            if (event instanceof WebSocketDisconnectedEvent disconnected) {
                describeChain(disconnected.getCause(), this.descriptions);
            }
            else if (event instanceof WebSocketReconnectingEvent reconnecting) {
                describeChain(reconnecting.getCause(), this.descriptions);
            }
            else if (event instanceof WebSocketConnectionFailedEvent failed) {
                describeChain(failed.getCause(), this.descriptions);
            }
        }

    }

    /**
     * A listener that fails on every message.
     */
    static final class FailingListener {

        @WebSocketListener
        void onText(String text) {
            throw new IllegalStateException("listener failed on " + text);
        }

    }

    /**
     * The default connection, configured with the token in its URL and in a header (see
     * the properties), an event recorder and a failing listener.
     */
    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        EventRecorder eventRecorder() {
            return new EventRecorder();
        }

        @Bean
        FailingListener failingListener() {
            return new FailingListener();
        }

    }

}
