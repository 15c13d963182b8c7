package io.github.reconnectingws.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.github.reconnectingws.ConnectionFailedException;
import io.github.reconnectingws.ConnectionState;
import io.github.reconnectingws.HandshakeRejectedException;
import io.github.reconnectingws.HandshakeRequestCustomizer;
import io.github.reconnectingws.ReconnectingWebSocketClient;
import io.github.reconnectingws.WebSocketConnectionFailedEvent;
import io.github.reconnectingws.WebSocketListener;
import io.github.reconnectingws.autoconfigure.ReconnectingWebSocketAutoConfiguration;
import io.github.reconnectingws.test.MockWebSocketServer;
import io.github.reconnectingws.testsupport.TestWebSocketServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starting with the context, fail-fast, graceful shutdown and TLS through SSL bundles,
 * against a real WebSocket server: the test kit's server, and for TLS (which the kit does
 * not serve) the test support's.
 */
class LifecycleIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(ReconnectingWebSocketAutoConfiguration.class, SslAutoConfiguration.class,
                    PropertyPlaceholderAutoConfiguration.class));

    /** A server of its own for every test. */
    @RegisterExtension
    final MockWebSocketServer server = MockWebSocketServer.create();

    private TestWebSocketServer tlsServer;

    @AfterEach
    void stopTlsServer() {
        if (this.tlsServer != null) {
            this.tlsServer.close();
        }
    }

    @Test
    void contextCloseFlushesQueuedMessagesAndClosesWithGoingAway() {
        this.runner.withPropertyValues("reconnecting.websocket.url=" + this.server.uri()).run((context) -> {
            ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
            await().atMost(TIMEOUT).until(client::isConnected);
            List<String> sent = IntStream.range(0, 100).mapToObj((i) -> "m" + i).toList();
            sent.forEach(client::send);
            context.close();
            assertThat(client.getState()).isEqualTo(ConnectionState.CLOSED);
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(this.server.receivedTexts()).containsExactlyElementsOf(sent);
                assertThat(this.server.connections()).singleElement().satisfies((connection) -> {
                    assertThat(connection.closeCode()).isEqualTo(OptionalInt.of(1001));
                    assertThat(connection.closedByServer()).isFalse();
                });
            });
            assertThat(this.server.handshakes()).hasSize(1);
        });
    }

    @Test
    void failFastTurnsAFatalFirstConnectIntoAStartupFailure() {
        this.server.rejectHandshakes(403);
        this.runner
            .withPropertyValues("reconnecting.websocket.url=" + this.server.uri(),
                    "reconnecting.websocket.fail-fast=true")
            .run((context) -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure().getCause();
                assertThat(failure).isInstanceOf(ConnectionFailedException.class)
                    .hasMessageContaining("'default'")
                    .hasMessageContaining("fail-fast")
                    .hasMessageContaining("403")
                    .cause()
                    .isInstanceOf(HandshakeRejectedException.class);
            });
    }

    @Test
    void withoutFailFastAFatalFirstConnectFailsTheClientAndPublishesAnEvent() {
        this.server.rejectHandshakes(403);
        List<WebSocketConnectionFailedEvent> failures = new CopyOnWriteArrayList<>();
        this.runner.withPropertyValues("reconnecting.websocket.url=" + this.server.uri())
            .withInitializer((context) -> context
                .addApplicationListener((ApplicationListener<WebSocketConnectionFailedEvent>) failures::add))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(() -> client.getState() == ConnectionState.FAILED);
                await().atMost(TIMEOUT).until(() -> !failures.isEmpty());
                assertThat(failures.get(0).getCause()).isInstanceOf(HandshakeRejectedException.class);
                assertThat(failures.get(0).getClient()).isSameAs(client);
            });
    }

    @Test
    void failFastDoesNotFailStartupForARetryableFailure() {
        this.server.goDown();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=" + this.server.uri(),
                    "reconnecting.websocket.fail-fast=true", "reconnecting.websocket.backoff.initial-interval=50ms",
                    "reconnecting.websocket.backoff.max-interval=200ms")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                this.server.comeBack();
                await().atMost(TIMEOUT).until(client::isConnected);
            });
    }

    @Test
    void autoStartupFalseLeavesTheClientAlone() {
        this.runner
            .withPropertyValues("reconnecting.websocket.url=" + this.server.uri(),
                    "reconnecting.websocket.auto-startup=false")
            .run((context) -> {
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                assertThat(client.getState()).isEqualTo(ConnectionState.NEW);
                assertThat(this.server.handshakes()).isEmpty();
                client.start().get();
                assertThat(client.isConnected()).isTrue();
            });
    }

    @Test
    void listenerOnANamedConnectionGetsThatConnectionsMessages() {
        this.runner.withPropertyValues("reconnecting.websocket.connections.feed.url=" + this.server.uri())
            .withBean(FeedListener.class)
            .run((context) -> {
                ReconnectingWebSocketClient client = context.getBean("feedReconnectingWebSocketClient",
                        ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(client::isConnected);
                this.server.awaitConnections(1);
                this.server.sendToAll("hello");
                await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(context.getBean(FeedListener.class).received)
                        .containsExactly("feed:hello"));
            });
    }

    @Test
    void handshakeCustomizerBeanRefreshesTheTokenOnEveryAttempt() {
        AtomicInteger tokens = new AtomicInteger();
        this.runner
            .withPropertyValues("reconnecting.websocket.url=" + this.server.uri(),
                    "reconnecting.websocket.headers.X-Static=fixed",
                    "reconnecting.websocket.backoff.initial-interval=50ms")
            .withBean(HandshakeRequestCustomizer.class,
                    () -> (request) -> request.getHeaders().setBearerAuth("token-" + tokens.incrementAndGet()))
            .run((context) -> {
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(client::isConnected);
                Map<String, List<String>> first = this.server.awaitConnections(1).handshake().headers();
                assertThat(first.get("authorization")).containsExactly("Bearer token-1");
                assertThat(first.get("x-static")).containsExactly("fixed");
                this.server.closeAll(1011, "restarting");
                await().atMost(TIMEOUT).until(() -> client.getReconnectCount() == 1 && client.isConnected());
                assertThat(this.server.awaitConnections(2).handshake().headers().get("authorization"))
                    .containsExactly("Bearer token-2");
            });
    }

    @Test
    void sslBundleSuppliesTheTrustForWss() {
        this.tlsServer = TestWebSocketServer.builder().tls().start();
        this.runner
            .withPropertyValues("reconnecting.websocket.connections.secure.url=" + this.tlsServer.uri(),
                    "reconnecting.websocket.connections.secure.ssl-bundle=test-server",
                    "spring.ssl.bundle.pem.test-server.truststore.certificate=file:" + this.tlsServer.certificatePem())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
                await().atMost(TIMEOUT).until(client::isConnected);
                client.send("over tls").join();
                await().atMost(TIMEOUT)
                    .untilAsserted(() -> assertThat(this.tlsServer.receivedTexts()).containsExactly("over tls"));
            });
    }

    @Test
    void wssWithoutTrustFailsFatally() {
        this.tlsServer = TestWebSocketServer.builder().tls().start();
        this.runner.withPropertyValues("reconnecting.websocket.url=" + this.tlsServer.uri()).run((context) -> {
            ReconnectingWebSocketClient client = context.getBean(ReconnectingWebSocketClient.class);
            await().atMost(TIMEOUT).until(() -> client.getState() == ConnectionState.FAILED);
            assertThat(this.tlsServer.receivedTexts()).isEmpty();
        });
    }

    static class FeedListener {

        final List<String> received = new CopyOnWriteArrayList<>();

        @WebSocketListener(connection = "feed")
        void onMessage(String text, ReconnectingWebSocketClient client) {
            this.received.add(client.getName() + ":" + text);
        }

    }

}
