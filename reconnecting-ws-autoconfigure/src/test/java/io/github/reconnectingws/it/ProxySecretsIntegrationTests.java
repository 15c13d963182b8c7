package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.ReconnectingWebSocketClientRegistry;
import io.github.reconnectingws.test.Handshake;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.github.reconnectingws.testsupport.TinyProxyServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two connections through a real authenticating HTTP proxy (Debian's tinyproxy): one with
 * the right proxy password, dropped and reconnected; one whose password the proxy
 * refuses, which fails. Neither password appears in logs (at DEBUG), health, the
 * endpoint, metrics or events; the proxy credentials never reach the feed, and the feed's
 * token never reaches the proxy.
 */
@SpringBootTest(classes = ProxySecretsIntegrationTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "management.endpoints.web.exposure.include=*",
                "management.endpoint.websocketclients.access=unrestricted",
                "management.endpoint.health.show-details=always", "logging.level.io.github.reconnectingws=DEBUG",
                "reconnecting.websocket.headers[Authorization]=Bearer " + ProxySecretsIntegrationTests.FEED_TOKEN,
                "reconnecting.websocket.proxy.username=proxy-user",
                "reconnecting.websocket.proxy.password=" + ProxySecretsIntegrationTests.PASSWORD,
                "reconnecting.websocket.connections.refused.proxy.username=proxy-user",
                "reconnecting.websocket.connections.refused.proxy.password=" + ProxySecretsIntegrationTests.WRONG,
                "reconnecting.websocket.backoff.initial-interval=100ms", "reconnecting.websocket.shutdown-timeout=1s" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class ProxySecretsIntegrationTests {

    static final String PASSWORD = "proxy-pw-5c07e1";

    static final String WRONG = "wrong-pw-93b2aa";

    static final String FEED_TOKEN = "feed-tok-4e81d2";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @RegisterExtension
    static final MockWebSocketServer server = MockWebSocketServer.create();

    private static TinyProxyServer proxy;

    @BeforeAll
    static void startProxy() {
        // skips the class, saying why, where tinyproxy is not installed
        proxy = TinyProxyServer.start("proxy-user", PASSWORD, server.port());
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @DynamicPropertySource
    static void connections(DynamicPropertyRegistry registry) {
        server.registerUrl(registry);
        registry.add("reconnecting.websocket.proxy.url", () -> proxy.uri().toString());
        server.registerUrl(registry, "refused");
        registry.add("reconnecting.websocket.connections.refused.proxy.url", () -> proxy.uri().toString());
    }

    @LocalServerPort
    private int port;

    @Autowired
    private ReconnectingWebSocketClientRegistry clients;

    @Autowired
    private MeterRegistry meterRegistry;

    @Autowired
    private SecretsIntegrationTests.EventRecorder events;

    @Test
    void neitherProxyPasswordAppearsInAnyOutputAndEachCredentialStaysOnItsSide(CapturedOutput output) {
        ReconnectingWebSocketClient through = this.clients.getClients().get("default");
        ReconnectingWebSocketClient refused = this.clients.getClients().get("refused");
        await().atMost(TIMEOUT).until(() -> through.isConnected() && refused.getState() == ConnectionState.FAILED);
        server.closeAll(1011);
        await().atMost(TIMEOUT).until(() -> through.getReconnectCount() == 1 && through.isConnected());
        assertThat(proxy.logLinesWith(": CONNECT 127.0.0.1:" + server.port())).hasSizeGreaterThanOrEqualTo(2);

        // the feed saw its token and nothing of the proxy's credentials
        assertThat(server.connections()).isNotEmpty().allSatisfy((connection) -> {
            Handshake handshake = connection.handshake();
            assertThat(handshake.headers().get("authorization")).containsExactly("Bearer " + FEED_TOKEN);
            assertThat(handshake.headers().keySet()).noneMatch((name) -> name.equalsIgnoreCase("proxy-authorization"));
        });
        assertThat(proxy.log()).doesNotContain(FEED_TOKEN);

        List<String> outputs = new ArrayList<>(SecretsIntegrationTests.actuatorOutputs(new Http(this.port),
                this.meterRegistry, "default", "refused"));
        for (ReconnectingWebSocketClient client : List.of(through, refused)) {
            outputs.add(String.valueOf(client.getLastError()));
            outputs.add(client.getUrl());
            outputs.add(client.toString());
        }
        outputs.addAll(this.events.descriptions);
        outputs.add(output.getAll());

        assertThat(refused.getLastError()).contains("401").contains("proxy.username");
        assertThat(this.events.descriptions).anyMatch((event) -> event.contains("401"));
        assertThat(output.getAll()).contains("WebSocket 'refused'");
        assertThat(outputs).allSatisfy((text) -> assertThat(text).doesNotContain(PASSWORD, WRONG));
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        SecretsIntegrationTests.EventRecorder eventRecorder() {
            return new SecretsIntegrationTests.EventRecorder();
        }

    }

}
