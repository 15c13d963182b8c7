package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRedirectedException;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectionFailedEvent;
import io.github.reconnectingws.test.HandshakeRejection;
import io.github.reconnectingws.test.MockWebSocketServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

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
 * A feed host answers the handshake with a redirect to another origin (a second real
 * server, under the host name {@code localhost}): with the defaults, the application sees
 * FAILED, one failed event, health DOWN with the error, one log line naming the redirect
 * and the target origin, and the other server never sees the token.
 */
@SpringBootTest(classes = RedirectIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoint.health.show-details=always",
                "reconnecting.websocket.headers[Authorization]=Bearer " + RedirectIntegrationTests.TOKEN })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class RedirectIntegrationTests {

    static final String TOKEN = "tok-51d0e7c3aa";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    // not JUnit extensions: those end every fault before each test, and the context starts
    // its client before that
    private static final MockWebSocketServer feed = MockWebSocketServer.create().start();

    private static final MockWebSocketServer elsewhere = MockWebSocketServer.create().start();

    static {
        feed.rejectHandshakes(HandshakeRejection
            .redirect("ws://localhost:" + elsewhere.port() + MockWebSocketServer.DEFAULT_PATH + "?x=1"));
    }

    @DynamicPropertySource
    static void connection(DynamicPropertyRegistry registry) {
        registry.add("reconnecting.websocket.url", () -> feed.url() + "?token=" + TOKEN);
    }

    @AfterAll
    static void stopServers() {
        feed.close();
        elsewhere.close();
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClient client;

    @Autowired
    private FailureRecorder failures;

    @Test
    void aRedirectToAnotherOriginFailsVisiblyAndSendsNothingThere(CapturedOutput output) {
        await().atMost(TIMEOUT).until(() -> this.client.getState() == ConnectionState.FAILED);
        await().atMost(TIMEOUT).until(() -> !this.failures.events.isEmpty());
        assertThat(this.failures.events).singleElement()
            .satisfies((event) -> assertThat(event.getCause()).isInstanceOfSatisfying(
                    HandshakeRedirectedException.class,
                    (ex) -> assertThat(ex.getLocation()).isEqualTo("ws://localhost:" + elsewhere.port())));
        Http.Response health = new Http(this.port).get("/actuator/health/reconnectingWebSocket");
        assertThat(health.<String>json("$.status")).isEqualTo("DOWN");
        assertThat(health.<String>json("$.details.state")).isEqualTo("FAILED");
        assertThat(health.<String>json("$.details.lastError")).contains("redirected")
            .contains("ws://localhost:" + elsewhere.port());
        List<String> lines = output.getAll().lines().filter((line) -> line.contains("redirected")).toList();
        assertThat(lines).singleElement()
            .satisfies((line) -> assertThat(line).contains("ERROR")
                .contains("WebSocket 'default'")
                .contains("ws://localhost:" + elsewhere.port())
                .contains("follow-redirects is off"));
        assertThat(output.getAll()).doesNotContain(TOKEN);
        assertThat(health.body()).doesNotContain(TOKEN);
        assertThat(feed.handshakes()).singleElement()
            .satisfies((handshake) -> assertThat(handshake.status()).isEqualTo(302));
        assertThat(elsewhere.handshakes()).isEmpty();
    }

    static final class FailureRecorder {

        final List<WebSocketConnectionFailedEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(WebSocketConnectionFailedEvent event) {
            this.events.add(event);
        }

    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        FailureRecorder failureRecorder() {
            return new FailureRecorder();
        }

    }

}
